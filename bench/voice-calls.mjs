import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack } from "../scripts/stack/index.mjs";
import { builtWranglerConfig } from "../scripts/stack/paths.mjs";
import { signInAs } from "./api-session.mjs";
import { admin, apiClient, setPlan } from "./campaign-email.mjs";
import { cpuDelta, cpuSecondsOf, descendsFrom, percentile, workerdPids } from "./machine.mjs";

const ADA = "sbxAdaEn9Kd1Fg6Jm3Qw";
/** The sandbox's `interested` persona answers any number but the persona suffixes. */
const calleeNumber = (i) => `+1212555${String(2000 + i).padStart(4, "0")}`;
const FRAME_MS = 20;
/** What the interested persona's call comes to when it runs its course. */
const EXPECTED_OUTCOME = "meeting_booked";

/**
 * `calls` simultaneous calls with the AI agent on a stack of its own, every callee the sandbox's
 * interested persona, with the given provider latencies (ms) at the sandbox. Returns per-turn
 * pipeline overhead (the CallSession's own clock: final transcript in → first audio frame out),
 * voice-to-voice gaps (the callee's clock: end of their speech → first bot audio they hear),
 * dropped frames both ways, and the CPU each process spent.
 *
 * Dropped frames, defined:
 * - inbound: a 20 ms frame of the callee's that never reached the CallSession: a gap in Twilio's
 *   `chunk` numbers as the session counted them (`call_logs.metadata.media.framesMissing`).
 *   Separately, frames the callee sent that never reached speech-to-text (the Deepgram stand-in's
 *   audio): the session holds audio that comes before speech-to-text is up, so these are the ones
 *   still queued when a call ended, a measure of how far behind real time the session was then.
 * - outbound: a 20 ms frame of the agent's speech that was due at the callee but had not arrived,
 *   so the callee heard silence inside an utterance (the sandbox's `underruns`, 20 ms each).
 *
 * The calls are waited for on the sandbox's own record of them, in this process: polling the API
 * for 50 calls (2 requests a second each, ~10 ms of workerd CPU per request under wrangler dev)
 * would load the one workerd thread more than the calls themselves.
 */
