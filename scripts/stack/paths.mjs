import { fileURLToPath } from "node:url";

/** Where things are, from the repo root; every script resolves paths through here. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const fromRoot = (relative) => fileURLToPath(new URL(relative, new URL("../../", import.meta.url)));

export const siteRoot = fromRoot("site");
/** The deployable config `astro build` derives from wrangler.toml (main = the bundled workers/index.ts). */
export const builtWranglerConfig = fromRoot("site/dist/server/wrangler.json");
export const devVarsPath = fromRoot(".dev.vars");
export const devVarsExamplePath = fromRoot(".dev.vars.example");
export const sandboxEntry = fromRoot("sandbox/index.ts");
export const telegramPoolEntry = fromRoot("container/src/index.ts");
export const defaultPersistDir = fromRoot(".wrangler/state");

// Run the CLIs' JS entries with this very Node (22, from node_modules) rather than through
// PATH, so a stray system Node 20 can never be picked up.
export const bins = {
  astro: fromRoot("node_modules/astro/bin/astro.mjs"),
  wrangler: fromRoot("node_modules/wrangler/bin/wrangler.js"),
};

/** Offline and quiet: no telemetry, no Cloudflare lookups. */
export const quietEnv = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  ASTRO_TELEMETRY_DISABLED: "1",
  CLERK_TELEMETRY_DISABLED: "1",
};
