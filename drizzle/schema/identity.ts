import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, oneOf, updatedAt } from "./columns";
import { ORG_ROLES, PLANS } from "./enums";

export const users = sqliteTable("users", {
  /** The Clerk user id (`user_…`), or `dev_…` for the local dev sign-in. */
  id: text("id").primaryKey(),
  email: text("email"),
  name: text("name"),
  createdAt: createdAt(),
});

export const organizations = sqliteTable(
  "organizations",
  {
    id: id(),
    name: text("name").notNull(),
    plan: text("plan", { enum: PLANS }).notNull().default("free"),
    /** Region used to read phone numbers written without a country code. */
    defaultRegion: text("default_region").notNull().default("UA"),
    /**
     * Set only on a user's auto-created "Personal" org. Unique, so two racing first requests
     * both land on one org (INSERT … ON CONFLICT DO NOTHING, then read).
     */
    personalOwnerId: text("personal_owner_id").references(() => users.id, { onDelete: "set null" }),
    stripeCustomerId: text("stripe_customer_id"),
    /** One contact policy for every channel: touches per lead per rolling day and week. */
    maxTouchesPerDay: integer("max_touches_per_day").notNull().default(2),
    maxTouchesPerWeek: integer("max_touches_per_week").notNull().default(5),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("organizations_personal_owner_unique").on(t.personalOwnerId),
    oneOf("organizations_plan_check", t.plan, PLANS),
  ],
);

export const orgMembers = sqliteTable(
  "org_members",
  {
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ORG_ROLES }).notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index("org_members_user_idx").on(t.userId, t.createdAt),
    oneOf("org_members_role_check", t.role, ORG_ROLES),
  ],
);

export const orgInvitations = sqliteTable(
  "org_invitations",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: ORG_ROLES }).notNull().default("member"),
    /** SHA-256 of the invitation token; the token itself is shown once to the inviter. */
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("org_invitations_token_unique").on(t.tokenHash),
    index("org_invitations_org_idx").on(t.orgId, t.id),
    oneOf("org_invitations_role_check", t.role, ORG_ROLES),
  ],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 hex of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    prefix: text("prefix").notNull(),
    last4: text("last4").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_hash_unique").on(t.keyHash),
    index("api_keys_org_idx").on(t.orgId, t.id),
  ],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    orgId: text("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id"),
    actorApiKeyId: text("actor_api_key_id"),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_org_idx").on(t.orgId, t.id)],
);
