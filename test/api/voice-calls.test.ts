import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BYTES_PER_MS, encodeSpeech, heardText, silence, SpeechDecoder, speechMs, toFrames, wordTimings } from "../../sandbox/speech/codec";
import { createTwilioTelephony } from "../../workers/providers/twilio/telephony";
import { call, create, jsonOf, ORIGIN, signIn, type Caller } from "./client";
import { sentTo, setPlan, waitForProgress, zoneWhereHourIs } from "./engine-helpers";

const BUSY = "+14155550105";
const NUMBERS: string[] = []; // the sandbox's busy persona: Twilio never dials our socket itself

/** X-Twilio-Signature: base64 HMAC-SHA1 of the URL and the sorted form fields, keyed by the auth token. */
async function twilioSignature(url: string, params: Record<string, string> = {}, token = env.TWILIO_AUTH_TOKEN!) {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(token), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return btoa(String.fromCharCode(...mac));
}

async function callback(path: string, params: Record<string, string>, signature?: string | null) {
  const url = `${ORIGIN}/api${path}`;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const sig = signature === undefined ? await twilioSignature(url, params) : signature;
  if (sig !== null) headers["x-twilio-signature"] = sig;
  return call(path, { method: "POST", headers, body: new URLSearchParams(params).toString() });
}

async function readyOrg(email: string): Promise<Caller> {
  const owner = await signIn(email);
  // A number belongs to one org: each test org buys its own on the sandbox's Twilio account.
  const twilio = createTwilioTelephony({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, baseUrl: env.TWILIO_API_BASE_URL! });
  const [available] = await twilio.searchNumbers({ country: "US", areaCode: "415", limit: 1 });
  const bought = await twilio.buyNumber(available!.number);
  await create(owner, "/dashboard/phone-numbers", { number: bought.number });
  await create(owner, "/dashboard/voice-configs", { name: "Ada", voiceId: "sbxAdaEn9Kd1Fg6Jm3Qw", language: "en", personality: "friendly" });
  return owner;
}

/** Places a call to a lead on the busy persona's number: a real Twilio call id, no far-end socket. */
async function placedCall(email: string) {
  const owner = await readyOrg(email);
  const lead = await create(owner, "/dashboard/leads", { firstName: "Iris", phone: BUSY, email: `iris.${crypto.randomUUID().slice(0, 8)}@globex.example` });
  const res = await call("/dashboard/calls", { method: "POST", as: owner, json: { leadId: lead.id } });
  expect(res.status).toBe(202);
  const placed = await jsonOf(res);
  return { owner, lead, callId: placed.id as string, callSid: placed.providerCallId as string };
}

const statusForm = (callSid: string, status: string, sequence = "0") => ({ AccountSid: env.TWILIO_ACCOUNT_SID!, CallSid: callSid, CallStatus: status, SequenceNumber: sequence, Timestamp: new Date().toUTCString() });

