import { createHmac } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSpeech, speechMs } from "../speech/codec";
import { startSandbox, type Sandbox } from "../harness/server";
import { startCallbackReceiver, startFakeWorker, streamTwiml, twilioRest, type CallbackReceiver, type FakeWorker, type Received } from "./test-kit";

/** Twilio's algorithm written out again, independent of `signTwilioRequest`. */
function specSignature(token: string, url: string, params: Record<string, string> = {}): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", token).update(data).digest("base64");
}

const SILENT = "+14155550102";
const FROM = "+14155550001";

let sandbox: Sandbox;
let worker: FakeWorker;
let receiver: CallbackReceiver;
let rest: ReturnType<typeof twilioRest>;

beforeAll(async () => {
  [sandbox, worker, receiver] = await Promise.all([startSandbox({ port: 0 }), startFakeWorker(), startCallbackReceiver()]);
  rest = twilioRest(sandbox);
  sandbox.twilio.setTiming({ dialMs: 10, ringingAfterMs: 20, ringMs: 100 });
});
afterAll(async () => {
  await Promise.all([sandbox.close(), worker.close(), receiver.close()]);
});

const events = (received: Received[]) => received.map((r) => r.message.event);
const media = (received: Received[]) => received.filter((r) => r.message.event === "media");

describe.concurrent("Twilio stand-in: Media Streams", { timeout: 30_000 }, () => {
  it("opens a signed socket, sends connected then start with the custom parameters, 20 ms media in real time, and stop at hang-up", async () => {
    const sid = await rest.createCall({ To: SILENT, From: FROM, Twiml: streamTwiml(worker.url, { lead: "lead_1", campaign: "C 7" }) });
    const conn = await worker.connectionFor(sid);
    expect(conn.headers["x-twilio-signature"]).toBe(specSignature(sandbox.twilio.authToken, worker.url));
    await conn.next((m) => m.event === "media");
    await sleep(1_500);
    expect((await rest.post(`/Calls/${sid}.json`, { Status: "completed" })).status).toBe(200);
    expect(await conn.closed).toBe(1000);

    const kinds = events(conn.received);
    expect(kinds.slice(0, 2)).toEqual(["connected", "start"]);
    expect(kinds.at(-1)).toBe("stop");
    expect(new Set(kinds.slice(2, -1))).toEqual(new Set(["media"]));
    const [connected, start] = conn.received.map((r) => r.message);
    const streamSid = conn.streamSid ?? "";
    expect(connected).toEqual({ event: "connected", protocol: "Call", version: "1.0.0" });
    expect(start).toEqual({
      event: "start",
      sequenceNumber: "1",
      start: {
        accountSid: sandbox.twilio.accountSid,
        streamSid,
        callSid: sid,
        tracks: ["inbound"],
        customParameters: { lead: "lead_1", campaign: "C 7" },
        mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
      },
      streamSid,
    });
    expect(streamSid).toMatch(/^MZ[0-9a-f]{32}$/);

    const frames = media(conn.received);
    for (const [i, { message }] of frames.entries()) {
      const body = message.media as { track: string; chunk: string; timestamp: string; payload: string };
      expect(message.sequenceNumber).toBe(String(i + 2));
      expect(message.streamSid).toBe(streamSid);
      expect(body).toMatchObject({ track: "inbound", chunk: String(i + 1), timestamp: String(i * 20) });
      expect(Buffer.from(body.payload, "base64")).toHaveLength(160);
    }
    // Real time: as many frames as 20 ms slots between the first and the last (the exact pacing,
    // one frame per 20 ms and never early, is the LineClock unit test's: a loaded machine stalls this process).
    const elapsed = (frames.at(-1)?.at ?? 0) - (frames[0]?.at ?? 0);
    expect(frames.length).toBeGreaterThan(70);
    expect(Math.abs(elapsed - (frames.length - 1) * 20)).toBeLessThan(300);
    const stop = conn.received.at(-1)?.message;
    expect(stop).toEqual({ event: "stop", sequenceNumber: String(frames.length + 2), streamSid, stop: { accountSid: sandbox.twilio.accountSid, callSid: sid } });

    const record = await sandbox.twilio.waitForCall(sid);
    expect(record).toMatchObject({ status: "completed", endedBy: "api" });
    expect(record.streams[0]).toMatchObject({ endedBy: "twilio", customParameters: { lead: "lead_1", campaign: "C 7" } });
    expect(record.streams[0]?.sent.media).toBe(frames.length);
  });

  it("plays our audio in real time, echoes a mark when playback reaches it, and on clear drops the rest and echoes pending marks at once", async () => {
    const sid = await rest.createCall({ To: SILENT, From: FROM, Twiml: streamTwiml(worker.url) });
    const conn = await worker.connectionFor(sid);
    await conn.next((m) => m.event === "start");
    const echoOf = (name: string) => conn.next((m) => m.event === "mark" && (m.mark as { name: string }).name === name);

    // Nothing is playing: the mark comes straight back.
    let sentAt = performance.now();
    conn.mark("empty");
    expect((await echoOf("empty")).at - sentAt).toBeLessThan(300);

    const first = "first part of the message";
    const second = "second part, which the clear cuts off";
    sentAt = performance.now();
    conn.sendAudio(encodeSpeech(first), 160);
    conn.mark("first");
    conn.sendAudio(encodeSpeech(second), 1000);
    conn.mark("second");
    conn.mark("third");
    const firstEcho = await echoOf("first");
    expect(firstEcho.at - sentAt).toBeGreaterThan(speechMs(first) - 40);
    expect(firstEcho.at - sentAt).toBeLessThan(speechMs(first) + 600);

    await sleep(600);
    const clearedAt = performance.now();
    conn.clear();
    const [secondEcho, thirdEcho] = await Promise.all([echoOf("second"), echoOf("third")]);
    // At once: long before the 2.6 s of audio ahead of it could have played.
    expect(secondEcho.at - clearedAt).toBeLessThan(500);
    expect(conn.received.indexOf(secondEcho)).toBeLessThan(conn.received.indexOf(thirdEcho));

    const record = await sandbox.twilio.waitForCall(sid, (c) => c.heard.length === 2);
    expect(record.marks.map((m) => [m.name, m.viaClear])).toEqual([["empty", false], ["first", false], ["second", true], ["third", true]]);
    expect(record.clears).toHaveLength(1);
    expect(record.clears[0]?.flushedMarks).toEqual(["second", "third"]);
    expect(record.clears[0]?.droppedMs).toBeGreaterThan(speechMs(second) - 1_600);
    expect(record.clears[0]?.sinceLastAudioMs).toBeLessThanOrEqual(20);
    const [heardFirst, heardSecond] = record.heard;
    expect(heardFirst).toMatchObject({ text: first, heard: first, cut: false, heardMs: speechMs(first) });
    expect(heardSecond).toMatchObject({ text: second, cut: true });
    expect(heardSecond?.heardMs).toBeGreaterThan(400);
    expect(heardSecond?.heardMs).toBeLessThan(1_600);
    expect(second.startsWith(heardSecond?.heard ?? "x")).toBe(true);
    expect(heardSecond?.heard.length).toBeLessThan(second.length);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
  });

  it("records an underrun when our audio arrives too late and the callee hears silence inside an utterance, not when it is cut off", async () => {
    const sid = await rest.createCall({ To: SILENT, From: FROM, Twiml: streamTwiml(worker.url) });
    const conn = await worker.connectionFor(sid);
    await conn.next((m) => m.event === "start");
    const text = "this utterance arrives in two halves with a pause between them";
    const audio = encodeSpeech(text);
    const half = Math.floor(audio.length / 2 / 160) * 160;
    conn.sendAudio(audio.subarray(0, half));
    await sleep(half / 8 + 400); // the first half plays out, then ~400 ms of nothing
    conn.sendAudio(audio.subarray(half));
    conn.mark("end");
    await conn.next((m) => m.event === "mark");
    // A second utterance cut off by a clear leaves silence behind it, but is not late.
    conn.sendAudio(encodeSpeech("and this one is cleared halfway through"));
    await sleep(600);
    conn.clear();
    const record = await sandbox.twilio.waitForCall(sid, (c) => c.heard.length === 3);
    expect(record.underruns).toHaveLength(1);
    expect(record.underruns[0]?.ms).toBeGreaterThan(200);
    expect(record.underruns[0]?.ms).toBeLessThan(1_500);
    expect(record.underruns[0]?.atMs).toBe(record.heard[0]?.endMs);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
  });

  it("records frames that break the protocol, ignores them as Twilio does, and keeps the stream going", async () => {
    const sid = await rest.createCall({ To: SILENT, From: FROM, Twiml: streamTwiml(worker.url) });
    const conn = await worker.connectionFor(sid);
    await conn.next((m) => m.event === "start");
    const streamSid = conn.streamSid;
    const payload = Buffer.from(encodeSpeech("ok")).toString("base64");
    conn.send("not json");
    conn.send({ event: "media", streamSid: `MZ${"0".repeat(32)}`, media: { payload } });
    conn.send({ event: "media", streamSid, media: { payload: "%%% not base64" } });
    conn.send({ event: "dtmf", streamSid, dtmf: { digit: "1" } });
    conn.send({ event: "mark", streamSid, mark: {} });
    conn.send({ event: "clear" });
    conn.send({ event: "media", streamSid, media: { payload, track: "outbound" } });
    const record = await sandbox.twilio.waitForCall(sid, (c) => c.protocolErrors.length >= 7 && c.heard.length === 1);
    expect(record.protocolErrors.map((e) => [e.code, e.ignored])).toEqual([
      [31951, true],
      [31951, true],
      [31951, true],
      [31951, true],
      [31951, true],
      [31951, true],
      [31951, false],
    ]);
    expect(record.protocolErrors.map((e) => e.message)).toEqual([
      "Not JSON",
      expect.stringContaining("is not this stream's"),
      "media.payload is not base64",
      expect.stringContaining("Unsupported event"),
      "mark.name is missing",
      "streamSid is missing",
      "Unexpected field(s): media.track",
    ]);
    // Only the valid (if over-specified) media played.
    expect(record.heard.map((h) => h.text)).toEqual(["ok"]);
    expect(record.status).toBe("in-progress");
    // The line keeps going: 10 more frames arrive.
    const last = Number((media(conn.received).at(-1)?.message.media as { chunk: string }).chunk);
    await conn.next((m) => m.event === "media" && Number((m.media as { chunk: string }).chunk) >= last + 10, 5_000);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
  });

  it("when our Worker closes the socket, runs the TwiML after <Connect> and then ends the call", async () => {
    const sid = await rest.createCall({ To: SILENT, From: FROM, Twiml: streamTwiml(worker.url, {}, "<Say>Thanks for your time.</Say>") });
    const conn = await worker.connectionFor(sid);
    await conn.next((m) => m.event === "start");
    conn.close();
    const record = await sandbox.twilio.waitForCall(sid);
    expect(record).toMatchObject({ status: "completed", endedBy: "no-twiml-left" });
    expect(record.streams[0]).toMatchObject({ endedBy: "app", closeCode: 1000 });
    expect(record.twimlSaid).toMatchObject([{ text: "Thanks for your time.", completed: true }]);
    expect(record.heard.map((h) => h.text)).toEqual(["Thanks for your time."]);
    expect(events(conn.received)).not.toContain("stop");
  });

  it("on an update with <Say> and <Hangup/>, stops the stream, speaks to the callee and hangs up", async () => {
    const sid = await rest.createCall({ To: SILENT, From: FROM, Twiml: streamTwiml(worker.url) });
    const conn = await worker.connectionFor(sid);
    await conn.next((m) => m.event === "start");
    const updated = await rest.post(`/Calls/${sid}.json`, { Twiml: "<Response><Say>Sorry we missed you. Goodbye.</Say><Hangup/></Response>" });
    expect(updated.status).toBe(200);
    await conn.next((m) => m.event === "stop");
    expect(await conn.closed).toBe(1000);
    const record = await sandbox.twilio.waitForCall(sid);
    expect(record).toMatchObject({ status: "completed", endedBy: "twiml" });
    expect(record.twimlSaid).toMatchObject([{ text: "Sorry we missed you. Goodbye.", completed: true }]);
    expect(record.heard.at(-1)).toMatchObject({ text: "Sorry we missed you. Goodbye.", cut: false });
  });

  it("fetches TwiML from Url with a signed request, drops a query string from the stream URL, and posts signed stream events", async () => {
    const path = `/twiml/${Math.random().toString(36).slice(2)}`;
    receiver.respond(
      path,
      200,
      `<Response><Connect><Stream url="${worker.url}?token=abc" statusCallback="${receiver.url}/stream-events" name="bot"/></Connect></Response>`,
    );
    const twimlUrl = `${receiver.url}${path}?campaign=7`;
    const sid = await rest.createCall({ To: SILENT, From: FROM, Url: twimlUrl });
    const conn = await worker.connectionFor(sid);
    expect(conn.path).toBe("/media");
    await conn.next((m) => m.event === "start");
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
    const record = await sandbox.twilio.waitForCall(sid);
    await sandbox.twilio.settled(sid);

    const [fetch] = receiver.received.filter((c) => c.path === path && c.params.CallSid === sid);
    expect(fetch?.method).toBe("POST");
    expect(fetch?.params).toMatchObject({ CallSid: sid, AccountSid: sandbox.twilio.accountSid, CallStatus: "in-progress", Direction: "outbound-api", To: SILENT, From: FROM });
    expect(fetch?.headers["x-twilio-signature"]).toBe(specSignature(sandbox.twilio.authToken, twimlUrl, fetch?.params));
    expect(record.twimlIssues).toEqual([expect.stringMatching(/^31920: .*query string/)]);

    const streamEvents = receiver.forCall(sid, "/stream-events");
    expect(streamEvents.map((c) => c.params.StreamEvent)).toEqual(["stream-started", "stream-stopped"]);
    for (const event of streamEvents) {
      expect(event.params).toMatchObject({ StreamSid: conn.streamSid, StreamName: "bot", AccountSid: sandbox.twilio.accountSid });
      expect(event.headers["x-twilio-signature"]).toBe(specSignature(sandbox.twilio.authToken, event.url, event.params));
    }
  });

  it("posts the status callbacks asked for, numbered and signed; GET puts the params in the signed URL", async () => {
    const sid = await rest.createCall({
      To: SILENT,
      From: FROM,
      Twiml: streamTwiml(worker.url),
      StatusCallback: `${receiver.url}/status?tenant=acme`,
      StatusCallbackEvent: ["ringing", "answered"],
    });
    const conn = await worker.connectionFor(sid);
    await conn.next((m) => m.event === "media");
    await sleep(1_100);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
    await sandbox.twilio.waitForCall(sid);
    await sandbox.twilio.settled(sid);
    const callbacks = receiver.forCall(sid, "/status");
    expect(callbacks.map((c) => [c.params.CallStatus, c.params.SequenceNumber])).toEqual([
      ["ringing", "0"],
      ["in-progress", "1"],
      ["completed", "2"],
    ]);
    for (const callback of callbacks) {
      expect(callback.url).toBe(`${receiver.url}/status?tenant=acme`);
      expect(callback.params).toMatchObject({ AccountSid: sandbox.twilio.accountSid, From: FROM, To: SILENT, Direction: "outbound-api", CallbackSource: "call-progress-events", ApiVersion: "2010-04-01" });
      expect(callback.params.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      expect(callback.headers["x-twilio-signature"]).toBe(specSignature(sandbox.twilio.authToken, callback.url, callback.params));
    }
    expect(Number(callbacks[2]?.params.CallDuration)).toBeGreaterThanOrEqual(1);
    expect(callbacks[0]?.params.CallDuration).toBeUndefined();

    const getSid = await rest.createCall({ To: "+14155550105", From: FROM, Twiml: streamTwiml(worker.url), StatusCallback: `${receiver.url}/status-get`, StatusCallbackMethod: "GET" });
    await sandbox.twilio.waitForCall(getSid);
    await sandbox.twilio.settled(getSid);
    const [busy] = receiver.forCall(getSid, "/status-get");
    expect(busy?.method).toBe("GET");
    expect(busy?.params).toMatchObject({ CallStatus: "busy", CallDuration: "0" });
    expect(busy?.headers["x-twilio-signature"]).toBe(specSignature(sandbox.twilio.authToken, busy?.url ?? ""));
  });
});
