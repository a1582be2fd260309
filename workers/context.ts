import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "../drizzle/schema";
import type { OrgRole, Plan } from "../drizzle/schema/enums";
import type { Config, Env } from "./env";
import type { Logger } from "./logger";

export type Db = DrizzleD1Database<typeof schema>;

/** Who is calling: a signed-in person, or an org's API key. */
export type Principal =
  | { kind: "user"; userId: string; email: string | null; name: string | null; via: "clerk" | "dev" }
  | { kind: "api_key"; apiKeyId: string; orgId: string };

/** The org a request acts in, and the caller's role there. */
export interface Tenant {
  orgId: string;
  orgName: string;
  plan: Plan;
  defaultRegion: string;
  role: OrgRole;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    config: Config;
    db: Db;
    principal: Principal;
    tenant: Tenant;
  };
}