describe("Twilio's callbacks", () => {
  it("refuse a missing, wrong or other-account signature, and apply a signed one once", async () => {
    const { callId, callSid, owner } = await placedCall("twilio.hooks@example.com");
    const path = `/webhook/twilio/status?callId=${callId}`;
    const answered = statusForm(callSid, "in-progress", "1");
    expect((await callback(path, answered, null)).status).toBe(401);
    expect((await callback(path, answered, await twilioSignature(`${ORIGIN}/api${path}`, answered, "not-the-token"))).status).toBe(401);
    // Signed for another URL (another call id): refused.
    expect((await callback(path, answered, await twilioSignature(`${ORIGIN}/api/webhook/twilio/status?callId=call_x`, answered))).status).toBe(401);
    const wrongBody = await callback(path, { ...answered, AccountSid: `AC${"0".repeat(32)}` });
    expect(wrongBody.status).toBe(401);
    expect(wrongBody.headers.get("content-type")).toContain("application/problem+json");

    const first = await callback(path, answered);
    expect(await jsonOf(first)).toEqual({ received: true, duplicate: false });
    expect(await jsonOf(await callback(path, answered))).toEqual({ received: true, duplicate: true });
    expect((await jsonOf(await call(`/dashboard/calls/${callId}`, { as: owner }))).status).toBe("in_progress");
  });

  it("refuse a stale callback and one naming a call we did not place under that id", async () => {
    const { callId, callSid } = await placedCall("twilio.stale@example.com");
    const path = `/webhook/twilio/status?callId=${callId}`;
    expect((await callback(path, { ...statusForm(callSid, "ringing"), Timestamp: new Date(Date.now() - 3_600_000).toUTCString() })).status).toBe(401);
    expect((await callback(path, statusForm(`CA${"0".repeat(32)}`, "ringing"))).status).toBe(404);
    expect((await callback(`/webhook/twilio/amd?callId=${callId}`, { AccountSid: env.TWILIO_ACCOUNT_SID!, CallSid: callSid, AnsweredBy: "robot" })).status).toBe(422);
  });

  it("a final status writes the call's log: busy, no minutes", async () => {
    const { callId, callSid, owner } = await placedCall("twilio.busy@example.com");
    expect((await callback(`/webhook/twilio/status?callId=${callId}`, statusForm(callSid, "busy", "2"))).status).toBe(200);
    const log = await jsonOf(await call(`/dashboard/calls/${callId}`, { as: owner }));
    expect(log).toMatchObject({ status: "busy", durationSeconds: 0, outcome: "busy" });
  });
});

/** Plays Twilio's side of the media socket: speaks sandbox speech, echoes marks as played, hears the agent. */
async function twilioStream(callId: string, callSid: string, { token, signature }: { token?: string; signature?: string | null } = {}) {
  const url = `${ORIGIN}/api/voice/media/${callId}`;
  const sig = signature === undefined ? await twilioSignature(url.replace(/^http/, "ws")) : signature;
  const res = await call(`/voice/media/${callId}`, { headers: { upgrade: "websocket", ...(sig === null ? {} : { "x-twilio-signature": sig }) } });
  if (res.status !== 101) return { ok: false, status: res.status, res } as const;
  const ws = res.webSocket!;
  ws.accept();
  const heard = new SpeechDecoder();
  const said: string[] = [];
  /** The agent's utterances as they arrived: words, audio time they began, and where they ended (null: the last one so far). */
  const utterances: { text: string; startMs: number; endMs: number | null }[] = [];
  /** Audio time just past the last non-silent byte received. */
  let speechTo = 0;
  let closed: { code: number; reason: string } | null = null;
  let outbound = 0;
  const streamSid = `MZ${crypto.randomUUID().replace(/-/g, "")}`;
  let seq = 0;
  const send = (message: object) => ws.send(JSON.stringify({ sequenceNumber: String(++seq), ...message }));
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    if (message.event === "media") {
      outbound++;
      const audio = Uint8Array.from(atob(message.media.payload), (c) => c.charCodeAt(0));
      const at = heard.audioMs;
      for (const e of heard.push(audio)) {
        const open = utterances.at(-1)?.endMs === null ? utterances.at(-1) : undefined;
        if (e.type === "speech-end" && open) open.endMs = e.atMs;
        if (e.type !== "text") continue;
        said.push(e.text);
        // Utterances of one reply run back to back: one ends where the next one's words begin.
        const startMs = e.atMs - (new TextEncoder().encode(e.text).length + 1) / BYTES_PER_MS;
        if (open) open.endMs = startMs;
        utterances.push({ text: e.text, startMs, endMs: null });
      }
      const lastSound = audio.findLastIndex((b) => b !== 0xff);
      if (lastSound >= 0) speechTo = at + (lastSound + 1) / BYTES_PER_MS;
    }
    if (message.event === "mark") send({ event: "mark", streamSid, mark: { name: message.mark.name } });
  });
  ws.addEventListener("close", (event) => {
    closed = { code: event.code, reason: event.reason };
  });
  const plan = await runInDurableObject(env.CALL_SESSION.get(env.CALL_SESSION.idFromName(callId)), (_i, state) => state.storage.get<{ mediaToken: string }>("plan"));
  send({ event: "connected", protocol: "Call", version: "1.0.0" });
  send({ event: "start", streamSid, start: { accountSid: env.TWILIO_ACCOUNT_SID, streamSid, callSid, tracks: ["inbound"], customParameters: { callId, token: token ?? plan!.mediaToken }, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } });
  let chunk = 0;
  const speak = (audio: Uint8Array) => {
    for (const frame of toFrames(audio)) send({ event: "media", streamSid, media: { track: "inbound", chunk: String(++chunk), timestamp: String(chunk * 20), payload: btoa(String.fromCharCode(...frame)) } });
  };
  /** Frames lost on the way: the next frame sent skips their chunk numbers. */
  const lose = (frames: number) => void (chunk += frames);
  /** How much of an utterance's audio has arrived, in ms. */
  const played = (u: { startMs: number; endMs: number | null }) => (u.endMs ?? speechTo) - u.startMs;
  return { ok: true, status: 101, ws, said, utterances, played, speak, lose, send, streamSid, closed: () => closed, outbound: () => outbound, framesSent: () => chunk } as const;
}

