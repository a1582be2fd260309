import { defaultPersistDir } from "./paths.mjs";
import { ensureDevVars, readDevVars, sandboxOverrides } from "./dev-vars.mjs";
import { applyLocalMigrations, assertPortFree, buildSite, startSandboxIfPresent, startWranglerDev, waitForHealthy } from "./steps.mjs";

/**
 * The whole local stack, as `npm start` and the browser tests run it: .dev.vars, site build,
 * local D1 migrations, the sandbox, then `wrangler dev` until /api/health answers 200.
 * Resolves to `{ url, sandbox, timings, exited, stop }`: `exited` settles if wrangler dev
 * dies on its own; `stop()` ends everything it started.
 */
export async function startStack({
  port = 8787,
  inspectorPort,
  persistTo = defaultPersistDir,
  sandboxPort,
  sandboxConfigFile,
  build = true,
  quiet = false,
} = {}) {
  const timings = {};
  const time = async (name, step) => {
    const started = performance.now();
    const result = await step();
    timings[name] = Math.round(performance.now() - started);
    return result;
  };
  const log = (line) => quiet || console.log(`[noir] ${line}`);

  await assertPortFree(port);
  if (ensureDevVars()) log("wrote .dev.vars from .dev.vars.example with fresh local secrets");
  if (build) await time("astroBuildMs", () => buildSite({ quiet }));
  await time("migrationsMs", () => applyLocalMigrations({ persistTo, quiet }));

  const sandbox = await startSandboxIfPresent({ port: sandboxPort, configFile: sandboxConfigFile });
  if (sandbox) log(`sandbox on ${sandbox.url}`);
  else log("no sandbox/ in this checkout: providers are not stood in");

  const vars = sandbox ? sandboxOverrides(sandbox.env, readDevVars()) : {};
  const dev = startWranglerDev({ port, inspectorPort, persistTo, vars, quiet });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await dev.stop();
    await sandbox?.close();
  };
  try {
    await time("devReadyMs", () => waitForHealthy(`${url}/api/health`, { process: dev }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, sandbox, timings, exited: dev.exited, stop };
}
