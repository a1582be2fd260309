import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { pathToFileURL } from "node:url";
import { bins, builtWranglerConfig, devVarsPath, sandboxEntry, telegramPoolEntry } from "./paths.mjs";
import { runNode, startNode } from "./processes.mjs";

/** `astro build` for site/: bundles workers/index.ts with the pages, writes dist/server/wrangler.json. */
export function buildSite({ quiet = false } = {}) {
  return runNode("astro", bins.astro, ["build", "--root", "site"], { quiet });
}

/**
 * Applies drizzle/migrations to the local D1 in `persistTo`. Wrangler asks for confirmation
 * before applying; with CI=true it takes the default answer (yes) instead of waiting on stdin.
 */
export function applyLocalMigrations({ persistTo, quiet = false }) {
  const args = ["d1", "migrations", "apply", "DB", "--local", "--config", builtWranglerConfig, "--persist-to", persistTo];
  return runNode("d1", bins.wrangler, args, { quiet, env: { CI: "true" } });
}

/**
 * Starts the provider sandbox in this process (tsx loads its TypeScript), when the checkout
 * has one. `configFile` is the developer's fault settings; tests leave it out to stay hermetic.
 */
export async function startSandboxIfPresent({ port, configFile } = {}) {
  if (!existsSync(sandboxEntry)) return null;
  const { tsImport } = await import("tsx/esm/api");
  const sandbox = await tsImport(pathToFileURL(sandboxEntry).href, import.meta.url);
  const options = { port };
  if (configFile) options.configFile = configFile === true ? sandbox.defaultConfigPath : configFile;
  return sandbox.startSandbox(options);
}

/**
 * Starts the Telegram pool (container/) in this process with its Telegram stand-in, as the
 * Container would run it with TELEGRAM_BACKEND=sandbox. Replies go to the Worker once it is up.
 */
export async function startTelegramPoolIfPresent({ secret }) {
  if (!existsSync(telegramPoolEntry) || !secret) return null;
  const { tsImport } = await import("tsx/esm/api");
  const { startTelegramPool } = await tsImport(pathToFileURL(telegramPoolEntry).href, import.meta.url);
  const quiet = { info() {}, warn() {}, error: (event, fields) => console.error(`[telegram-pool] ${event} ${JSON.stringify(fields ?? {})}`) };
  return startTelegramPool({ port: 0, hostname: "127.0.0.1", secret, backend: "sandbox", log: quiet });
}

/**
 * `wrangler dev` on the built config: local D1, Queues and Durable Objects, no containers (no
 * Docker engine here). `vars` come last on the command line, so they override .dev.vars.
 */
export function startWranglerDev({ port, inspectorPort, persistTo, vars = {}, quiet = false }) {
  const args = [
    "dev",
    "--config", builtWranglerConfig,
    "--local",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--persist-to", persistTo,
    "--enable-containers=false",
    "--show-interactive-dev-session=false",
  ];
  if (inspectorPort !== undefined) args.push("--inspector-port", String(inspectorPort));
  // The config sits in site/dist/server, so name the repo's .dev.vars explicitly.
  if (existsSync(devVarsPath)) args.push("--env-file", devVarsPath);
  for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
  return startNode("wrangler", bins.wrangler, args, { quiet });
}

/**
 * Fails fast when something already listens on `port` (say, another `npm start`): otherwise
 * wrangler would exit and the health check could be answered by the other stack.
 */
export function assertPortFree(port, host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is already in use (another npm start?); set PORT=… to pick another`) : error));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Polls `url` until it answers 200, the process exits, or the deadline passes. */
export async function waitForHealthy(url, { process: dev, timeoutMs = 60_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  dev?.exited.then((result) => (exited = result));
  let lastError = "no answer yet";
  while (Date.now() < deadline) {
    if (exited) throw new Error(`wrangler dev exited (${exited.signal ?? `code ${exited.code}`}) before ${url} answered:\n${dev.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${lastError})`);
}