/** The transcript the call's session has kept so far (lines are kept once they have been played or heard). */
async function transcriptSoFar(callId: string) {
  const progress = await runInDurableObject(env.CALL_SESSION.get(env.CALL_SESSION.idFromName(callId)), (_i, state) => state.storage.get<{ transcript: { role: string; text: string }[] }>("progress"));
  return progress?.transcript ?? [];
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function endedLog(owner: Caller, callId: string) {
  let log: any;
  for (let i = 0; i < 100; i++) {
    log = await jsonOf(await call(`/dashboard/calls/${callId}`, { as: owner }));
    if (log.endedAt) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the log was never written: ${JSON.stringify(log)}`);
}

describe("the media socket and the CallSession", () => {
  it("refuses a handshake Twilio did not sign, and an unknown call", async () => {
    const { callId, callSid } = await placedCall("media.refuse@example.com");
    expect((await twilioStream(callId, callSid, { signature: null })).status).toBe(401);
    expect((await twilioStream(callId, callSid, { signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" })).status).toBe(401);
    const unknown = await twilioStream("call_00000000000000000000000000", callSid);
    expect(unknown.status).toBe(404);
  });

  it("holds a turn: greets with the AI disclosure, answers the callee, and logs the call when the stream stops", async () => {
    const { callId, callSid, owner } = await placedCall("media.turn@example.com");
    const twilio = await twilioStream(callId, callSid);
    if (!twilio.ok) throw new Error(`handshake ${twilio.status}`);
    await until(() => twilio.said.length >= 1);
    expect(twilio.said[0]).toContain("an AI assistant calling on behalf of");
    twilio.speak(silence(300));
    twilio.lose(3); // three frames lost on the way, in the silence
    twilio.speak(encodeSpeech("Yes, tell me more about it."));
    twilio.speak(silence(1_500));
    await until(() => twilio.said.length >= 2);
    twilio.send({ event: "stop", streamSid: twilio.streamSid, stop: { accountSid: env.TWILIO_ACCOUNT_SID, callSid } });
    const log = await endedLog(owner, callId);
    expect(log.status).toBe("completed");
    expect(log.metadata.media).toEqual({ framesIn: twilio.framesSent() - 3, framesMissing: 3 });
    expect(log.transcript.map((t: any) => t.role)).toEqual(expect.arrayContaining(["agent", "callee"]));
    expect(log.transcript.find((t: any) => t.role === "callee").text).toBe("Yes, tell me more about it.");
    expect(log.metadata.turnLatenciesMs).toHaveLength(1);
    // The post-call review arrives through the queue: sentiment, score and summary from the model.
    let reviewed: any = log;
    for (let i = 0; i < 100 && reviewed.sentiment === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      reviewed = await jsonOf(await call(`/dashboard/calls/${callId}`, { as: owner }));
    }
    expect(reviewed).toMatchObject({ sentiment: "positive", score: expect.any(Number), summary: expect.stringContaining("Yes, tell me more about it."), metadata: expect.objectContaining({ analysis: "llm" }) });
  }, 30_000);

  it("keeps speech-to-text open through a stall in Twilio's audio, so the callee is still heard after it", async () => {
    const { callId, callSid, owner } = await placedCall("media.stall@example.com");
    const twilio = await twilioStream(callId, callSid);
    if (!twilio.ok) throw new Error(`handshake ${twilio.status}`);
    await until(() => twilio.said.length >= 1);
    // No audio at all for 11 s: past Deepgram's 10 s idle limit without the KeepAlive.
    await new Promise((r) => setTimeout(r, 11_000));
    twilio.speak(encodeSpeech("Are you still there?"));
    twilio.speak(silence(1_500));
    // The agent asked "are you still there?" into the silence; then it answers what it heard.
    await until(() => twilio.said.length >= 3);
    expect(twilio.said[1]).toBe("Sorry, are you still there?");
    twilio.send({ event: "stop", streamSid: twilio.streamSid, stop: { accountSid: env.TWILIO_ACCOUNT_SID, callSid } });
    const log = await endedLog(owner, callId);
    expect(log.transcript.find((t: any) => t.role === "callee")?.text).toBe("Are you still there?");
  }, 40_000);

  it("says goodbye and ends the call cleanly when speech-to-text fails mid-call, with the log written", async () => {
    const { callId, callSid, owner } = await placedCall("media.sttdrop@example.com");
    const twilio = await twilioStream(callId, callSid);
    if (!twilio.ok) throw new Error(`handshake ${twilio.status}`);
    await until(() => twilio.said.length >= 1);
    const dropped: { dropped: number } = await (await fetch(`${env.SANDBOX_URL}/deepgram/sandbox/drop`, { method: "POST" })).json();
    expect(dropped.dropped).toBeGreaterThanOrEqual(1);
    await until(() => twilio.said.length >= 2);
    expect(twilio.said.at(-1)).toBe("Thank you for your time, have a good day!");
    const log = await endedLog(owner, callId);
    expect(log.metadata.endReason).toBe("speech-to-text closed (1011)");
    expect(log.transcript.at(-1)).toMatchObject({ role: "agent", text: "Thank you for your time, have a good day!" });
  }, 30_000);

  it("keeps only what was played when the voice drops mid-reply, answers the next turn with a fresh voice, and logs the call once", async () => {
    const { callId, callSid, owner } = await placedCall("media.ttsdrop@example.com");
    const twilio = await twilioStream(callId, callSid);
    if (!twilio.ok) throw new Error(`handshake ${twilio.status}`);
    await until(async () => (await transcriptSoFar(callId)).length === 1); // the opening, played
    // The next voice socket (the reply to what the callee says now) fails after 1.2 s of audio.
    const armed = await fetch(`${env.SANDBOX_URL}/elevenlabs/sandbox/drop`, { method: "POST", body: JSON.stringify({ afterAudioMs: 1_200 }) });
    expect(await armed.json()).toEqual({ dropped: 0, armed: { afterAudioMs: 1_200 } });
    const opening = twilio.utterances.length;
    twilio.speak(silence(300));
    twilio.speak(encodeSpeech("Yes, tell me more about it."));
    twilio.speak(silence(1_500));
    await until(async () => (await transcriptSoFar(callId)).length === 3); // the callee, and the reply as far as it went
    const reply = twilio.utterances.slice(opening);
    const cut = reply.at(-1)!;
    // The reply stopped mid-utterance: its audio ended before its words did.
    expect(twilio.played(cut)).toBeLessThan(speechMs(cut.text));
    // The words the callee heard whole, and every word any of whose audio reached them.
    const heardWhole = reply.map((u) => heardText(u.text, twilio.played(u))).filter(Boolean).join(" ");
    const reached = reply.map((u) => wordTimings(u.text).filter((w) => w.startMs < twilio.played(u)).map((w) => w.word).join(" ")).join(" ");

    // The agent listens again, and answers the next turn through a new voice socket, in full.
    const answered = twilio.utterances.length;
    twilio.speak(encodeSpeech("Okay, sounds good."));
    twilio.speak(silence(1_500));
    await until(async () => (await transcriptSoFar(callId)).length === 5);
    const next = twilio.utterances.slice(answered);
    expect(next.map((u) => twilio.played(u) >= speechMs(u.text))).toEqual(next.map(() => true));
    twilio.send({ event: "stop", streamSid: twilio.streamSid, stop: { accountSid: env.TWILIO_ACCOUNT_SID, callSid } });
    const log = await endedLog(owner, callId);
    expect(log.status).toBe("completed");
    expect(log.transcript.map((t: any) => t.role)).toEqual(["agent", "callee", "agent", "callee", "agent"]);
    const kept: string = log.transcript[2].text;
    // Only what was played: every word heard whole is there, and nothing past the audio that arrived.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.startsWith(heardWhole)).toBe(true);
    expect(reached.startsWith(kept)).toBe(true);
    expect(kept).not.toContain(cut.text);
    expect(log.transcript[3].text).toBe("Okay, sounds good.");
    expect(log.transcript[4].text).toBe(next.map((u) => u.text).join(" "));

    // Written once, though the stop and then the socket's close both end the call.
    await until(() => twilio.closed() !== null);
    const again = await jsonOf(await call(`/dashboard/calls/${callId}`, { as: owner }));
    expect(again.endedAt).toBe(log.endedAt);
    const voiceSeconds = await env.DB.prepare("SELECT used FROM usage_counters WHERE org_id = ?1 AND metric = 'voice_seconds'").bind(owner.orgId).first<number>("used");
    expect(voiceSeconds).toBe(log.durationSeconds);
  }, 40_000);

  it("ignores frames it cannot read, and still logs the call when the socket drops mid-call", async () => {
    const { callId, callSid, owner } = await placedCall("media.drop@example.com");
    const twilio = await twilioStream(callId, callSid);
    if (!twilio.ok) throw new Error(`handshake ${twilio.status}`);
    twilio.ws.send("not json");
    twilio.send({ event: "dance", streamSid: twilio.streamSid });
    twilio.send({ event: "media", streamSid: twilio.streamSid, media: { track: "inbound", chunk: "1", timestamp: "0", payload: "%%%not-base64" } });
    await until(() => twilio.said.length >= 1);
    expect(twilio.closed()).toBeNull();
    twilio.ws.close(1001, "gone");
    const log = await endedLog(owner, callId);
    expect(log.status).toBe("completed");
    expect(log.metadata.endReason).toMatch(/closed|hung up/);
  }, 30_000);

  it("closes a stream that is not the call's (wrong token) or not μ-law 8 kHz", async () => {
    const { callId, callSid } = await placedCall("media.wrong@example.com");
    const impostor = await twilioStream(callId, callSid, { token: "guessed" });
    if (!impostor.ok) throw new Error(`handshake ${impostor.status}`);
    await until(() => impostor.closed() !== null);
    expect(impostor.closed()!.code).toBe(1008);
    expect(impostor.outbound()).toBe(0);

    const other = await placedCall("media.format@example.com");
    const res = await call(`/voice/media/${other.callId}`, { headers: { upgrade: "websocket", "x-twilio-signature": await twilioSignature(`${ORIGIN.replace(/^http/, "ws")}/api/voice/media/${other.callId}`) } });
    const ws = res.webSocket!;
    ws.accept();
    let closedWith = 0;
    ws.addEventListener("close", (e) => (closedWith = e.code));
    ws.send(JSON.stringify({ event: "start", sequenceNumber: "1", streamSid: "MZ1", start: { accountSid: env.TWILIO_ACCOUNT_SID, streamSid: "MZ1", callSid: other.callSid, tracks: ["inbound"], customParameters: {}, mediaFormat: { encoding: "audio/l16", sampleRate: 16000, channels: 1 } } }));
    await until(() => closedWith !== 0);
    expect(closedWith).toBe(1003);
    expect((await endedLog(other.owner, other.callId)).metadata.endReason).toMatch(/protocol/);
  }, 30_000);
});

describe("a campaign's voice step", () => {
  it("waits for the call to end: a conversation settles the lead on voice, a busy line falls back to email", async () => {
    const owner = await readyOrg("voice.campaign@example.com");
    await setPlan(owner.orgId, "starter");
    const zone = zoneWhereHourIs(10, 18);
    const voice = (await jsonOf(await call("/dashboard/voice-configs?limit=1", { as: owner }))).items[0];
    const talker = await create(owner, "/dashboard/leads", { firstName: "Talker", phone: "+12125550105", timezone: zone });
    const busy = await create(owner, "/dashboard/leads", { firstName: "Busy", phone: "+16175550105", email: "busy.lead@example.com", timezone: zone });
    const campaign = await create(owner, "/dashboard/campaigns", { name: "Calls", channels: ["voice", "email"], voiceConfigId: voice.id, schedule: { windowStart: "00:00", windowEnd: "23:59", days: [1, 2, 3, 4, 5, 6, 7] } });
    await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as: owner, json: { leadIds: [talker.id, busy.id] } });
    expect((await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner })).status).toBe(202);

    // Both calls are placed, and the leads wait while they ring: nothing settles yet.
    let calls: any[] = [];
    for (let i = 0; i < 100 && calls.length < 2; i++) {
      calls = (await jsonOf(await call(`/dashboard/calls?campaignId=${campaign.id}`, { as: owner }))).items.filter((c: any) => c.metadata && c.status === "queued" && c.toNumber);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(calls).toHaveLength(2);
    expect((await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/progress`, { as: owner }))).counts.processed).toBe(0);
    const sidOf = async (id: string) => (await env.DB.prepare("SELECT provider_call_id AS sid FROM call_logs WHERE id = ?").bind(id).first<{ sid: string }>())!.sid;
    const talkerCall = calls.find((c) => c.toNumber === talker.phone)!;
    const busyCall = calls.find((c) => c.toNumber === busy.phone)!;

    // The busy line: Twilio's final status says so.
    const busySid = await sidOf(busyCall.id);
    expect((await callback(`/webhook/twilio/status?callId=${busyCall.id}`, statusForm(busySid, "busy", "3"))).status).toBe(200);
    // The talker: a turn on the media socket, then the callee hangs up.
    const talkerSid = await sidOf(talkerCall.id);
    const twilio = await twilioStream(talkerCall.id, talkerSid);
    if (!twilio.ok) throw new Error(`handshake ${twilio.status}`);
    await until(() => twilio.said.length >= 1);
    twilio.speak(encodeSpeech("Sounds good, tell me more."));
    twilio.speak(silence(1_500));
    await until(() => twilio.said.length >= 2);
    twilio.send({ event: "stop", streamSid: twilio.streamSid, stop: { accountSid: env.TWILIO_ACCOUNT_SID, callSid: talkerSid } });

    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 60_000);
    expect(done.counts).toEqual({ total: 2, processed: 2, succeeded: 2, failed: 0, skipped: 0 });
    const assignments = (await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { as: owner }))).items;
    const byName = Object.fromEntries(assignments.map((l: any) => [l.firstName, l.assignment]));
    expect(byName.Talker).toMatchObject({ status: "succeeded", lastChannel: "voice" });
    expect(byName.Busy).toMatchObject({ status: "succeeded", lastChannel: "email" });
    expect(await sentTo("busy.lead@example.com")).toHaveLength(1);
    // Twilio was asked once per lead, however often the lead was dispatched.
    for (const number of [talker.phone, busy.phone]) {
      const dialled: { data: unknown[] } = await (await fetch(`${env.SANDBOX_URL}/twilio/sandbox/calls?to=${encodeURIComponent(number)}`)).json();
      expect(dialled.data).toHaveLength(1);
    }
  }, 120_000);
});

