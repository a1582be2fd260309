import { auditLog } from "../../drizzle/schema";
import type { Db, Principal } from "../context";
import { newId } from "./ids";

export type AuditAction =
  | "api_key.created"
  | "api_key.revoked"
  | "member.role_changed"
  | "member.removed"
  | "invitation.created"
  | "invitation.withdrawn"
  | "invitation.accepted"
  | "org.updated"
  | "telegram_account.login_started"
  | "telegram_account.logged_in"
  | "telegram_account.updated"
  | "telegram_account.removed";

/** Who did what to which resource, for the security-relevant actions an owner may need to review. */
export function auditEntry(db: Db, orgId: string, principal: Principal, action: AuditAction, resource: { type: string; id: string }, metadata: Record<string, unknown> = {}) {
  return db.insert(auditLog).values({
    id: newId("audit"),
    orgId,
    actorUserId: principal.kind === "user" ? principal.userId : null,
    actorApiKeyId: principal.kind === "api_key" ? principal.apiKeyId : null,
    action,
    resourceType: resource.type,
    resourceId: resource.id,
    metadata,
  });
}
