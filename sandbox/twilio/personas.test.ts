import { createHmac } from "node:crypto";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSpeech, speechMs, type SpeechEvent } from "../speech/codec";
import { startSandbox, type Sandbox } from "../harness/server";
import { PERSONAS } from "./personas";
import { startCallbackReceiver, startFakeWorker, streamTwiml, twilioRest, type CallbackReceiver, type FakeWorker, type WorkerConnection } from "./test-kit";

const FROM = "+14155550001";
const NUMBERS = {
  interested: "+14155550100",
  objecting: "+14155550101",
  interrupting: "+14155550103",
  voicemail: "+14155550104",
  busy: "+14155550105",
  noAnswer: "+14155550106",
  doNotCall: "+14155550107",
};

let sandbox: Sandbox;
let worker: FakeWorker;
let receiver: CallbackReceiver;
let rest: ReturnType<typeof twilioRest>;

beforeAll(async () => {
  [sandbox, worker, receiver] = await Promise.all([startSandbox({ port: 0 }), startFakeWorker(), startCallbackReceiver()]);
  rest = twilioRest(sandbox);
  sandbox.twilio.setTiming({ dialMs: 10, ringingAfterMs: 20, ringMs: 150, busyAfterMs: 100 });
});
afterAll(async () => {
  await Promise.all([sandbox.close(), worker.close(), receiver.close()]);
});

function signedBy(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", token).update(data).digest("base64");
}

/** The next thing the callee says after now, as our Worker decodes it from the inbound media. */
async function nextWords(conn: WorkerConnection, from = conn.heard.length): Promise<Extract<SpeechEvent, { type: "text" }>> {
  const event = await conn.nextHeard((e) => e.type === "text" && conn.heard.indexOf(e) >= from, 15_000);
  if (event.type !== "text") throw new Error("unreachable");
  return event;
}

/** Waits until the callee has finished its current utterance. */
async function calleeDone(conn: WorkerConnection): Promise<void> {
  const from = conn.heard.length;
  const last = conn.heard.at(-1);
  if (last === undefined || last.type === "speech-end") return;
  await conn.nextHeard((e) => e.type === "speech-end" && conn.heard.indexOf(e) >= from, 15_000);
}

/**
 * The callee has said its pickup line. Read from the record, not the socket: the callee starts
 * talking when it answers, and on a loaded machine the stream may connect after its first words.
 */
async function pickedUp(sid: string): Promise<string | null> {
  const record = await sandbox.twilio.waitForCall(sid, (c) => c.said[0]?.endMs != null, { timeoutMs: 15_000 });
  return record.said[0]?.text ?? null;
}

/** Says `text` as the bot and returns the callee's answer. */
async function exchange(conn: WorkerConnection, text: string): Promise<string> {
  await calleeDone(conn);
  const from = conn.heard.length;
  conn.sendAudio(encodeSpeech(text));
  const answer = await nextWords(conn, from);
  return answer.text;
}

async function call(to: string, extra: Record<string, string | string[]> = {}): Promise<{ sid: string; conn: WorkerConnection }> {
  const sid = await rest.createCall({ To: to, From: FROM, Twiml: streamTwiml(worker.url, { to }), ...extra });
  return { sid, conn: await worker.connectionFor(sid) };
}