describe("the voice picker and numbers to buy", () => {
  it("lists the account's voices and plays a sample; an unknown voice is not found", async () => {
    const owner = await signIn("voices.picker@example.com");
    const voices = await jsonOf(await call("/dashboard/voices", { as: owner }));
    expect(voices.items.length).toBeGreaterThanOrEqual(3);
    expect(voices.items.find((v: any) => v.id === "sbxOlenaUk7Qm2Lp9Xz1")).toMatchObject({ name: expect.any(String), languages: expect.arrayContaining(["uk"]) });
    const sample = await call("/dashboard/voices/sbxOlenaUk7Qm2Lp9Xz1/sample", { method: "POST", as: owner, json: { language: "uk" } });
    expect(sample.status).toBe(200);
    expect(sample.headers.get("content-type")).toBe("audio/mpeg");
    expect((await sample.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const unknown = await call("/dashboard/voices/sbxNoSuchVoice0000000/sample", { method: "POST", as: owner, json: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
  });

  it("searches Twilio's numbers and buys one for the org, within the plan's allowance and never twice", async () => {
    const owner = await signIn("numbers.buyer@example.com");
    const found = await jsonOf(await call("/dashboard/phone-numbers/available?country=US&areaCode=646&pageSize=3", { as: owner }));
    expect(found.items).toHaveLength(3);
    const [first, second] = found.items;
    expect((await call("/dashboard/phone-numbers/buy", { method: "POST", as: owner, json: { number: first.number } })).status).toBe(409); // free plan: no numbers
    await env.DB.prepare("UPDATE organizations SET plan = 'starter' WHERE id = ?").bind(owner.orgId).run();
    const bought = await call("/dashboard/phone-numbers/buy", { method: "POST", as: owner, json: { number: first.number, label: "Sales" } });
    expect(bought.status).toBe(201);
    expect(await jsonOf(bought)).toMatchObject({ number: first.number, label: "Sales", status: "active" });
    expect((await jsonOf(await call("/dashboard/phone-numbers", { as: owner }))).items.map((n: any) => n.number)).toContain(first.number);
    expect((await call("/dashboard/phone-numbers/buy", { method: "POST", as: owner, json: { number: second.number } })).status).toBe(409); // starter: one
    const rival = await signIn("numbers.rival@example.com");
    await env.DB.prepare("UPDATE organizations SET plan = 'growth' WHERE id = ?").bind(rival.orgId).run();
    expect((await call("/dashboard/phone-numbers/buy", { method: "POST", as: rival, json: { number: first.number } })).status).toBe(409);
    expect((await call("/dashboard/phone-numbers/buy", { method: "POST", as: rival, json: { number: "12345" } })).status).toBe(422);
    // The account's numbers, as each org sees them: its own, another org's (not whose), free.
    const forOwner = (await jsonOf(await call("/dashboard/phone-numbers/account", { as: owner }))).items;
    expect(forOwner.find((n: any) => n.number === first.number)?.assigned).toBe("this_org");
    const forRival = (await jsonOf(await call("/dashboard/phone-numbers/account", { as: rival }))).items;
    expect(forRival.find((n: any) => n.number === first.number)?.assigned).toBe("another_org");
    expect(JSON.stringify(forRival)).not.toContain(owner.orgId);
  });
});
