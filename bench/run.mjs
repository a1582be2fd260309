#!/usr/bin/env node
// `npm run bench`: CSV import, lead-list latency and email campaigns against the real local stack
// (wrangler dev, local D1) on loopback. Prints figures and a one-line summary per benchmark; not a
// test, gates nothing. `--only csv|campaign|voice|telegram` runs one part; `--leads N` sets the campaign
// benchmark's size (default 10,000; fewer are extrapolated to 10,000); `--calls N` the voice one's
// simultaneous calls (50), `--realistic-calls N` its run with realistic provider latencies (2).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { builtWranglerConfig, fromRoot, repoRoot } from "../scripts/stack/paths.mjs";
import { startStack } from "../scripts/stack/index.mjs";
import { benchEmailCampaign } from "./campaign-email.mjs";
import { benchVoiceCalls } from "./voice-calls.mjs";
import { pacedSchedule, poolSends } from "./telegram-pool.mjs";
import { benchImport } from "./csv-import.mjs";
import { cursorAt, loadTest } from "./list-leads.mjs";
import { describeMachine, workerdPids } from "./machine.mjs";

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = arg("--only");
if (only && !["csv", "campaign", "voice", "telegram"].includes(only)) throw new Error(`--only takes csv, campaign, voice or telegram, not ${only}`);
const fmt = (n, digits = 0) => (n ?? NaN).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`machine: ${describeMachine()}`);
console.log(`code: ${describeCode()}`);
if (!only || only === "csv") await importAndList();
if (!only || only === "campaign") await campaigns(Number(arg("--leads") ?? 10_000));
if (!only || only === "voice") await voice(Number(arg("--calls") ?? 50), Number(arg("--realistic-calls") ?? 2));
if (!only || only === "telegram") await telegram();

async function telegram() {
  console.log("\nTelegram, 1,000 DMs over 10 accounts, the pacer's schedule (simulated clock; gaps 30–90 s, 200 a day each):");
  const plan = await pacedSchedule();
  console.log(`  ${fmt(plan.sends)} sends in ${fmt(plan.minutes, 1)} min; per-account gap min ${fmt(plan.gaps.min, 1)} s, p50 ${fmt(plan.gaps.p50, 1)} s, max ${fmt(plan.gaps.max, 1)} s; sends per account ${plan.perAccount.min}–${plan.perAccount.max}`);
  const warm = await pacedSchedule({ perDay: 5 });
  console.log(`  the same 10 accounts on their first warm-up day (5 each): ${warm.sends} sent today, the rest wait for tomorrow`);
  console.log("\nTelegram, 1,000 signed sends through the pool container to its stand-in (10 accounts, 20 at a time, no pacing gaps):");
  const run = await poolSends();
  console.log(`  ${fmt(run.perSecond)} sends/s over ${fmt(run.seconds, 1)} s, outcomes ${JSON.stringify(run.outcomes)}; latency p50 ${fmt(run.latency.p50, 1)} ms, p95 ${fmt(run.latency.p95, 1)} ms, p99 ${fmt(run.latency.p99, 1)} ms`);
  for (const m of run.memory) console.log(`  ${m.clients} connected clients: heap ${fmt(m.heapPerClientKiB, 1)} KiB per client, process RSS ${fmt(m.rssMiB)} MiB${run.gcExposed ? "" : " (run node --expose-gc for steadier heap figures)"}`);
  console.log(`\nsummary: telegram pacing gives each account ${fmt(plan.gaps.min, 0)}–${fmt(plan.gaps.max, 0)} s gaps (1,000 DMs / 10 accounts in ${fmt(plan.minutes, 0)} min); the pool sends ${fmt(run.perSecond)}/s to its stand-in, p95 ${fmt(run.latency.p95, 1)} ms, ${fmt(run.memory.at(-1)?.heapPerClientKiB ?? NaN, 1)} KiB heap per client`);
}

