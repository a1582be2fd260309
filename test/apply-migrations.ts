import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Each test file's storage is isolated; apply the real, committed migrations to it.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
