// The container's entry: `node src/server.ts` (Node 22 strips the types). Configuration is the
// environment; see container/README.md.
import { readConfig } from "./config.ts";
import { startTelegramPool } from "./index.ts";
import { jsonLogger } from "./log.ts";

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const log = jsonLogger(config.logLevel);
const pool = await startTelegramPool({ ...config.options, log });

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("pool_stopping", { signal });
  await pool.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
// A stray rejection in a client must not take every other account's connection down with it.
process.on("unhandledRejection", (reason) => log.error("unhandled_rejection", { error: reason instanceof Error ? reason.name : String(reason) }));
