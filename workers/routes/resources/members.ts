import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { and, asc, eq, sql } from "drizzle-orm";
import { orgMembers, users } from "../../../drizzle/schema";
import { ORG_ROLES, type OrgRole } from "../../../drizzle/schema/enums";
import { auditEntry } from "../../db/audit";
import type { AppEnv, Db } from "../../context";
import { AppError, notFound } from "../../errors";
import { requireRole } from "../../middleware/tenancy";
import { COMMON_ERRORS, iso, jsonBody, jsonResponse, Timestamp } from "../shared";

const Member = z
  .object({ userId: z.string(), email: z.string().nullable(), name: z.string().nullable(), role: z.enum(ORG_ROLES), joinedAt: Timestamp })
  .openapi("Member");

const UserIdParam = z.object({ userId: z.string().min(1).max(128).openapi({ param: { name: "userId", in: "path" } }) });
const RoleChange = z.strictObject({ role: z.enum(ORG_ROLES) });

async function loadMember(db: Db, orgId: string, userId: string) {
  const [m] = await db.select().from(orgMembers).where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId))).limit(1);
  if (!m) throw notFound("Member");
  return m;
}

async function ownerCount(db: Db, orgId: string) {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(orgMembers).where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.role, "owner")));
  return row?.n ?? 0;
}

/** Only an owner may make or unmake owners; an org always keeps at least one owner. */
function checkRoleChange(actor: OrgRole, from: OrgRole, to: OrgRole | null) {
  if ((from === "owner" || to === "owner") && actor !== "owner") {
    throw new AppError("forbidden", "Only an owner can grant, change or remove the owner role.");
  }
}

export function memberRoutes() {
  const guard = [requireRole("owner", "admin")];
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/members", tags: ["Members"], summary: "List the organization's members", responses: { 200: jsonResponse(z.object({ items: z.array(Member) }), "Members"), ...COMMON_ERRORS } }),
      async (c) => {
        const rows = await c.get("db")
          .select({ userId: orgMembers.userId, email: users.email, name: users.name, role: orgMembers.role, joinedAt: orgMembers.createdAt })
          .from(orgMembers).innerJoin(users, eq(users.id, orgMembers.userId))
          .where(eq(orgMembers.orgId, c.get("tenant").orgId)).orderBy(asc(orgMembers.createdAt));
        return c.json({ items: rows.map((r) => ({ ...r, joinedAt: iso(r.joinedAt)! })) }, 200);
      },
    )
    .openapi(
      createRoute({ method: "patch", path: "/members/{userId}", tags: ["Members"], summary: "Change a member's role", middleware: guard, request: { params: UserIdParam, body: jsonBody(RoleChange) }, responses: { 200: jsonResponse(z.object({ userId: z.string(), role: z.enum(ORG_ROLES) }), "The new role"), 403: COMMON_ERRORS[401], 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const { orgId, role: actor } = c.get("tenant");
        const db = c.get("db");
        const member = await loadMember(db, orgId, c.req.valid("param").userId);
        const { role } = c.req.valid("json");
        checkRoleChange(actor, member.role, role);
        if (member.role === "owner" && role !== "owner" && (await ownerCount(db, orgId)) <= 1) {
          throw new AppError("conflict", "The organization needs at least one owner; make someone else owner first.");
        }
        await db.batch([
          db.update(orgMembers).set({ role }).where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, member.userId))),
          auditEntry(db, orgId, c.get("principal"), "member.role_changed", { type: "user", id: member.userId }, { from: member.role, to: role }),
        ]);
        return c.json({ userId: member.userId, role }, 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: "/members/{userId}", tags: ["Members"], summary: "Remove a member", middleware: guard, request: { params: UserIdParam }, responses: { 204: { description: "Removed" }, 403: COMMON_ERRORS[401], 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const { orgId, role: actor } = c.get("tenant");
        const db = c.get("db");
        const member = await loadMember(db, orgId, c.req.valid("param").userId);
        checkRoleChange(actor, member.role, null);
        if (member.role === "owner" && (await ownerCount(db, orgId)) <= 1) {
          throw new AppError("conflict", "The last owner cannot be removed.");
        }
        await db.batch([
          db.delete(orgMembers).where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, member.userId))),
          auditEntry(db, orgId, c.get("principal"), "member.removed", { type: "user", id: member.userId }, { role: member.role }),
        ]);
        return c.body(null, 204);
      },
    );
}
