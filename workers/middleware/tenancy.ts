import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { organizations } from "../../drizzle/schema";
import type { OrgRole } from "../../drizzle/schema/enums";
import type { AppEnv } from "../context";
import { listMemberships, provisionUser } from "../db/provision";
import { AppError } from "../errors";

const ORG_ID = /^org_[0-9a-z]{26}$/;

/**
 * The org this request acts in. People pick one of their orgs with `X-Org-Id` (default: the
 * oldest membership, their Personal org); an API key always acts in the org that issued it,
 * with member rights. An org the caller does not belong to is a 404, never a 403.
 */
export const resolveTenant = createMiddleware<AppEnv>(async (c, next) => {
  const principal = c.get("principal");
  const db = c.get("db");

  if (principal.kind === "api_key") {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, principal.orgId)).limit(1);
    if (!org) throw new AppError("unauthorized", "This API key's organization no longer exists.");
    c.set("tenant", { orgId: org.id, orgName: org.name, plan: org.plan, defaultRegion: org.defaultRegion, role: "member" });
    return next();
  }

  let memberships = await listMemberships(db, principal.userId);
  if (memberships.length === 0) {
    memberships = await provisionUser(db, { id: principal.userId, email: principal.email, name: principal.name }, c.get("config").DEFAULT_PHONE_REGION);
  }
  const wanted = c.req.header("x-org-id");
  if (wanted !== undefined && !ORG_ID.test(wanted)) {
    throw new AppError("validation_failed", "X-Org-Id must be an organization id.", [{ field: "header.x-org-id", message: "expected org_<26 characters>" }]);
  }
  const membership = wanted ? memberships.find((m) => m.orgId === wanted) : memberships[0];
  if (!membership) throw new AppError("not_found", "Organization was not found.");
  c.set("tenant", membership);
  await next();
});

/** Owners and admins manage keys, billing and members; members work with everything else. */
export function requireRole(...roles: OrgRole[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("tenant").role)) {
      throw new AppError("forbidden", `This needs the ${roles.join(" or ")} role in the organization.`);
    }
    await next();
  });
}