describe.concurrent("Twilio stand-in: simulated callees", { timeout: 45_000 }, () => {
  it("interested: says hello, answers what it heard after a human gap, agrees to a meeting, and hangs up after goodbye", async () => {
    const { sid, conn } = await call(NUMBERS.interested);
    expect(await pickedUp(sid)).toBe("Hello?");
    const replyFrom = conn.heard.length;
    expect(await exchange(conn, "Anna from Noir. Got a minute?")).toMatch(/interesting|listening/);
    const workerHeardReply = conn.heard.slice(replyFrom).find((e) => e.type === "speech-start");
    expect(await exchange(conn, "A demo on Tuesday?")).toMatch(/meeting|call/);
    expect(await exchange(conn, "Great. Goodbye!")).toMatch(/bye/i);
    await conn.next((m) => m.event === "stop", 10_000);

    const record = await sandbox.twilio.waitForCall(sid);
    expect(record).toMatchObject({ status: "completed", endedBy: "callee", persona: "interested" });
    expect(record.said.map((s) => s.kind)).toEqual(["pickup", "reply", "reply", "reply"]);
    expect(record.heard.map((h) => h.cut)).toEqual([false, false, false]);
    for (const [i, reply] of record.said.slice(1).entries()) {
      const gap = reply.startMs - (record.heard[i]?.endMs ?? 0);
      expect(gap).toBeGreaterThanOrEqual(400);
      expect(gap).toBeLessThanOrEqual(720);
    }
    // Audio time in the stream matches what our Worker decoded from it.
    expect(record.said[1]?.streamMs).toBe(workerHeardReply?.atMs);
  });

  it("interrupting: talks ~600 ms into a long utterance; our clear cuts what it heard, and the barge-in is measured", async () => {
    const { sid, conn } = await call(NUMBERS.interrupting);
    await pickedUp(sid);
    await calleeDone(conn);
    const pitch = "Hi, this is Anna from Noir. I am calling about our new scheduling assistant for busy sales teams.";
    const from = conn.heard.length;
    conn.sendAudio(encodeSpeech(pitch));
    // Our Worker's barge-in: the callee's voice starts, we clear.
    await conn.nextHeard((e) => e.type === "speech-start" && conn.heard.indexOf(e) >= from, 5_000);
    conn.clear();
    const record = await sandbox.twilio.waitForCall(sid, (c) => c.bargeIns[0]?.stoppedBy != null && c.heard.length > 0);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });

    const interruption = record.said.find((s) => s.kind === "interruption");
    expect(PERSONAS.interrupting.interrupt?.say).toContain(interruption?.text);
    expect(interruption?.overBot).toBe(true);
    const bot = record.heard[0];
    expect(bot).toMatchObject({ text: pitch, cut: true, overlapped: true });
    const into = (interruption?.startMs ?? 0) - (bot?.startMs ?? 0);
    expect(into).toBeGreaterThanOrEqual(550);
    expect(into).toBeLessThanOrEqual(720);
    expect(bot?.heardMs).toBeGreaterThan(into);
    expect(bot?.heardMs).toBeLessThan(into + 1_000);
    expect(pitch.startsWith(bot?.heard ?? "x")).toBe(true);
    expect(bot?.heard.split(" ").length).toBeLessThan(pitch.split(" ").length / 2);
    expect(record.bargeIns[0]).toMatchObject({ calleeText: interruption?.text, stoppedBy: "clear" });
    // Our Worker reacted within a few frames (generous for a loaded machine; without a clear it is ~1.8 s+).
    expect(record.bargeIns[0]?.latencyMs).toBeLessThan(1_000);
    expect(record.clears[0]?.reactionMs).toBeLessThan(1_000);
    expect(record.clears[0]?.calleeSpeechStartMs).toBe(interruption?.startMs);
  });

  it("interrupting: without a clear the bot talks over the callee to the end, and nothing is cut", async () => {
    const { sid, conn } = await call(NUMBERS.interrupting);
    await pickedUp(sid);
    await calleeDone(conn);
    const line = "Let me tell you about our product, it is great.";
    conn.sendAudio(encodeSpeech(line));
    const record = await sandbox.twilio.waitForCall(sid, (c) => c.bargeIns[0]?.stoppedBy != null && c.heard.length > 0);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
    expect(record.heard[0]).toMatchObject({ text: line, heard: line, cut: false, overlapped: true });
    expect(record.bargeIns[0]?.stoppedBy).toBe("finished");
    expect(record.bargeIns[0]?.latencyMs).toBeGreaterThan(speechMs(line) - 720 - 40);
    expect(record.clears).toEqual([]);
  });

  it("busy and no-answer: the right status callbacks, and no media socket", async () => {
    const callbacks = { StatusCallback: `${receiver.url}/status`, StatusCallbackEvent: ["initiated", "ringing", "answered", "completed"] };
    const busy = await rest.createCall({ To: NUMBERS.busy, From: FROM, Twiml: streamTwiml(worker.url), ...callbacks });
    const noAnswer = await rest.createCall({ To: NUMBERS.noAnswer, From: FROM, Twiml: streamTwiml(worker.url), Timeout: "2", ...callbacks });
    const [busyRecord, noAnswerRecord] = await Promise.all([sandbox.twilio.waitForCall(busy), sandbox.twilio.waitForCall(noAnswer)]);
    await Promise.all([sandbox.twilio.settled(busy), sandbox.twilio.settled(noAnswer)]);

    expect(receiver.forCall(busy, "/status").map((c) => c.params.CallStatus)).toEqual(["initiated", "busy"]);
    expect(receiver.forCall(noAnswer, "/status").map((c) => c.params.CallStatus)).toEqual(["initiated", "ringing", "no-answer"]);
    for (const callback of [...receiver.forCall(busy, "/status"), ...receiver.forCall(noAnswer, "/status")]) {
      expect(callback.headers["x-twilio-signature"]).toBe(signedBy(sandbox.twilio.authToken, callback.url, callback.params));
    }
    expect(receiver.forCall(noAnswer, "/status").at(-1)?.params.CallDuration).toBe("0");
    const rang = (noAnswerRecord.timeline.at(-1)?.at ?? 0) - (noAnswerRecord.timeline.find((t) => t.status === "ringing")?.at ?? 0);
    expect(rang).toBeGreaterThanOrEqual(1_950);
    expect(rang).toBeLessThan(3_200);
    for (const record of [busyRecord, noAnswerRecord]) {
      expect(record.answeredAt).toBeNull();
      expect(record.streams).toEqual([]);
    }
    expect(worker.connections.some((c) => c.callSid === busy || c.callSid === noAnswer)).toBe(false);
    const resource = (await (await rest.get(`/Calls/${noAnswer}.json`)).json()) as { status: string; duration: string };
    expect(resource).toMatchObject({ status: "no-answer", duration: "0" });
  });

  it("voicemail with async DetectMessageEnd: greets, beeps, posts machine_end_beep, and records the message left", async () => {
    const { sid, conn } = await call(NUMBERS.voicemail, {
      MachineDetection: "DetectMessageEnd",
      AsyncAmd: "true",
      AsyncAmdStatusCallback: `${receiver.url}/amd`,
    });
    const decided = await sandbox.twilio.waitForCall(sid, (c) => c.amd?.answeredBy != null);
    expect(decided.said[0]).toMatchObject({ kind: "greeting", text: PERSONAS.voicemail.voicemail?.greeting });
    await sandbox.twilio.settled(sid);
    const [amd] = receiver.forCall(sid, "/amd");
    expect(amd?.params).toMatchObject({ AnsweredBy: "machine_end_beep", AccountSid: sandbox.twilio.accountSid });
    expect(amd?.headers["x-twilio-signature"]).toBe(signedBy(sandbox.twilio.authToken, amd?.url ?? "", amd?.params ?? {}));
    const greetingEnd = 300 + speechMs(PERSONAS.voicemail.voicemail?.greeting ?? "") + 200 + 500;
    expect(Number(amd?.params.MachineDetectionDuration)).toBeGreaterThanOrEqual(greetingEnd);
    expect(Number(amd?.params.MachineDetectionDuration)).toBeLessThanOrEqual(greetingEnd + 40);

    const message = "Hi Olena, this is Anna from Noir. Please call me back.";
    conn.sendAudio(encodeSpeech(message));
    const record = await sandbox.twilio.waitForCall(sid, (c) => (c.voicemail?.message.length ?? 0) > 0);
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
    expect(record.voicemail?.message).toMatchObject([{ text: message, heard: message, cut: false }]);
    // The callee acts on 20 ms frame boundaries.
    expect(record.voicemail?.beepAtMs).toBeGreaterThanOrEqual(greetingEnd - 500);
    expect(record.voicemail?.beepAtMs).toBeLessThanOrEqual(greetingEnd - 500 + 20);
    expect(record.said.map((s) => s.kind)).toEqual(["greeting", "beep"]);
    const resource = (await (await rest.get(`/Calls/${sid}.json`)).json()) as { answered_by: string };
    expect(resource.answered_by).toBe("machine_end_beep");
  });

  it("synchronous AMD: the stream opens only after the verdict (machine_start for a voicemail, human for a hello)", async () => {
    const machine = await call(NUMBERS.voicemail, { MachineDetection: "Enable" });
    const human = await call(NUMBERS.interested, { MachineDetection: "Enable", AsyncAmd: "true", AsyncAmdStatusCallback: `${receiver.url}/amd` });
    const [machineRecord, humanRecord] = await Promise.all([
      sandbox.twilio.waitForCall(machine.sid, (c) => c.streams[0]?.connectedAtMs != null),
      sandbox.twilio.waitForCall(human.sid, (c) => c.amd?.answeredBy != null),
    ]);
    await Promise.all([rest.post(`/Calls/${machine.sid}.json`, { Status: "completed" }), rest.post(`/Calls/${human.sid}.json`, { Status: "completed" })]);

    expect(machineRecord.amd).toMatchObject({ mode: "Enable", async: false, answeredBy: "machine_start", detectionMs: 300 + 2_400 });
    expect(machineRecord.streams[0]?.connectedAtMs).toBeGreaterThanOrEqual(2_700);
    expect(receiver.forCall(machine.sid, "/amd")).toEqual([]);

    // Async: the stream was already open when the verdict came.
    const hello = humanRecord.said[0];
    expect(humanRecord.amd).toMatchObject({ async: true, answeredBy: "human" });
    expect(humanRecord.amd?.detectionMs).toBeCloseTo((hello?.endMs ?? 0) + 1_200, -2);
    expect(humanRecord.streams[0]?.connectedAtMs).toBeLessThan(hello?.startMs ?? 0);
    await sandbox.twilio.settled(human.sid);
    expect(receiver.forCall(human.sid, "/amd").map((c) => c.params.AnsweredBy)).toEqual(["human"]);
  });

  it("do-not-call: asks not to be called again after the greeting, then hangs up on its own", async () => {
    const { sid, conn } = await call(NUMBERS.doNotCall);
    await pickedUp(sid);
    const sentAt = performance.now();
    expect(await exchange(conn, "Hi, this is Anna from Noir.")).toBe("Please don't call me again. Take me off your list.");
    await conn.next((m) => m.event === "stop", 10_000);
    expect(performance.now() - sentAt).toBeGreaterThan(speechMs("Please don't call me again. Take me off your list.") + 2_000);
    const record = await sandbox.twilio.waitForCall(sid);
    expect(record).toMatchObject({ status: "completed", endedBy: "callee" });
  });

  it("objecting: raises the price, then another tool, then asks for an email", async () => {
    const { sid, conn } = await call(NUMBERS.objecting);
    expect(await pickedUp(sid)).toBe("Hello, who is this?");
    expect(await exchange(conn, "Hi, this is Anna from Noir.")).toBe("Sounds too expensive for us.");
    expect(await exchange(conn, "We have a plan at ten dollars.")).toBe("That is too expensive for us.");
    expect(await exchange(conn, "Can I send you an email?")).toBe("Yes, just send me an email.");
    await rest.post(`/Calls/${sid}.json`, { Status: "completed" });
  });
});
