import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startSandbox, type Sandbox } from "../index";
import { encodeSpeech, heardText, silence, speechMs, toFrames } from "../speech/codec";
import type { DeepgramMessage, MetadataMessage, ResultsMessage } from "./index";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.setProviderConfig("deepgram", {}));
afterEach(() => {
  sandbox.deepgram.idleTimeoutMs = 10_000;
  for (const client of clients.splice(0)) client.ws.terminate();
});

const BASE_QUERY = { encoding: "mulaw", sample_rate: "8000", channels: "1", model: "nova-3", language: "en" };
const clients: Client[] = [];

/** A Worker-like client: the `ws` package with the Authorization header, as fetch-upgrade sends it. */
class Client {
  readonly received: { message: DeepgramMessage; at: number }[] = [];
  readonly closed: Promise<{ code: number; reason: string; at: number }>;
  readonly sentBytes: Uint8Array[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => this.received.push({ message: JSON.parse(String(data)) as DeepgramMessage, at: performance.now() }));
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason), at: performance.now() })));
  }

  static async open(params: Record<string, string>, options: { key?: string | null; protocols?: string[] } = {}): Promise<Client> {
    const key = options.key === undefined ? sandbox.deepgram.apiKey : options.key;
    const url = `${sandbox.env.DEEPGRAM_BASE_URL}/v1/listen?${new URLSearchParams({ ...BASE_QUERY, ...params })}`;
    const ws = new WebSocket(url, options.protocols ?? [], { headers: key === null ? {} : { Authorization: `Token ${key}` } });
    const client = new Client(ws);
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  get messages(): DeepgramMessage[] {
    return this.received.map((r) => r.message);
  }

  results(): ResultsMessage[] {
    return this.messages.filter((m): m is ResultsMessage => m.type === "Results");
  }

  /** Streams audio in 20 ms frames, as fast as the socket takes them (audio time is what counts). */
  send(audio: Uint8Array): void {
    for (const frame of toFrames(audio)) {
      this.sentBytes.push(frame);
      this.ws.send(frame);
    }
  }

  control(type: string): void {
    this.ws.send(JSON.stringify({ type }));
  }

  async waitFor<M extends DeepgramMessage>(match: (m: DeepgramMessage) => m is M, timeoutMs?: number): Promise<{ message: M; at: number }>;
  async waitFor(match: (m: DeepgramMessage) => boolean, timeoutMs?: number): Promise<{ message: DeepgramMessage; at: number }>;
  async waitFor(match: (m: DeepgramMessage) => boolean, timeoutMs = 3000): Promise<{ message: DeepgramMessage; at: number }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find((r) => match(r.message));
      if (hit) return hit;
      if (performance.now() > deadline) throw new Error(`No matching message; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await sleep(5);
    }
  }
}

interface HandshakeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A handshake the stand-in is expected to refuse, seen the way the `ws` client and a fetch-upgrade see it. */
const Handshake = {
  url(params: Record<string, string>): string {
    return `${sandbox.env.DEEPGRAM_BASE_URL}/v1/listen?${new URLSearchParams({ ...BASE_QUERY, ...params })}`;
  },

  /** The `ws` client: a non-101 answer is an `unexpected-response` event, never `open`. */
  async refused(params: Record<string, string>, options: { key?: string | null; protocols?: string[] } = {}): Promise<HandshakeAnswer> {
    const key = options.key === undefined ? sandbox.deepgram.apiKey : options.key;
    const ws = new WebSocket(Handshake.url(params), options.protocols ?? [], { headers: key === null ? {} : { Authorization: `Token ${key}` } });
    return new Promise((resolve, reject) => {
      ws.on("open", () => {
        ws.terminate();
        reject(new Error(`The handshake for ${JSON.stringify(params)} was accepted`));
      });
      ws.on("error", reject);
      ws.on("unexpected-response", (_request, response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      });
    });
  },

  /**
   * A bare HTTP request with the upgrade headers, as the Worker's `fetch(url, {headers: {Upgrade:
   * "websocket"}})` sends it: a refusal is an ordinary response. (Node's own fetch will not send an
   * Upgrade header, so this uses `node:http`.)
   */
  async raw(params: Record<string, string>, options: { key?: string } = {}): Promise<HandshakeAnswer> {
    const url = Handshake.url(params).replace(/^ws/, "http");
    const headers = {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
      Authorization: `Token ${options.key ?? sandbox.deepgram.apiKey}`,
    };
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { headers });
      request.on("upgrade", (response, socket) => {
        socket.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: "" });
      });
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      });
      request.on("error", reject);
      request.end();
    });
  },
};

const isFinal = (m: DeepgramMessage): m is ResultsMessage => m.type === "Results" && m.is_final;
const isFlushed = (m: DeepgramMessage): m is ResultsMessage => m.type === "Results" && m.from_finalize;
const isSpeechFinal = (m: DeepgramMessage): m is ResultsMessage => m.type === "Results" && m.speech_final;
const transcriptOf = (m: ResultsMessage): string => m.channel.alternatives[0]?.transcript ?? "";
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

describe("Deepgram live stand-in", () => {
  it("speaks the live protocol: SpeechStarted, growing interims, a speech_final after endpointing, then UtteranceEnd", async () => {
    const text = "Hello there, I would like to hear more about it.";
    const client = await Client.open({ interim_results: "true", vad_events: "true", endpointing: "300", utterance_end_ms: "1000", smart_format: "true" });
    client.send(concat(silence(500), encodeSpeech(text), silence(1500)));
    await client.waitFor((m) => m.type === "UtteranceEnd");

    const speechEnd = 500 + speechMs(text);
    const types = client.messages.map((m) => (m.type === "Results" ? (m.is_final ? "final" : "interim") : m.type));
    expect(types[0]).toBe("SpeechStarted");
    expect(types.slice(-2)).toEqual(["final", "UtteranceEnd"]);
    expect(new Set(types.slice(1, -2))).toEqual(new Set(["interim"]));

    expect(client.messages[0]).toEqual({ type: "SpeechStarted", channel: [0, 1], timestamp: 0.5 });

    const interims = client.results().filter((m) => !m.is_final).map(transcriptOf);
    expect(interims.length).toBeGreaterThanOrEqual(3);
    interims.forEach((t, i) => {
      expect(text.startsWith(t)).toBe(true);
      if (i > 0) expect(t.length).toBeGreaterThan(interims[i - 1]?.length ?? 0);
    });

    const final = client.results().find((m) => m.is_final);
    expect(final).toMatchObject({
      type: "Results",
      channel_index: [0, 1],
      start: 0,
      duration: (speechEnd + 300) / 1000,
      is_final: true,
      speech_final: true,
      from_finalize: false,
      metadata: { model_info: { arch: "nova-3" } },
    });
    expect(final && transcriptOf(final)).toBe(text);
    const words = final?.channel.alternatives[0]?.words ?? [];
    expect(words[0]).toMatchObject({ word: "hello", punctuated_word: "Hello", start: 0.5 });
    expect(words[1]).toMatchObject({ word: "there", punctuated_word: "there," });
    expect(words.at(-1)).toMatchObject({ word: "it", punctuated_word: "it.", end: speechEnd / 1000 });
    for (const w of words) expect(w.confidence).toBeGreaterThan(0.5);

    expect(client.messages.at(-1)).toEqual({ type: "UtteranceEnd", channel: [0, 1], last_word_end: speechEnd / 1000 });

    const session = sandbox.deepgram.sessions().at(-1);
    expect(session).toMatchObject({ open: true, query: { model: "nova-3", language: "en", endpointing: "300" }, options: { model: "nova-3", language: "en", endpointingMs: 300 } });
    expect(final?.metadata.request_id).toBe(session?.requestId);
    expect(session?.sent).toEqual(client.messages);
  });

  it("waits for `endpointing` ms of silence before speech_final, and joins speech across a shorter pause", async () => {
    const client = await Client.open({ endpointing: "500" });
    client.send(concat(encodeSpeech("first part"), silence(200), encodeSpeech("and the rest"), silence(440)));
    await sleep(150);
    expect(client.results()).toEqual([]);

    client.send(silence(60));
    const { message } = await client.waitFor(isSpeechFinal);
    expect(transcriptOf(message)).toBe("first part and the rest");
    expect(client.results()).toHaveLength(1);
    expect(client.messages.some((m) => m.type === "SpeechStarted")).toBe(false); // vad_events not asked for
  });

  it("answers without punctuate as Deepgram does (bare lower-case words), in any language, and reads the model and language", async () => {
    const text = "Так, мені цікаво. Розкажіть більше";
    const client = await Client.open({ model: "nova-2", language: "uk" });
    client.send(concat(silence(100), encodeSpeech(text), silence(100)));
    const { message } = await client.waitFor(isFinal);
    expect(transcriptOf(message)).toBe("так мені цікаво розкажіть більше");
    expect(message.metadata.model_info).toMatchObject({ name: "2-general-nova", arch: "nova-2" });
    expect(sandbox.deepgram.sessions().at(-1)?.options).toMatchObject({ model: "nova-2", language: "uk", punctuate: false });

    const multi = await Client.open({ language: "multi", punctuate: "true" });
    multi.send(concat(encodeSpeech("Так, цікаво. Tell me more"), silence(50)));
    const { message: mixed } = await multi.waitFor(isFinal);
    expect(mixed.channel.alternatives[0]).toMatchObject({ transcript: "Так, цікаво. Tell me more", languages: ["uk", "en"] });
    expect(mixed.channel.alternatives[0]?.words.map((w) => w.language)).toEqual(["uk", "uk", "en", "en", "en"]);
  });

  it("gives the same results whatever the audio chunking", async () => {
    const audio = concat(silence(330), encodeSpeech("one two three four five six seven"), silence(1200));
    const shape = (c: Client) => c.messages.map((m) => (m.type === "Results" ? [m.is_final, m.speech_final, m.start, m.duration, transcriptOf(m)] : m));
    const query = { interim_results: "true", vad_events: "true", utterance_end_ms: "1000", endpointing: "100" };
    const framed = await Client.open(query);
    framed.send(audio);
    const whole = await Client.open(query);
    whole.ws.send(audio);
    const odd = await Client.open(query);
    for (let i = 0; i < audio.length; i += 333) odd.ws.send(audio.subarray(i, i + 333));
    await Promise.all([framed, whole, odd].map((c) => c.waitFor((m) => m.type === "UtteranceEnd")));
    expect(shape(whole)).toEqual(shape(framed));
    expect(shape(odd)).toEqual(shape(framed));
  });

  it("finalises long speech in pieces, speech_final only at the endpoint", async () => {
    const text = "This is a long answer that goes on and on about the product, the price and the terms of the deal we discussed";
    expect(speechMs(text)).toBeGreaterThan(6000);
    const client = await Client.open({ punctuate: "true" });
    client.send(concat(encodeSpeech(text), silence(100)));
    await client.waitFor(isSpeechFinal);
    const finals = client.results().filter((m) => m.is_final);
    expect(finals.length).toBeGreaterThanOrEqual(2);
    expect(finals.slice(0, -1).every((m) => !m.speech_final)).toBe(true);
    expect(finals.map(transcriptOf).join(" ")).toBe(text);
    finals.slice(1).forEach((m, i) => expect(m.start).toBeCloseTo((finals[i]?.start ?? 0) + (finals[i]?.duration ?? 0), 6));
  });

  it("Finalize flushes what was heard so far as from_finalize; the rest follows with speech_final", async () => {
    const text = "one two three four five six";
    const audio = encodeSpeech(text);
    const cut = 1000 * 8;
    const client = await Client.open({ endpointing: "300" });
    client.send(audio.subarray(0, cut));
    client.control("Finalize");
    const { message: flushed } = await client.waitFor(isFlushed);
    expect(flushed).toMatchObject({ is_final: true, speech_final: false, from_finalize: true, start: 0, duration: 1 });
    expect(transcriptOf(flushed)).toBe(heardText(text, 1000));
    expect(transcriptOf(flushed)).not.toBe("");

    client.send(concat(audio.subarray(cut), silence(400)));
    const { message: rest } = await client.waitFor(isSpeechFinal);
    expect(rest.start).toBe(1);
    expect(`${transcriptOf(flushed)} ${transcriptOf(rest)}`).toBe(text);
    expect(sandbox.deepgram.sessions().at(-1)?.controls).toEqual(["Finalize"]);
  });

  it("CloseStream sends the remaining results, then Metadata, then closes 1000", async () => {
    const text = "see you tomorrow";
    const client = await Client.open({ punctuate: "true" });
    client.send(concat(silence(40), encodeSpeech(text)));
    client.control("CloseStream");
    const closed = await client.closed;
    expect(closed.code).toBe(1000);

    expect(client.messages.map((m) => m.type)).toEqual(["Results", "Metadata"]);
    const [final, metadata] = client.messages as [ResultsMessage, MetadataMessage];
    expect(final).toMatchObject({ is_final: true, speech_final: false });
    expect(transcriptOf(final)).toBe(text);
    const audioMs = client.sentBytes.reduce((n, f) => n + f.length, 0) / 8;
    const sha256 = createHash("sha256");
    for (const frame of client.sentBytes) sha256.update(frame);
    expect(metadata).toMatchObject({
      type: "Metadata",
      transaction_key: "deprecated",
      request_id: final.metadata.request_id,
      sha256: sha256.digest("hex"),
      duration: audioMs / 1000,
      channels: 1,
      models: [final.metadata.model_uuid],
    });
    expect(metadata.model_info[final.metadata.model_uuid]).toEqual(final.metadata.model_info);
    expect(sandbox.deepgram.sessions().at(-1)).toMatchObject({ open: false, closed: { code: 1000, by: "server" } });
  });

  it("an empty binary frame ends the stream as CloseStream does", async () => {
    const client = await Client.open({});
    client.send(encodeSpeech("bye"));
    client.ws.send(new Uint8Array(0));
    expect((await client.closed).code).toBe(1000);
    expect(client.messages.map((m) => m.type)).toEqual(["Results", "Metadata"]);
  });

  it("closes a socket with 1011 NET-0001 after the idle timeout; KeepAlive or audio holds it open", async () => {
    sandbox.deepgram.idleTimeoutMs = 300;
    const quiet = await Client.open({});
    const kept = await Client.open({});
    const fed = await Client.open({});
    for (let i = 0; i < 7; i++) {
      kept.control("KeepAlive");
      fed.send(silence(20));
      await sleep(100);
    }
    const quietClose = await quiet.closed;
    expect(quietClose).toMatchObject({ code: 1011, reason: "NET-0001" });
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);
    expect(fed.ws.readyState).toBe(WebSocket.OPEN);

    const stoppedAt = performance.now();
    const keptClose = await kept.closed;
    expect(keptClose).toMatchObject({ code: 1011, reason: "NET-0001" });
    expect(keptClose.at - stoppedAt).toBeGreaterThan(100);
    expect(kept.messages).toEqual([]); // KeepAlive gets no answer
    expect(sandbox.deepgram.sessions().find((s) => s.controls.includes("KeepAlive"))?.closed).toMatchObject({ code: 1011, by: "server" });
  });

  it("refuses a wrong or missing key at the handshake: 401 INVALID_AUTH with dg-request-id and dg-error", async () => {
    for (const [key, protocols] of [["0".repeat(40), []], [null, []], [null, ["token", "0".repeat(40)]]] as const) {
      const answer = await Handshake.refused({}, { key, protocols: [...protocols] });
      const session = sandbox.deepgram.sessions().at(-1);
      expect(answer.status).toBe(401);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(answer.headers["dg-error"]).toBe("Invalid credentials.");
      expect(answer.headers["dg-request-id"]).toBe(session?.requestId);
      expect(JSON.parse(answer.body)).toEqual({ err_code: "INVALID_AUTH", err_msg: "Invalid credentials.", request_id: session?.requestId });
      expect(session).toMatchObject({
        refused: { status: 401, code: "INVALID_AUTH", message: "Invalid credentials.", dgError: "Invalid credentials." },
        options: null,
        open: false,
        closed: null,
        sent: [],
      });
    }

    const browser = await Client.open({}, { key: null, protocols: ["token", sandbox.deepgram.apiKey] });
    browser.send(concat(encodeSpeech("hello"), silence(50)));
    const { message } = await browser.waitFor(isFinal);
    expect(transcriptOf(message)).toBe("hello");
    expect(sandbox.deepgram.sessions().at(-1)).toMatchObject({ refused: null, open: true });
  });

  it("refuses audio it cannot hear and bad parameters at the handshake: 400 with the reason", async () => {
    const bad: [Record<string, string>, string][] = [
      [{ encoding: "linear16" }, "The sandbox hears only encoding=mulaw (got linear16)."],
      [{ sample_rate: "16000" }, "The sandbox hears only sample_rate=8000 (got 16000)."],
      [{ channels: "2" }, "The sandbox hears only channels=1 (got 2)."],
      [{ model: "whisper-large" }, "No such model/language/tier combination found."],
      [{ language: "English" }, "No such model/language/tier combination found."],
      [{ endpointing: "soon" }, "Invalid 'endpointing' value of 'soon'."],
      [{ interim_results: "yes" }, "Invalid 'interim_results' value of 'yes'."],
      [{ interim_results: "true", utterance_end_ms: "999" }, "Invalid 'utterance_end_ms' value of '999'."],
      [{ utterance_end_ms: "1000" }, "utterance_end_ms requires interim_results=true."],
    ];
    for (const [params, reason] of bad) {
      const answer = await Handshake.refused(params);
      const session = sandbox.deepgram.sessions().at(-1);
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(answer.headers["dg-error"]).toBe(reason);
      expect(answer.headers["dg-request-id"]).toBe(session?.requestId);
      expect(JSON.parse(answer.body)).toEqual({ err_code: "Bad Request", err_msg: `Bad Request: ${reason}`, request_id: session?.requestId });
      expect(session).toMatchObject({ query: { ...BASE_QUERY, ...params }, options: null, open: false, refused: { status: 400, message: `Bad Request: ${reason}`, dgError: reason } });
    }

    // A query value is echoed in the body as sent, but the header keeps to printable ASCII.
    const echoed = await Handshake.refused({ encoding: "мулав\r\nx-injected: 1" });
    expect(echoed.headers["dg-error"]).toBe("The sandbox hears only encoding=mulaw (got ???????x-injected: 1).");
    expect(echoed.headers["x-injected"]).toBeUndefined();
    expect(JSON.parse(echoed.body).err_msg).toBe("Bad Request: The sandbox hears only encoding=mulaw (got мулав\r\nx-injected: 1).");

    // A valid key is checked before the query, as Deepgram does.
    expect((await Handshake.refused({ encoding: "linear16" }, { key: null })).status).toBe(401);
  });

  it("answers a refused handshake as plain HTTP, which a fetch-upgrade (the Worker) reads as a Response", async () => {
    const refused = await Handshake.raw({ model: "whisper-large" });
    expect(refused.status).toBe(400);
    expect(refused.headers.connection).toBe("close");
    expect(refused.headers["content-length"]).toBe(String(Buffer.byteLength(refused.body)));
    expect(JSON.parse(refused.body)).toMatchObject({ err_code: "Bad Request", err_msg: "Bad Request: No such model/language/tier combination found." });

    const unauthorised = await Handshake.raw({}, { key: "wrong" });
    expect(unauthorised.status).toBe(401);
    expect(JSON.parse(unauthorised.body)).toMatchObject({ err_code: "INVALID_AUTH", request_id: unauthorised.headers["dg-request-id"] });

    const accepted = await Handshake.raw({});
    expect(accepted.status).toBe(101);
  });

  it("delays each result by the injected latency, keeping their order", async () => {
    const audio = concat(encodeSpeech("how much is it"), silence(100));
    const timing = async (): Promise<number> => {
      const client = await Client.open({ vad_events: "true" });
      client.send(audio);
      const sentAt = performance.now();
      const { at } = await client.waitFor(isFinal);
      expect(client.messages.map((m) => m.type)).toEqual(["SpeechStarted", "Results"]);
      return at - sentAt;
    };
    expect(await timing()).toBeLessThan(150);
    sandbox.setProviderConfig("deepgram", { latencyMs: 200 });
    expect(await timing()).toBeGreaterThanOrEqual(195);

    // Jitter draws a latency per message, but never lets one overtake another.
    sandbox.setProviderConfig("deepgram", { latencyMs: 10, jitterMs: 300 });
    const client = await Client.open({ vad_events: "true", interim_results: "true", utterance_end_ms: "1000" });
    client.send(concat(encodeSpeech("one two three four five six seven eight nine ten"), silence(1200)));
    await client.waitFor((m) => m.type === "UtteranceEnd", 5000);
    const types = client.messages.map((m) => (m.type === "Results" ? (m.is_final ? "final" : "interim") : m.type));
    expect(types).toEqual(["SpeechStarted", ...types.slice(1, -2).map(() => "interim"), "final", "UtteranceEnd"]);
    const lengths = client.results().map((m) => transcriptOf(m).length);
    expect(lengths.length).toBeGreaterThan(4);
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
  });

  it("serves no HTTP besides the socket, in Deepgram's error shape", async () => {
    const response = await fetch(`${sandbox.url}/deepgram/v1/listen`, { method: "POST", headers: { Authorization: `Token ${sandbox.deepgram.apiKey}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ err_code: "NOT_FOUND", request_id: expect.any(String) });
    expect(sandbox.env.DEEPGRAM_BASE_URL).toBe(`${sandbox.url.replace("http://", "ws://")}/deepgram`);
    expect(sandbox.env.DEEPGRAM_API_KEY).toBe(sandbox.deepgram.apiKey);
  });
});
