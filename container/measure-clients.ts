// Memory per connected client: `node container/measure-clients.ts [counts…]` (default 10 100 1000).
// Signs in N accounts on a sandbox pool (each becomes a live client in the pool, listening for
// replies), sends one message from each (so each has a resolved lead cached), and reports the
// rss and heap growth per client after a full GC. Then does the same for bare gramjs
// TelegramClient objects, built as the pool builds them but never connected (there is no
// Telegram to reach here): a floor for the real client, whose socket and MTProto state add more.
// Prints one JSON line per measurement, for the benchmark to read. Each count runs in a fresh
// child process after a warm-up of 50 clients, so one count's garbage does not blur the next.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { StringSession } from "telegram/sessions/index.js";
import type { TelegramClient } from "telegram";
import { jsonLogger } from "./src/log.ts";
import { buildTelegramClient } from "./src/mtproto.ts";
import { startTestPool } from "./src/test-support.ts";

const [mode, countArg] = process.argv.slice(2);
if (mode !== "--one") {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const n of counts.length ? counts : [10, 100, 1000]) {
    for (const kind of ["--one", "--one-gramjs"]) {
      const script = fileURLToPath(import.meta.url);
      process.stdout.write(execFileSync(process.execPath, ["--expose-gc", script, "--one", String(n), ...(kind === "--one-gramjs" ? ["--one-gramjs"] : [])], { encoding: "utf8" }));
    }
  }
  process.exit(0);
}
const n = Number(countArg);
const gramjsOnly = process.argv.includes("--one-gramjs");

async function settle(): Promise<NodeJS.MemoryUsage> {
  const gc = globalThis.gc;
  if (!gc) throw new Error("Run with node --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage();
}

function report(kind: string, clients: number, before: NodeJS.MemoryUsage, after: NodeJS.MemoryUsage) {
  const rss = after.rss - before.rss;
  const heap = after.heapUsed - before.heapUsed;
  console.log(JSON.stringify({ kind, clients, rssDeltaBytes: rss, heapDeltaBytes: heap, rssPerClientBytes: Math.round(rss / clients), heapPerClientBytes: Math.round(heap / clients) }));
}

if (!gramjsOnly) {
  const pool = await startTestPool({ log: jsonLogger("silent") });
  const addClients = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const accountId = `${prefix}-${i}`;
      const session = await pool.signIn(accountId, `+1555${prefix === "warm" ? 1 : 2}${String(i).padStart(6, "0")}1`);
      await pool.call("POST", "/api/send", { accountId, session, to: { username: `lead_${i}_demo` }, text: "Hello", idempotencyKey: `${prefix}-${i}` });
    }
  };
  await addClients("warm", 50); // every code path and the HTTP client's pools, before the baseline
  const before = await settle();
  await addClients("measure", n);
  report("stand-in pool client", n, before, await settle());
  await pool.close();
} else {
  const warm = Array.from({ length: 50 }, () => buildTelegramClient(new StringSession(""), 123456, "0123456789abcdef0123456789abcdef"));
  const before = await settle();
  const clients: TelegramClient[] = [];
  for (let i = 0; i < n; i++) clients.push(buildTelegramClient(new StringSession(""), 123456, "0123456789abcdef0123456789abcdef"));
  report("gramjs client, unconnected", n, before, await settle());
  if (clients.length + warm.length < 0) console.log("keep them alive");
}