async function voice(calls, realisticCalls) {
  const ms = (s) => `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms (n=${s.n})`;
  console.log(`\nVoice, ${calls} simultaneous calls (sandbox callee: interested persona), zero provider latency, own stack:`);
  const fast = await benchVoiceCalls({ calls, latencies: { deepgram: 0, openai: 0, elevenlabs: 0 }, port: 8796 });
  console.log(`  calls: ${JSON.stringify(fast.statuses)}, outcomes ${JSON.stringify(fast.outcomes)}, all placed within ${fmt(fast.placedSeconds, 1)} s and ended within ${fmt(fast.wallSeconds, 1)} s; at most ${fast.peakConcurrent} on the line at once`);
  console.log(`  sustained: ${fast.held} of ${calls} calls ran their course (completed, meeting booked, no silence inside the agent's speech)`);
  console.log(`  pipeline overhead per turn (final transcript in → first audio frame out, CallSession clock): ${ms(fast.overhead)}`);
  console.log(`  voice-to-voice at the callee (end of their speech → first bot audio; includes Deepgram's 300 ms endpointing): ${ms(fast.voiceToVoice)}`);
  console.log(`  dropped frames: inbound ${fast.dropped.inbound ?? "not counted"} of ${fmt(fast.dropped.framesSent)} the callees sent never reached the CallSession (gaps in Twilio's chunk numbers); outbound ${fast.dropped.outbound} due at a callee had not arrived (silence inside the agent's speech, in ${fast.dropped.callsWithUnderruns} calls)`);
  console.log(`  backlog: ${fmt(fast.dropped.notHeardBySpeechToText)} frames (${fmt((fast.dropped.notHeardBySpeechToText * 20) / calls)} ms per call) were still queued for speech-to-text when their call ended`);
  console.log(`  CPU: workerd (both processes) ${fmt(fast.cpu.workerdSeconds, 1)} s = ${fmt(fast.cpu.workerdMsPerCallSecond, 1)} ms per second of call; bench + sandbox ${fmt(fast.cpu.benchSeconds, 1)} s = ${fmt(fast.cpu.benchMsPerCallSecond, 1)} ms per second of call; load average ${fmt(fast.load.before, 2)} before, ${fmt(fast.load.after, 2)} after`);
  console.log(`  Twilio protocol errors ${fast.protocolErrors}, clears ${fast.clears}`);

  const realistic = { deepgram: 300, openai: 350, elevenlabs: 150 };
  const sum = realistic.deepgram + realistic.openai + realistic.elevenlabs;
  console.log(`\nVoice, ${realisticCalls} calls, realistic latencies (STT final ${realistic.deepgram} ms, LLM first token ${realistic.openai} ms, TTS first byte ${realistic.elevenlabs} ms; sum ${sum} ms):`);
  const real = await benchVoiceCalls({ calls: realisticCalls, latencies: realistic, port: 8795 });
  console.log(`  pipeline overhead per turn: ${ms(real.overhead)}`);
  console.log(`  voice-to-voice: ${ms(real.voiceToVoice)} — p50 ${fmt(real.voiceToVoice.p50 - sum - 300)} ms above the providers' sum plus the 300 ms endpointing`);
  console.log(`\nsummary: voice pipeline overhead p50 ${fmt(fast.overhead.p50)} ms / p95 ${fmt(fast.overhead.p95)} ms / p99 ${fmt(fast.overhead.p99)} ms over ${fast.turns} turns in ${calls} simultaneous calls (${fast.held} ran their course; dropped frames ${fast.dropped.inbound ?? "?"} in, ${fast.dropped.outbound} out; ${fast.protocolErrors} protocol errors); voice-to-voice p50 ${fmt(real.voiceToVoice.p50)} ms with realistic latencies (providers ${sum} ms + endpointing 300 ms)`);
}

