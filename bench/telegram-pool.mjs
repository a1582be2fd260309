// Telegram pool benchmark: the schedule our pacing gives 1,000 DMs over 10 accounts (the pacer's
// own turn-taking, run on a simulated clock: the real gaps are 30–90 s), then 1,000 real signed
// sends through the pool container to its Telegram stand-in, with the container's memory per client.
import { pathToFileURL } from "node:url";
import { fromRoot } from "../scripts/stack/paths.mjs";

const load = async (relative) => {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(pathToFileURL(fromRoot(relative)).href, import.meta.url);
};

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The runner asks the pacer for turns whenever the next one frees up, until every lead has one. */
export async function pacedSchedule({ leads = 1_000, accounts = 10, perDay = 200, gap = { minSeconds: 30, maxSeconds: 90 } } = {}) {
  const { takeAccountTurns } = await load("workers/domain/pacing/account-turns.ts");
  const slots = Array.from({ length: accounts }, (_, i) => ({ id: `acct${i}`, readyAt: 0, left: perDay, sentToday: 0 }));
  const nextAt = {};
  const sends = [];
  let now = 0;
  while (sends.length < leads) {
    const turns = takeAccountTurns({ wanted: leads - sends.length, now, accounts: slots, nextAt, gap, rng: Math.random });
    for (const id of turns.assignments) {
      sends.push({ id, at: now });
      const slot = slots.find((s) => s.id === id);
      slot.left -= 1;
      slot.sentToday += 1;
    }
    Object.assign(nextAt, turns.nextAt);
    if (turns.retryAt === null) break;
    now = turns.retryAt;
  }
  const gaps = [];
  const perAccount = {};
  for (const slot of slots) {
    const times = sends.filter((s) => s.id === slot.id).map((s) => s.at);
    perAccount[slot.id] = times.length;
    for (let i = 1; i < times.length; i++) gaps.push((times[i] - times[i - 1]) / 1000);
  }
  gaps.sort((a, b) => a - b);
  const counts = Object.values(perAccount);
  return { sends: sends.length, minutes: now / 60_000, gaps: { min: gaps[0], p50: quantile(gaps, 0.5), max: gaps.at(-1) }, perAccount: { min: Math.min(...counts), max: Math.max(...counts) } };
}

/** 1,000 signed sends through the pool, `concurrency` at a time, from `accounts` logged-in accounts. */
export async function poolSends({ sends = 1_000, accounts = 10, concurrency = 20, memoryClients = [100, 500] } = {}) {
  const { startTelegramPool, poolRequestHeaders } = await load("container/src/index.ts");
  const secret = "bench-telegram-pool-secret-0123456789";
  const silent = { info() {}, warn() {}, error() {} };
  let pool = await startTelegramPool({ port: 0, hostname: "127.0.0.1", secret, backend: "sandbox", standIn: { minGapSeconds: 0, dailyPeerFloodAfter: 1_000_000 }, log: silent });
  const call = async (method, path, json) => {
    const body = json === undefined ? "" : JSON.stringify(json);
    const headers = { ...poolRequestHeaders(secret, { method, path, body }), ...(body ? { "content-type": "application/json" } : {}) };
    const res = await fetch(`${pool.url}${path}`, { method, headers, ...(body ? { body } : {}) });
    return res.status === 204 ? null : res.json();
  };
  const login = async (i) => {
    const accountId = `tga_bench_${i}`;
    await call("POST", "/api/accounts/add", { accountId, phone: `+38067${String(i).padStart(6, "0")}1` });
    const step = await call("POST", `/api/accounts/${accountId}/verify`, { code: "12345" });
    if (step.status !== "signed_in") throw new Error(`bench login: ${JSON.stringify(step)}`);
    return { accountId, session: step.session };
  };
  try {
    const logged = [];
    for (let i = 0; i < accounts; i++) logged.push(await login(i));
    const latencies = [];
    const outcomes = {};
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < sends) {
        const n = next++;
        const account = logged[n % logged.length];
        const t0 = performance.now();
        const result = await call("POST", "/api/send", { ...account, to: { username: `bench_lead_${n}` }, text: `Hello from the bench, lead ${n}`, idempotencyKey: `bench:${n}` });
        latencies.push(performance.now() - t0);
        outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    // Memory: a fresh pool in this process, before and after it holds N connected clients.
    await pool.close();
    pool = await startTelegramPool({ port: 0, hostname: "127.0.0.1", secret, backend: "sandbox", standIn: { minGapSeconds: 0 }, log: silent });
    global.gc?.();
    const base = process.memoryUsage();
    const memory = [];
    let held = 0;
    for (const target of memoryClients) {
      while (held < target) {
        const account = await login(1_000 + held);
        await call("POST", "/api/send", { ...account, to: { username: `mem_lead_${held}` }, text: "hi", idempotencyKey: `mem:${held}` });
        held++;
      }
      global.gc?.();
      const now = process.memoryUsage();
      memory.push({ clients: target, heapPerClientKiB: (now.heapUsed - base.heapUsed) / 1024 / target, rssMiB: now.rss / 1048576 });
    }
    const health = await call("GET", "/api/health");
    return { sends, seconds, perSecond: sends / seconds, outcomes, latency: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99) }, memory, clients: health.clients, gcExposed: typeof global.gc === "function" };
  } finally {
    await pool.close();
  }
}
