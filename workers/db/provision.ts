import { asc, eq, sql } from "drizzle-orm";
import { organizations, orgMembers, users } from "../../drizzle/schema";
import type { OrgRole, Plan } from "../../drizzle/schema/enums";
import type { Db } from "../context";
import { newId } from "./ids";

export interface Membership {
  orgId: string;
  orgName: string;
  plan: Plan;
  defaultRegion: string;
  role: OrgRole;
}

export function listMemberships(db: Db, userId: string): Promise<Membership[]> {
  return db
    .select({
      orgId: orgMembers.orgId,
      orgName: organizations.name,
      plan: organizations.plan,
      defaultRegion: organizations.defaultRegion,
      role: orgMembers.role,
    })
    .from(orgMembers)
    .innerJoin(organizations, eq(organizations.id, orgMembers.orgId))
    .where(eq(orgMembers.userId, userId))
    .orderBy(asc(orgMembers.createdAt), asc(orgMembers.orgId));
}

/**
 * First sign-in: the user, their "Personal" org and the owner membership, in one transaction.
 * The unique personal_owner_id makes concurrent first requests converge on a single org.
 */
export async function provisionUser(
  db: Db,
  user: { id: string; email: string | null; name: string | null },
  defaultRegion: string,
): Promise<Membership[]> {
  await db.batch([
    db
      .insert(users)
      .values({ id: user.id, email: user.email, name: user.name })
      .onConflictDoUpdate({
        target: users.id,
        set: { email: sql`coalesce(excluded.email, ${users.email})`, name: sql`coalesce(excluded.name, ${users.name})` },
      }),
    db
      .insert(organizations)
      .values({ id: newId("org"), name: "Personal", personalOwnerId: user.id, defaultRegion })
      .onConflictDoNothing({ target: organizations.personalOwnerId }),
    db
      .insert(orgMembers)
      .select(
        db
          .select({ orgId: organizations.id, userId: sql<string>`${user.id}`.as("user_id"), role: sql<"owner">`'owner'`.as("role"), createdAt: sql<Date>`(unixepoch('subsec') * 1000)`.as("created_at") })
          .from(organizations)
          .where(eq(organizations.personalOwnerId, user.id)),
      )
      .onConflictDoNothing(),
  ]);
  return listMemberships(db, user.id);
}