export async function benchVoiceCalls({ calls, latencies, port, verbose = false }) {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "noir-bench-voice-"));
  let stack = null;
  try {
    stack = await startStack({ port, persistTo, sandboxPort: 0, build: !existsSync(builtWranglerConfig), quiet: !verbose });
    const { url, sandbox } = stack;
    // wrangler dev runs two workerd processes (its proxy and the Worker), under wrangler's Node.
    const workerds = workerdPids().filter((pid) => descendsFrom(pid, process.pid));
    for (const [provider, latencyMs] of Object.entries(latencies)) await admin(sandbox.url, provider, { latencyMs });
    const { cookie, org } = await signInAs(url, `voice-${calls}-${Date.now()}@bench.example`);
    await setPlan(persistTo, org.id, "enterprise");
    const api = apiClient(url, cookie);
    await api("POST", "/phone-numbers", { number: "+14155550001" });
    await api("POST", "/voice-configs", { name: "Ada", voiceId: ADA, language: "en", personality: "friendly" });
    await api("POST", "/channel-configs", { channel: "voice", config: { maxConcurrentCalls: 100 } });
    const script = await api("POST", "/scripts", {
      name: "Demo",
      content: "We help sales teams call every lead on time with an AI agent. It books meetings straight into your calendar. Would a short demo next week help?",
      objectionHandlers: [{ triggers: ["expensive", "price"], response: "It usually pays for itself within a month." }],
    });
    const leads = [];
    for (let i = 0; i < calls; i++) leads.push(await api("POST", "/leads", { firstName: `Lead${i}`, company: "Globex", phone: calleeNumber(i) }));

    const load = { before: os.loadavg()[0] };
    const cpu0 = { bench: process.cpuUsage(), workerd: cpuSecondsOf(workerds) };
    const started = Date.now();
    const placed = await Promise.all(leads.map((lead) => api("POST", "/calls", { leadId: lead.id, scriptId: script.id })));
    const placedSeconds = (Date.now() - started) / 1000;
    const records = await Promise.all(placed.map((p) => sandbox.twilio.waitForCall(p.providerCallId, undefined, { timeoutMs: 240_000 })));
    const wallSeconds = (Math.max(...records.map((r) => r.endedAt ?? Date.now())) - started) / 1000;
    const cpu = { benchSeconds: cpuDelta(cpu0.bench), workerdSeconds: cpuSecondsOf(workerds) - cpu0.workerd };
    load.after = os.loadavg()[0];
    const logs = [];
    for (const p of placed) logs.push(await loggedCall(api, p.id));

    const overhead = logs.flatMap((log) => log.metadata.turnLatenciesMs ?? []).sort((a, b) => a - b);
    const voiceToVoice = records.flatMap(gapsAfterCallee).sort((a, b) => a - b);
    const framesSent = records.reduce((n, r) => n + r.streams.reduce((m, s) => m + s.sent.media, 0), 0);
    const framesHeardBySpeechToText = Math.round(sandbox.deepgram.sessions().reduce((n, s) => n + s.audioMs, 0) / FRAME_MS);
    const underrunMs = records.map((r) => r.underruns.reduce((n, u) => n + u.ms, 0));
    const held = logs.filter((log, i) => log.status === "completed" && log.outcome === EXPECTED_OUTCOME && underrunMs[i] === 0).length;
    const callSeconds = records.reduce((n, r) => n + ((r.endedAt ?? 0) - (r.answeredAt ?? r.endedAt ?? 0)) / 1000, 0);
    return {
      calls,
      held,
      peakConcurrent: peakConcurrency(records),
      placedSeconds,
      wallSeconds,
      callSeconds,
      statuses: count(logs.map((l) => l.status)),
      outcomes: count(logs.map((l) => l.outcome)),
      turns: overhead.length,
      overhead: stats(overhead),
      voiceToVoice: stats(voiceToVoice),
      dropped: {
        // Null when the session does not count them (code from before it did).
        inbound: logs.every((l) => l.metadata.media) ? logs.reduce((n, l) => n + l.metadata.media.framesMissing, 0) : null,
        framesSent,
        notHeardBySpeechToText: Math.max(0, framesSent - framesHeardBySpeechToText),
        outbound: Math.round(underrunMs.reduce((a, b) => a + b, 0) / FRAME_MS),
        callsWithUnderruns: underrunMs.filter((ms) => ms > 0).length,
      },
      protocolErrors: records.reduce((n, r) => n + r.protocolErrors.length, 0),
      clears: records.reduce((n, r) => n + r.clears.length, 0),
      cpu: { ...cpu, workerdMsPerCallSecond: (1000 * cpu.workerdSeconds) / callSeconds, benchMsPerCallSecond: (1000 * cpu.benchSeconds) / callSeconds },
      load,
    };
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/**
 * For each reply the callee made while the agent was silent, ms from its end to the start of the
 * next bot audio they heard. Words said over the agent are left out: over the AI disclosure they
 * wait for it to finish, by design, and a barge-in is measured by its clear, not by a reply. So
 * are words the agent began talking over (a "Hello?" as the disclosure starts), and words said
 * before the media stream was up, which the agent never got.
 */
function gapsAfterCallee(record) {
  const gaps = [];
  for (const said of record.said) {
    if (said.endMs === null || said.kind === "beep" || said.overBot || said.streamMs === null) continue;
    if (record.heard.some((h) => h.startMs < said.endMs && h.endMs > said.startMs)) continue;
    const next = record.heard.find((h) => h.startMs >= said.endMs);
    if (next) gaps.push(next.startMs - said.endMs);
  }
  return gaps;
}

/** The call's log once the session has written it (moments after the call ends). */
async function loggedCall(api, id) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const call = await api("GET", `/calls/${id}`);
    if (!["queued", "in_progress"].includes(call.status) && call.endedAt) return call;
    if (Date.now() > deadline) throw new Error(`call ${id} has no log: ${call.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The most calls on the line at once (answered, not yet ended), from the sandbox's wall clock. */
function peakConcurrency(records) {
  const edges = records.filter((r) => r.answeredAt !== null).flatMap((r) => [[r.answeredAt, 1], [r.endedAt ?? Infinity, -1]]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, step] of edges) peak = Math.max(peak, (now += step));
  return peak;
}

const stats = (sorted) => ({ n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN });
const count = (values) => Object.fromEntries([...new Set(values)].map((v) => [v, values.filter((x) => x === v).length]));
