import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../router";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { orgInvitations, orgMembers, users } from "../../../drizzle/schema";
import { ORG_ROLES } from "../../../drizzle/schema/enums";
import { auditEntry } from "../../db/audit";
import { newId } from "../../db/ids";
import { randomToken, sha256Hex } from "../../domain/secrets";
import { AppError, notFound } from "../../errors";
import { requireRole } from "../../middleware/tenancy";
import { COMMON_ERRORS, IdParam, iso, jsonBody, jsonResponse, Timestamp } from "../shared";

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

const Invitation = z
  .object({ id: z.string(), email: z.string(), role: z.enum(ORG_ROLES), expiresAt: Timestamp, createdAt: Timestamp })
  .openapi("Invitation");
const CreatedInvitation = Invitation.extend({ token: z.string().openapi({ description: "Send this to the invitee; shown once." }) });
const InvitationCreate = z.strictObject({ email: z.email().max(320), role: z.enum(ORG_ROLES).default("member") });
const InvitationAccept = z.strictObject({ token: z.string().min(20).max(200) });

type Row = typeof orgInvitations.$inferSelect;
const toApi = (r: Row) => ({ id: r.id, email: r.email, role: r.role, expiresAt: iso(r.expiresAt)!, createdAt: iso(r.createdAt)! });

export function invitationRoutes() {
  const guard = [requireRole("owner", "admin")];
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/invitations", tags: ["Members"], summary: "Pending invitations", middleware: guard, responses: { 200: jsonResponse(z.object({ items: z.array(Invitation) }), "Pending"), 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const rows = await c.get("db").select().from(orgInvitations)
          .where(and(eq(orgInvitations.orgId, c.get("tenant").orgId), isNull(orgInvitations.acceptedAt), gt(orgInvitations.expiresAt, new Date())))
          .orderBy(desc(orgInvitations.id));
        return c.json({ items: rows.map(toApi) }, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/invitations", tags: ["Members"], summary: "Invite someone by email", middleware: guard, request: { body: jsonBody(InvitationCreate) }, responses: { 201: jsonResponse(CreatedInvitation, "The invitation and its one-time token"), 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const body = c.req.valid("json");
        const tenant = c.get("tenant");
        if (body.role === "owner" && tenant.role !== "owner") throw new AppError("forbidden", "Only an owner can invite another owner.");
        const token = randomToken(24);
        const principal = c.get("principal");
        const db = c.get("db");
        const id = newId("invitation");
        const [[row]] = await db.batch([db.insert(orgInvitations).values({
          id,
          orgId: tenant.orgId,
          email: body.email.toLowerCase(),
          role: body.role,
          tokenHash: await sha256Hex(token),
          invitedBy: principal.kind === "user" ? principal.userId : null,
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        }).returning(), auditEntry(db, tenant.orgId, principal, "invitation.created", { type: "invitation", id }, { email: body.email.toLowerCase(), role: body.role })]);
        return c.json({ ...toApi(row!), token }, 201);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: "/invitations/{id}", tags: ["Members"], summary: "Withdraw an invitation", middleware: guard, request: { params: IdParam }, responses: { 204: { description: "Withdrawn" }, 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const gone = await c.get("db").delete(orgInvitations)
          .where(and(eq(orgInvitations.id, c.req.valid("param").id), eq(orgInvitations.orgId, c.get("tenant").orgId), isNull(orgInvitations.acceptedAt)))
          .returning({ id: orgInvitations.id });
        if (gone.length === 0) throw notFound("Invitation");
        await auditEntry(c.get("db"), c.get("tenant").orgId, c.get("principal"), "invitation.withdrawn", { type: "invitation", id: gone[0]!.id });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/invitations/accept", tags: ["Members"], summary: "Join the organization an invitation is for", request: { body: jsonBody(InvitationAccept) }, responses: { 200: jsonResponse(z.object({ orgId: z.string(), role: z.enum(ORG_ROLES) }), "Joined"), ...COMMON_ERRORS } }),
      async (c) => {
        const principal = c.get("principal");
        if (principal.kind !== "user") throw new AppError("forbidden", "An API key cannot accept invitations.");
        const db = c.get("db");
        const [invite] = await db.select().from(orgInvitations)
          .where(and(eq(orgInvitations.tokenHash, await sha256Hex(c.req.valid("json").token)), isNull(orgInvitations.acceptedAt), gt(orgInvitations.expiresAt, new Date())))
          .limit(1);
        // The invitation is for one address: a forwarded token does not let someone else in.
        if (!invite || invite.email !== principal.email) throw notFound("Invitation");
        await db.batch([
          db.insert(users).values({ id: principal.userId, email: principal.email, name: principal.name }).onConflictDoNothing(),
          db.insert(orgMembers).values({ orgId: invite.orgId, userId: principal.userId, role: invite.role }).onConflictDoNothing(),
          db.update(orgInvitations).set({ acceptedAt: new Date() }).where(eq(orgInvitations.id, invite.id)),
          auditEntry(db, invite.orgId, principal, "invitation.accepted", { type: "invitation", id: invite.id }, { role: invite.role }),
        ]);
        return c.json({ orgId: invite.orgId, role: invite.role }, 200);
      },
    );
}
