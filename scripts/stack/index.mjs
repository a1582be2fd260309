import { defaultPersistDir } from "./paths.mjs";
import { ensureDevVars, readDevVars, sandboxOverrides } from "./dev-vars.mjs";
import { applyLocalMigrations, assertPortFree, buildSite, startSandboxIfPresent, startTelegramPoolIfPresent, startWranglerDev, waitForHealthy } from "./steps.mjs";

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
  extraVars = {},
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

  const devVars = readDevVars();
  const url = `http://127.0.0.1:${port}`;
  // A TELEGRAM_POOL_URL in .dev.vars means a pool of the developer's own (real accounts): leave it be.
  const telegram = devVars.TELEGRAM_POOL_URL?.trim() ? null : await startTelegramPoolIfPresent({ secret: devVars.TELEGRAM_POOL_SECRET });
  if (telegram) log(`telegram pool (stand-in) on ${telegram.url}`);
  // The unsubscribe links in emails point back at this server unless .dev.vars says otherwise.
  // `extraVars` (benchmarks: a raised EMAIL_SENDS_PER_SECOND) win over .dev.vars and the sandbox's.
  const vars = { ...(sandbox ? sandboxOverrides(sandbox.env, devVars) : {}), ...(telegram ? { TELEGRAM_POOL_URL: telegram.url } : {}), ...(devVars.APP_URL ? {} : { APP_URL: url }), ...extraVars };
  const dev = startWranglerDev({ port, inspectorPort, persistTo, vars, quiet });
  const stop = async () => {
    await dev.stop();
    await telegram?.close();
    await sandbox?.close();
  };
  try {
    await time("devReadyMs", () => waitForHealthy(`${url}/api/health`, { process: dev }));
  } catch (error) {
    await stop();
    throw error;
  }
  // Resend's stand-in posts delivery events and replies to our webhook, signed with the secret the Worker checks.
  telegram?.setWorkerUrl(url);
  sandbox?.resend?.setWebhook({ url: `${url}/api/webhook/resend`, ...(devVars.RESEND_WEBHOOK_SECRET ? { secret: devVars.RESEND_WEBHOOK_SECRET } : {}) });
  return { url, sandbox, telegram, timings, exited: dev.exited, stop };
}