async function importAndList() {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "noir-bench-"));
  const before = new Set(workerdPids());
  let stack;
  try {
    stack = await startStack({ port: 8797, persistTo, build: !existsSync(builtWranglerConfig), quiet: true });
    const workerdPid = workerdPids().find((pid) => !before.has(pid));
    console.log(`stack: wrangler dev + local D1 at ${stack.url}\n`);

    const small = await benchImport(stack.url, 10_000, workerdPid);
    console.log(`CSV import 10,000 rows (one request):  ${fmt(small.seconds, 2)} s, ${fmt(small.rowsPerSecond)} rows/s, workerd peak RSS ${fmt(small.memory?.peakMiB ?? NaN)} MiB`);
    const big = await benchImport(stack.url, 100_000, workerdPid);
    const slowest = Math.max(...big.chunkMs);
    console.log(`CSV import 100,000 rows (10 chunks):   ${fmt(big.seconds, 2)} s, ${fmt(big.rowsPerSecond)} rows/s, slowest chunk ${fmt(slowest)} ms, workerd peak RSS ${fmt(big.memory?.peakMiB ?? NaN)} MiB`);

    const single = await loadTest(`${stack.url}/api/dashboard/leads?limit=50`, big.cookie, { connections: 1, seconds: 5 });
    const first = await loadTest(`${stack.url}/api/dashboard/leads?limit=50`, big.cookie);
    const deepCursor = await cursorAt(stack.url, big.cookie, 90_000);
    const deep = await loadTest(`${stack.url}/api/dashboard/leads?limit=50&cursor=${deepCursor}`, big.cookie);
    console.log(`\nList leads, org of 100,000, one client for 5 s (the floor): p50 ${fmt(single.p50, 1)} ms  p95 ${fmt(single.p95, 1)} ms  ${fmt(single.rps)} req/s`);
    console.log(`List leads, org of 100,000, 20 concurrent clients for 10 s:`);
    console.log(`  first page:         p50 ${fmt(first.p50, 1)} ms  p95 ${fmt(first.p95, 1)} ms  p99 ${fmt(first.p99, 1)} ms  ${fmt(first.rps)} req/s  errors ${first.errors}`);
    console.log(`  page at row 90,000: p50 ${fmt(deep.p50, 1)} ms  p95 ${fmt(deep.p95, 1)} ms  p99 ${fmt(deep.p99, 1)} ms  ${fmt(deep.rps)} req/s  errors ${deep.errors}`);

    console.log(`\nsummary: import ${fmt(small.rowsPerSecond)} rows/s (10k) / ${fmt(big.rowsPerSecond)} rows/s (100k); list p95 first ${fmt(first.p95, 1)} ms, deep ${fmt(deep.p95, 1)} ms at 20 clients`);
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

async function campaigns(leads) {
  const TARGET = 10_000;
  // `--leads 2000` is the quick version: the figure for 10,000 is then extrapolated, and says so.
  console.log(`\nEmail campaign, ${fmt(leads)} leads, EMAIL_SENDS_PER_SECOND=1000, RETRY_BASE_SECONDS=1, zero provider latency (own stack):`);
  const big = await benchEmailCampaign({ leads, sendsPerSecond: 1_000, port: 8798, deadlineMs: Math.max(30 * 60_000, leads * 180) });
  const { counts } = big;
  console.log(`  counts: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.skipped} skipped of ${counts.total}; dead letters ${big.deadLetters ?? "?"}; setup (import, assign) ${fmt(big.setupSeconds, 1)} s`);
  console.log(`  end to end (execute → completed): ${fmt(big.wallSeconds, 1)} s — ${fmt(big.dispatchedPerSecond, 2)} leads dispatched/s`);
  console.log(`  time to first send: ${fmt(big.firstSendSeconds * 1000)} ms; last send at ${fmt(big.lastSendSeconds, 1)} s`);
  console.log(`  runner enqueue: every lead out of pending after ${big.enqueueSeconds === null ? "?" : `${fmt(big.enqueueSeconds, 1)} s (≥ ${fmt(leads / big.enqueueSeconds)} leads/s, polled every 1 s)`}`);
  console.log(`  consumer: ${fmt(big.consumerPerSecond, 2)} sends/s first to last send (first half ${fmt(big.halves.first, 2)}/s, second half ${fmt(big.halves.second, 2)}/s); half the leads settled at ${fmt(big.halfway, 1)} s`);
  console.log(`  sandbox send timestamps: gap p50 ${fmt(big.gapMs.p50)} ms, p95 ${fmt(big.gapMs.p95)} ms, max ${fmt(big.gapMs.max)} ms`);
  console.log(`  CPU during the run: workerd (both processes) ${fmt(big.cpu.workerdSeconds, 1)} s (${fmt((100 * big.cpu.workerdSeconds) / big.wallSeconds)}% of one core), wrangler's Node ${fmt(big.cpu.wranglerSeconds, 1)} s, bench + sandbox ${fmt(big.cpu.benchSeconds, 1)} s; workerd peak RSS ${fmt(big.workerdPeakMiB)} MiB`);
  const duplicatesOk = big.sent === leads && big.distinctRecipients === leads;
  console.log(`  load average (1 min) before ${fmt(big.load.before, 2)}, after ${fmt(big.load.after, 2)} on ${os.cpus().length} cores (anything else running skews these)`);
  console.log(`  duplicates: ${big.sent} emails to ${big.distinctRecipients} distinct addresses — ${duplicatesOk ? "none" : "MISMATCH"}`);
  const estimate = leads === TARGET ? null : big.firstSendSeconds + (TARGET - 1) / big.consumerPerSecond;
  if (estimate) console.log(`  extrapolated to ${fmt(TARGET)} leads: ≈ ${fmt(estimate / 60, 1)} min at the measured consumer rate (not measured; assumes the per-lead cost stays flat)`);

  console.log(`\nEmail campaign, 200 leads, default EMAIL_SENDS_PER_SECOND (Resend's 2/s), the Resend stand-in enforcing 2/s, own stack:`);
  const paced = await benchEmailCampaign({ leads: 200, resendLimit: 2, port: 8799, deadlineMs: 10 * 60_000 });
  const held = paced.maxInOneSecond <= 2 && paced.resendRefused === 0;
  console.log(`  EMAIL_SENDS_PER_SECOND: ${paced.rate}`);
  console.log(`  counts: ${paced.counts.succeeded} succeeded of ${paced.counts.total}; ${paced.sent} emails to ${paced.distinctRecipients} addresses; end to end ${fmt(paced.wallSeconds, 1)} s`);
  console.log(`  load average (1 min) before ${fmt(paced.load.before, 2)}, after ${fmt(paced.load.after, 2)}`);
  console.log(`  sends: mean ${fmt(paced.meanSendRate, 2)}/s, max ${paced.maxInOneSecond} in any 1-s window (${paced.windowsOverTwo} of ${paced.sent} windows starting at a send hold more than 2), gap p50 ${fmt(paced.gapMs.p50)} ms, min ${fmt(paced.gapMs.min)} ms; ${paced.resendRefused} requests refused with 429 — ${held ? "held" : "BROKE"} Resend's 2 requests/s`);

  console.log(`\nsummary: ${fmt(leads)}-lead email campaign ${fmt(big.dispatchedPerSecond, 2)} leads/s, ${fmt(big.wallSeconds, 1)} s end to end, first send ${fmt(big.firstSendSeconds * 1000)} ms, ${duplicatesOk ? "no duplicates" : "DUPLICATES OR LOSSES"}${estimate ? ` (10,000 ≈ ${fmt(estimate / 60, 1)} min, extrapolated)` : ""}; at the default pacing max ${paced.maxInOneSecond} sends in 1 s and ${paced.resendRefused} 429s (${held ? "held" : "broke Resend's limit"}), mean ${fmt(paced.meanSendRate, 2)}/s`);
}

/** The commit measured, and whether the built Worker (site/dist) is older than its source. */
function describeCode() {
  const git = (...args) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();
  let line;
  try {
    line = `git ${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench") ? " + uncommitted changes outside bench/" : ""}`;
  } catch {
    line = "not a git checkout";
  }
  if (!existsSync(builtWranglerConfig)) return `${line}; site/dist will be built`;
  const built = statSync(builtWranglerConfig).mtimeMs;
  const newer = ["workers", "durable-objects", "drizzle", "container", "site/src"].flatMap((dir) => {
    const root = fromRoot(dir);
    if (!existsSync(root)) return [];
    return readdirSync(root, { recursive: true }).map((file) => path.join(root, String(file))).filter((file) => statSync(file).mtimeMs > built);
  });
  return `${line}; site/dist built ${new Date(built).toISOString()}${newer.length ? ` — OLDER than ${newer.length} source file(s) (e.g. ${path.relative(repoRoot, newer[0])}): these figures measure the old build; delete site/dist or rebuild first` : ""}`;
}
