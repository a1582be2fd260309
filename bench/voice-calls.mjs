import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack } from "../scripts/stack/index.mjs";
import { builtWranglerConfig } from "../scripts/stack/paths.mjs";
import { signInAs } from "./api-session.mjs";
import { admin, apiClient, setPlan } from "./campaign-email.mjs";
import { percentile } from "./machine.mjs";

const ADA = "sbxAdaEn9Kd1Fg6Jm3Qw";
/** The sandbox's `interested` persona answers any number but the persona suffixes. */
const calleeNumber = (i) => `+1212555${String(2000 + i).padStart(4, "0")}`;

/**
 * `calls` simultaneous calls with the AI agent on a stack of its own, every callee the sandbox's
 * interested persona, with the given provider latencies (ms) at the sandbox. Returns per-turn
 * pipeline overhead (the CallSession's own clock: final transcript in → first audio frame out) and
 * voice-to-voice gaps (the callee's clock: end of their speech → first bot audio they hear).
 */
export async function benchVoiceCalls({ calls, latencies, port, verbose = false }) {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "noir-bench-voice-"));
  let stack = null;
  try {
    stack = await startStack({ port, persistTo, sandboxPort: 0, build: !existsSync(builtWranglerConfig), quiet: !verbose });
    const { url, sandbox } = stack;
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

    const started = Date.now();
    const placed = await Promise.all(leads.map((lead) => api("POST", "/calls", { leadId: lead.id, scriptId: script.id })));
    const logs = await Promise.all(placed.map((p) => waitForEnd(api, p.id)));
    const wallSeconds = (Date.now() - started) / 1000;
    const records = await Promise.all(placed.map((p) => sandbox.twilio.waitForCall(p.providerCallId)));

    const overhead = logs.flatMap((log) => log.metadata.turnLatenciesMs ?? []).sort((a, b) => a - b);
    const voiceToVoice = records.flatMap(gapsAfterCallee).sort((a, b) => a - b);
    return {
      calls,
      wallSeconds,
      statuses: count(logs.map((l) => l.status)),
      outcomes: count(logs.map((l) => l.outcome)),
      turns: overhead.length,
      overhead: stats(overhead),
      voiceToVoice: stats(voiceToVoice),
      protocolErrors: records.reduce((n, r) => n + r.protocolErrors.length, 0),
      clears: records.reduce((n, r) => n + r.clears.length, 0),
      cutUtterances: records.reduce((n, r) => n + r.heard.filter((h) => h.cut && r.status !== "completed").length, 0),
    };
  } finally {
    await stack?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/**
 * For each reply the callee made while the agent was silent, ms from its end to the start of the
 * next bot audio they heard. Words said over the agent are left out: over the AI disclosure they
 * wait for it to finish, by design, and a barge-in is measured by its clear, not by a reply.
 */
function gapsAfterCallee(record) {
  const gaps = [];
  for (const said of record.said) {
    if (said.endMs === null || said.kind === "beep" || said.overBot) continue;
    const next = record.heard.find((h) => h.startMs >= said.endMs);
    if (next) gaps.push(next.startMs - said.endMs);
  }
  return gaps;
}

async function waitForEnd(api, id) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const call = await api("GET", `/calls/${id}`);
    if (!["queued", "in_progress"].includes(call.status) && call.endedAt) return call;
    if (Date.now() > deadline) throw new Error(`call ${id} did not end: ${call.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const stats = (sorted) => ({ n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN });
const count = (values) => Object.fromEntries([...new Set(values)].map((v) => [v, values.filter((x) => x === v).length]));
