import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readDevVars } from "../scripts/stack/dev-vars.mjs";
import { startStack } from "../scripts/stack/index.mjs";
import { bins, builtWranglerConfig } from "../scripts/stack/paths.mjs";
import { runNode } from "../scripts/stack/processes.mjs";
import { signInAs } from "./api-session.mjs";
import { cpuDelta, cpuSecondsOf, descendsFrom, memoryOf, parentOf, percentile, workerdPids } from "./machine.mjs";

const ALWAYS = { windowStart: "00:00", windowEnd: "23:59", days: [1, 2, 3, 4, 5, 6, 7] };
const POLL_MS = 1_000;

/**
 * One email campaign over `leads` fresh leads, end to end through the public API, on a stack of
 * its own (fresh local D1, sandbox stand-ins at zero latency): execute, poll progress until
 * completed, then read what Resend's stand-in received. `sendsPerSecond` raises
 * EMAIL_SENDS_PER_SECOND for the run; leave it out to keep the default (Resend's 2/s).
 * `resendLimit` makes the stand-in enforce Resend's per-team limit (429 beyond it), as Resend does.
 */
export async function benchEmailCampaign({ leads, sendsPerSecond, resendLimit = null, port, deadlineMs = 30 * 60_000, verbose = false }) {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "noir-bench-campaign-"));
  const extraVars = { RETRY_BASE_SECONDS: "1", ...(sendsPerSecond ? { EMAIL_SENDS_PER_SECOND: String(sendsPerSecond) } : {}) };
  let stack = null;
  // Ctrl-C or a kill still stops wrangler (its own process group) and removes the state dir.
  const cleanup = async () => {
    await stack?.stop();
    stack = null;
    rmSync(persistTo, { recursive: true, force: true });
  };
  const onSignal = (signal) => cleanup().finally(() => process.kill(process.pid, signal));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    stack = await startStack({ port, persistTo, sandboxPort: 0, build: !existsSync(builtWranglerConfig), quiet: !verbose, extraVars });
    // wrangler dev runs two workerd processes (its proxy and the Worker), under wrangler's Node.
    const workerds = workerdPids().filter((pid) => descendsFrom(pid, process.pid));
    const { url, sandbox } = stack;
    for (const provider of ["resend", "openai"]) await admin(sandbox.url, provider, { latencyMs: 0 });
    if (resendLimit !== null) await resendRateLimit(sandbox.url, resendLimit);
    const rate = sendsPerSecond ? `${sendsPerSecond}/s (raised for this run)` : `${readDevVars().EMAIL_SENDS_PER_SECOND?.trim() || "unset"} from .dev.vars (default 2/s)`;

    const setup = performance.now();
    const { cookie, org } = await signInAs(url, `campaign-${leads}-${Date.now()}@bench.example`);
    await setPlan(persistTo, org.id, "enterprise");
    const api = apiClient(url, cookie);
    await api("POST", "/channel-configs", { channel: "email", config: { fromEmail: "sales@bench.example", fromName: "Bench Sales" } });
    const script = await api("POST", "/scripts", { name: "Intro", content: "We help sales teams reach every lead on the right channel.", objectionHandlers: [{ triggers: ["price"], response: "It pays for itself." }] });
    const voice = await api("POST", "/voice-configs", { name: "Olena", voiceId: "voice1", language: "en", personality: "friendly" });
    const tag = `c${leads}`;
    const csv = ["first_name,last_name,company,email", ...Array.from({ length: leads }, (_, i) => `Lead${i},Bench,Company ${i % 311},${tag}.${i}@bench.example`)].join("\n");
    const imported = await api("POST", "/leads/import", csv, "text/csv");
    if (imported.chunk.imported !== leads) throw new Error(`import: ${JSON.stringify(imported.chunk).slice(0, 500)}`);
    const leadIds = [];
    for (let cursor = null, pages = 0; pages === 0 || cursor; pages++) {
      if (pages > leads / 100 + 5) throw new Error("lead list did not end");
      const page = await api("GET", `/leads?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      leadIds.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    }
    const campaign = await api("POST", "/campaigns", { name: `Bench ${leads}`, channels: ["email"], scriptId: script.id, voiceConfigId: voice.id, schedule: ALWAYS });
    let assigned = 0;
    for (let i = 0; i < leadIds.length; i += 1000) assigned += (await api("POST", `/campaigns/${campaign.id}/leads`, { leadIds: leadIds.slice(i, i + 1000) })).assigned;
    if (assigned !== leads) throw new Error(`assigned ${assigned} of ${leads}`);
    const setupSeconds = (performance.now() - setup) / 1000;

    // The runner walks leads in id order; this list is newest id first, so its first row is the
    // last lead the runner takes: once it has left `pending`, every lead has been enqueued.
    const lastLead = () => api("GET", `/campaigns/${campaign.id}/leads?limit=1`).then((p) => p.items[0]?.assignment.status);
    const wrangler = workerds.length ? [parentOf(workerds[0])] : [];
    const loadBefore = os.loadavg()[0];
    const cpu0 = { bench: process.cpuUsage(), workerd: cpuSecondsOf(workerds), wrangler: cpuSecondsOf(wrangler) };
    let exited = null;
    stack.exited.then((result) => (exited = result));
    const t0 = Date.now();
    await api("POST", `/campaigns/${campaign.id}/execute`);
    let enqueuedAt = null;
    let progress = null;
    const samples = [];
    while (Date.now() - t0 < deadlineMs) {
      if (exited) throw new Error(`wrangler dev exited (${exited.signal ?? `code ${exited.code}`}) mid-run`);
      progress = await api("GET", `/campaigns/${campaign.id}/progress`);
      samples.push({ at: Date.now(), ...progress.counts });
      if (enqueuedAt === null && (await lastLead()) !== "pending") enqueuedAt = Date.now();
      if (progress.status === "completed") break;
      if (progress.status !== "active") throw new Error(`campaign ${progress.status}${progress.pausedReason ? `: ${progress.pausedReason}` : ""} at ${JSON.stringify(progress.counts)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const observedDoneAt = Date.now();
    if (progress?.status !== "completed") throw new Error(`not completed within ${deadlineMs / 60_000} min: ${JSON.stringify(progress)}`);
    const cpu = { benchSeconds: cpuDelta(cpu0.bench), workerdSeconds: cpuSecondsOf(workerds) - cpu0.workerd, wranglerSeconds: cpuSecondsOf(wrangler) - cpu0.wrangler };
    const doneAt = progress.completedAt ?? observedDoneAt;
    const deadLetters = await api("GET", "/dead-letters?limit=100").then((p) => p.items.length).catch(() => null);

    // The sandbox is this run's own: everything it received came from this campaign.
    const sent = sandbox.resend.sent();
    const resendRefused = resendLimit === null ? null : (await (await fetch(`${sandbox.url}/resend/sandbox/rate-limit`)).json()).refused;
    const times = sent.map((e) => Date.parse(e.createdAt)).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    const wallSeconds = (doneAt - t0) / 1000;
    return {
      leads,
      rate,
      setupSeconds,
      counts: progress.counts,
      wallSeconds,
      dispatchedPerSecond: progress.counts.succeeded / wallSeconds,
      firstSendSeconds: (times[0] - t0) / 1000,
      lastSendSeconds: (times.at(-1) - t0) / 1000,
      enqueueSeconds: enqueuedAt === null ? null : (enqueuedAt - t0) / 1000,
      consumerPerSecond: rateOf(times),
      meanSendRate: rateOf(times),
      gapMs: { min: gaps[0] ?? NaN, p50: percentile(gaps, 50), p95: percentile(gaps, 95), max: gaps.at(-1) ?? NaN },
      halves: { first: rateOf(times.slice(0, times.length >> 1)), second: rateOf(times.slice(times.length >> 1)) },
      maxInOneSecond: maxInWindow(times, 1_000),
      windowsOverTwo: windowsOver(times, 1_000, 2),
      halfway: halfwaySeconds(samples, progress.counts.total, t0),
      sent: sent.length,
      resendRefused,
      distinctRecipients: new Set(sent.map((e) => e.to[0])).size,
      deadLetters,
      cpu,
      load: { before: loadBefore, after: os.loadavg()[0] },
      workerdPeakMiB: workerds.length ? Math.max(...workerds.map((pid) => memoryOf(pid).peakMiB)) : NaN,
    };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}

export function apiClient(baseUrl, cookie) {
  return async (method, route, body, contentType = "application/json") => {
    const res = await fetch(`${baseUrl}/api/dashboard${route}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": contentType }) },
      body: body === undefined ? undefined : contentType === "application/json" ? JSON.stringify(body) : body,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  };
}

async function resendRateLimit(sandboxUrl, perSecond) {
  const res = await fetch(`${sandboxUrl}/resend/sandbox/rate-limit`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ perSecond }) });
  if (!res.ok) throw new Error(`sandbox refused the rate limit: ${res.status} ${await res.text()}`);
}

export async function admin(sandboxUrl, provider, config) {
  const res = await fetch(`${sandboxUrl}/__admin/providers/${provider}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
  if (!res.ok) throw new Error(`sandbox refused ${provider} config: ${res.status} ${await res.text()}`);
}

/** The org's plan, straight in the local D1 (no API sets it): enterprise has no monthly email cap. */
export function setPlan(persistTo, orgId, plan) {
  if (!/^[a-z0-9_]+$/i.test(orgId)) throw new Error(`unexpected org id ${orgId}`);
  const sql = `UPDATE organizations SET plan='${plan}' WHERE id='${orgId}'`;
  const args = ["d1", "execute", "DB", "--local", "--config", builtWranglerConfig, "--persist-to", persistTo, "--command", sql];
  return runNode("d1", bins.wrangler, args, { quiet: true, env: { CI: "true" } });
}

/** The most timestamps (ms, sorted) inside any window [t, t + windowMs). */
export function maxInWindow(times, windowMs) {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j] < times[i] + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** How many windows [t, t + windowMs) starting at a timestamp hold more than `limit`. */
export function windowsOver(times, windowMs, limit) {
  let over = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j] < times[i] + windowMs) j++;
    if (j - i > limit) over++;
  }
  return over;
}

/** Sends a second between the first and the last of these timestamps (ms, sorted). */
function rateOf(times) {
  const span = (times.at(-1) - times[0]) / 1000;
  return times.length > 1 && span > 0 ? (times.length - 1) / span : NaN;
}

/** When half the leads had settled, from the progress samples: the consumer's steady state. */
function halfwaySeconds(samples, total, t0) {
  const half = samples.find((s) => s.processed >= total / 2);
  return half ? (half.at - t0) / 1000 : null;
}

