import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { z } from "zod";
import { startSandbox, type Sandbox } from "../index";
import { speechMs, SpeechDecoder } from "../speech/codec";
import { VOICE_IDS } from "./index";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.elevenlabs.clear();
  sandbox.elevenlabs.setInactivityTimeoutMs(null);
  sandbox.setProviderConfig("elevenlabs", {});
});

const VOICE = VOICE_IDS.olena;
const BOS = { text: " ", voice_settings: { stability: 0.5, similarity_boost: 0.8, speed: 1 } };

const Alignment = z.strictObject({ chars: z.array(z.string()), charStartTimesMs: z.array(z.number().int()), charDurationsMs: z.array(z.number().int()) });
const AudioMessage = z.strictObject({ audio: z.string().min(1), isFinal: z.null(), normalizedAlignment: Alignment.nullable(), alignment: Alignment.nullable() });
const FinalMessage = z.strictObject({ audio: z.null(), isFinal: z.literal(true), normalizedAlignment: z.null(), alignment: z.null() });
const ErrorMessage = z.strictObject({ message: z.string(), error: z.string(), code: z.literal(1008) });
type AudioMessage = z.infer<typeof AudioMessage>;

interface Client {
  ws: WebSocket;
  messages: { at: number; data: Record<string, unknown> }[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message (from `from` on) that matches, or rejects after `ms`. */
  waitFor(match: (data: Record<string, unknown>) => boolean, ms?: number, from?: number): Promise<{ at: number; data: Record<string, unknown> }>;
  audio(): AudioMessage[];
}

function streamUrl(voiceId: string, query: Record<string, string> = {}): string {
  const params = new URLSearchParams({ model_id: "eleven_flash_v2_5", output_format: "ulaw_8000", ...query });
  return `${sandbox.url.replace("http", "ws")}/elevenlabs/v1/text-to-speech/${voiceId}/stream-input?${params}`;
}

async function connect(options: { voiceId?: string; query?: Record<string, string>; key?: string | null } = {}): Promise<Client> {
  const key = options.key === undefined ? sandbox.elevenlabs.apiKey : options.key;
  const ws = new WebSocket(streamUrl(options.voiceId ?? VOICE, options.query), key === null ? {} : { headers: { "xi-api-key": key } });
  const messages: Client["messages"] = [];
  const listeners = new Set<() => void>();
  ws.on("message", (raw) => {
    messages.push({ at: Date.now(), data: JSON.parse(raw.toString()) as Record<string, unknown> });
    for (const listener of listeners) listener();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    messages,
    closed,
    send: (message) => ws.send(JSON.stringify(message)),
    waitFor: (match, ms = 2000, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.slice(from).find((m) => match(m.data));
          if (!found) return false;
          listeners.delete(listener);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const listener = () => void check();
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`No matching message within ${ms} ms; got ${JSON.stringify(messages.map((m) => m.data))}`));
        }, ms);
        listeners.add(listener);
        check();
      }),
    audio: () => messages.filter((m) => typeof m.data.audio === "string").map((m) => AudioMessage.parse(m.data)),
  };
}

interface HandshakeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A handshake expected to be refused, as the `ws` client sees it: `unexpected-response`, never `open`. */
function handshake(options: { voiceId?: string; query?: Record<string, string>; key?: string | null } = {}): Promise<HandshakeAnswer> {
  const key = options.key === undefined ? sandbox.elevenlabs.apiKey : options.key;
  const ws = new WebSocket(streamUrl(options.voiceId ?? VOICE, options.query), key === null ? {} : { headers: { "xi-api-key": key } });
  return new Promise((resolve, reject) => {
    ws.on("open", () => {
      ws.terminate();
      reject(new Error("The handshake was accepted"));
    });
    ws.on("error", reject);
    ws.on("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
  });
}

/**
 * A bare HTTP request with the upgrade headers, as the Worker's fetch-upgrade sends it: a refusal
 * is an ordinary response, an accepted handshake a 101. (Node's fetch will not send an Upgrade header.)
 */
function rawHandshake(query: Record<string, string>, key?: string): Promise<HandshakeAnswer> {
  const headers: Record<string, string> = {
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
    ...(key === undefined ? {} : { "xi-api-key": key }),
  };
  return new Promise((resolve, reject) => {
    const request = httpRequest(streamUrl(VOICE, query).replace(/^ws/, "http"), { headers });
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
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the audio messages say, read back as the sandbox's callee would. */
function spoken(audio: AudioMessage[]): string[] {
  const decoder = new SpeechDecoder();
  const texts: string[] = [];
  for (const message of audio) {
    for (const event of decoder.push(Buffer.from(message.audio, "base64"))) if (event.type === "text") texts.push(event.text);
  }
  return texts;
}

describe("ElevenLabs stand-in: stream-input buffering", () => {
  it("holds text under the chunk schedule and says it once a flush arrives", async () => {
    const client = await connect();
    client.send(BOS);
    client.send({ text: "Добрий день! " });
    client.send({ text: "Це Олена з Noir. " });
    await sleep(250);
    expect(client.audio()).toHaveLength(0);
    expect(sandbox.elevenlabs.lastSession()?.buffered).toBe(" Добрий день! Це Олена з Noir. ");

    client.send({ text: "Маєте хвилинку? ", flush: true });
    await client.waitFor((m) => typeof m.audio === "string");
    client.send({ text: "" });
    await client.waitFor((m) => m.isFinal === true);

    expect(spoken(client.audio())).toEqual(["Добрий день! Це Олена з Noir. Маєте хвилинку?"]);
    const session = sandbox.elevenlabs.lastSession();
    expect(session?.segments.map((s) => s.trigger)).toEqual(["flush"]);
    expect(session?.texts.map((t) => t.flush)).toEqual([false, false, true]);
  });

  it("releases text by the chunk_length_schedule, up to the last whole word", async () => {
    const client = await connect();
    client.send({ ...BOS, generation_config: { chunk_length_schedule: [50, 60] } });
    client.send({ text: "The quick brown fox jumps over the lazy dog and then" }); // 51 characters with the BOS space
    client.send({ text: " naps" });
    await client.waitFor((m) => typeof m.audio === "string");
    await sleep(100);
    expect(spoken(client.audio())).toEqual(["The quick brown fox jumps over the lazy dog and"]);
    expect(sandbox.elevenlabs.lastSession()?.buffered).toBe("then naps");

    client.send({ text: "" });
    await client.waitFor((m) => m.isFinal === true);
    expect(spoken(client.audio())).toEqual(["The quick brown fox jumps over the lazy dog and", "then naps"]);
    expect(sandbox.elevenlabs.lastSession()?.segments.map((s) => s.trigger)).toEqual(["schedule", "eos"]);
  });

  it("generates on try_trigger_generation only past its minimum, and on every message in auto_mode", async () => {
    const client = await connect();
    client.send(BOS);
    client.send({ text: "Short. ", try_trigger_generation: true });
    await sleep(200);
    expect(client.audio()).toHaveLength(0);
    client.send({ text: "Now there is enough text buffered to trigger a generation. ", try_trigger_generation: true });
    await client.waitFor((m) => typeof m.audio === "string");
    expect(sandbox.elevenlabs.lastSession()?.segments.map((s) => s.trigger)).toEqual(["try_trigger_generation"]);

    const auto = await connect({ query: { auto_mode: "true" } });
    auto.send(BOS);
    auto.send({ text: "Hi. " });
    await auto.waitFor((m) => typeof m.audio === "string");
    expect(spoken(auto.audio())).toEqual(["Hi."]);
    expect(sandbox.elevenlabs.lastSession()?.segments.map((s) => s.trigger)).toEqual(["auto_mode"]);
    auto.ws.close();
    client.ws.close();
  });
});

describe("ElevenLabs stand-in: stream-input audio", () => {
  it("sends μ-law that reads back as the text, in chunks whose alignment adds up", async () => {
    const text = "Hello there, this is a longer sentence to span several chunks.";
    const client = await connect();
    client.send(BOS);
    client.send({ text: `${text} `, flush: true });
    client.send({ text: "" });
    await client.waitFor((m) => m.isFinal === true);

    const audio = client.audio();
    expect(audio.length).toBeGreaterThan(1);
    expect(spoken(audio)).toEqual([text]);
    const bytes = audio.map((m) => Buffer.from(m.audio, "base64").length);
    expect(bytes.reduce((a, b) => a + b, 0)).toBe(speechMs(text) * 8);

    // Times are relative to each chunk; laid end to end they cover the utterance exactly.
    let offsetMs = 0;
    const chars: string[] = [];
    const absolute: number[] = [];
    for (const [i, message] of audio.entries()) {
      const alignment = message.alignment;
      expect(alignment).not.toBeNull();
      expect(message.normalizedAlignment).toEqual(alignment);
      const chunkMs = (bytes[i] ?? 0) / 8;
      for (const [j, start] of (alignment?.charStartTimesMs ?? []).entries()) {
        expect(start).toBeGreaterThanOrEqual(0);
        expect(start).toBeLessThan(chunkMs);
        absolute.push(offsetMs + start + (alignment?.charDurationsMs[j] ?? 0));
      }
      chars.push(...(alignment?.chars ?? []));
      offsetMs += chunkMs;
    }
    expect(chars.join("")).toBe(text);
    expect(absolute).toEqual([...absolute].sort((a, b) => a - b));
    expect(absolute.at(-1)).toBe(speechMs(text));
  });

  it("ends with isFinal after the last audio and closes normally", async () => {
    const client = await connect();
    client.send(BOS);
    client.send({ text: "One. ", flush: true });
    client.send({ text: "Two." });
    client.send({ text: "" });
    const { code } = await client.closed;
    expect(code).toBe(1000);
    const last = client.messages.at(-1)?.data;
    expect(FinalMessage.parse(last)).toMatchObject({ isFinal: true });
    expect(client.messages.slice(0, -1).every((m) => m.data.isFinal === null)).toBe(true);
    expect(spoken(client.audio())).toEqual(["One.", "Two."]);
    expect(sandbox.elevenlabs.lastSession()).toMatchObject({ eosReceived: true, finalSent: true, state: "closed", closeCode: 1000, closedBy: "server" });
  });

  it("drops every open socket mid-stream on POST /sandbox/drop: close 1011, no message before it", async () => {
    const client = await connect();
    client.send(BOS);
    client.send({ text: "Hello there, this is a longer sentence to span several chunks. ", flush: true });
    await client.waitFor((m) => typeof m.audio === "string");
    const answer = await fetch(`${sandbox.url}/elevenlabs/sandbox/drop`, { method: "POST" });
    expect(await answer.json()).toEqual({ dropped: 1 });
    const { code } = await client.closed;
    expect(code).toBe(1011);
    expect(client.messages.every((m) => typeof m.data.audio === "string")).toBe(true);
    expect(sandbox.elevenlabs.lastSession()).toMatchObject({ dropped: true, finalSent: false, state: "closed", closeCode: 1011, closedBy: "server" });
  });

  it("an armed drop cuts the next socket off once it has sent that much audio, mid-utterance", async () => {
    const earlier = await connect();
    expect(await (await fetch(`${sandbox.url}/elevenlabs/sandbox/drop`, { method: "POST", body: JSON.stringify({ afterAudioMs: 1000 }) })).json()).toEqual({ dropped: 0, armed: { afterAudioMs: 1000 } });
    const text = "Hello there, this is a longer sentence to span several chunks.";
    const client = await connect();
    client.send(BOS);
    client.send({ text: `${text} `, flush: true });
    client.send({ text: "" });
    const { code } = await client.closed;
    expect(code).toBe(1011);
    const bytes = client.audio().reduce((n, m) => n + Buffer.from(m.audio, "base64").length, 0);
    expect(bytes).toBe(1000 * 8);
    expect(spoken(client.audio())).toEqual([text]);
    // Taken once, by the next socket only: the one already open and any later one are left alone.
    earlier.send(BOS);
    earlier.send({ text: "Still here. ", flush: true });
    earlier.send({ text: "" });
    expect((await earlier.closed).code).toBe(1000);
    const later = await connect();
    later.send(BOS);
    later.send({ text: `${text} `, flush: true });
    later.send({ text: "" });
    expect((await later.closed).code).toBe(1000);
    expect(await (await fetch(`${sandbox.url}/elevenlabs/sandbox/drop`, { method: "POST", body: "{" })).status).toBe(400);
  });

  it("streams pcm_16000 as 16-bit samples lasting as long as the speech", async () => {
    const client = await connect({ query: { output_format: "pcm_16000" } });
    client.send(BOS);
    client.send({ text: "Привіт, як справи? ", flush: true });
    client.send({ text: "" });
    await client.waitFor((m) => m.isFinal === true);
    const total = client.audio().reduce((n, m) => n + Buffer.from(m.audio, "base64").length, 0);
    expect(total).toBe(speechMs("Привіт, як справи?") * 16 * 2);
  });

  it("delays each generation's first audio by the injected latency", async () => {
    const firstAudioDelay = async () => {
      const client = await connect();
      client.send(BOS);
      const sentAt = Date.now();
      client.send({ text: "Latency check. ", flush: true });
      const first = await client.waitFor((m) => typeof m.audio === "string");
      client.ws.close();
      return first.at - sentAt;
    };
    expect(await firstAudioDelay()).toBeLessThan(120);
    sandbox.setProviderConfig("elevenlabs", { latencyMs: 300 });
    expect(await firstAudioDelay()).toBeGreaterThanOrEqual(290);
    expect(sandbox.elevenlabs.lastSession()?.segments[0]?.latencyMs).toBe(300);
  });

  it("records the session: voice, model, query, language, settings, texts and timed segments", async () => {
    const client = await connect({ voiceId: VOICE_IDS.taras, query: { language_code: "uk", model_id: "eleven_turbo_v2_5" } });
    client.send({ ...BOS, generation_config: { chunk_length_schedule: [80, 120] } });
    client.send({ text: "Дякую! ", flush: true });
    await client.waitFor((m) => typeof m.audio === "string");
    client.ws.close();
    await client.closed;
    await sleep(50);
    const session = sandbox.elevenlabs.lastSession();
    expect(session).toMatchObject({
      voiceId: VOICE_IDS.taras,
      modelId: "eleven_turbo_v2_5",
      outputFormat: "ulaw_8000",
      languageCode: "uk",
      query: { language_code: "uk", model_id: "eleven_turbo_v2_5", output_format: "ulaw_8000" },
      auth: "header",
      voiceSettings: BOS.voice_settings,
      chunkLengthSchedule: [80, 120],
      texts: [{ text: "Дякую! ", flush: true, tryTriggerGeneration: false }],
      state: "closed",
      closedBy: "client",
    });
    const segment = session?.segments[0];
    expect(segment?.text).toBe(" Дякую! ");
    expect(segment?.firstAudioAt).toBeGreaterThanOrEqual(segment?.releasedAt ?? Infinity);
  });
});

describe("ElevenLabs stand-in: stream-input refusals", () => {
  async function refused(client: Client, error: string): Promise<{ code: number; reason: string; message: string }> {
    const { code, reason } = await client.closed;
    const body = ErrorMessage.parse(client.messages.at(-1)?.data);
    expect(body.error).toBe(error);
    expect(sandbox.elevenlabs.lastSession()?.error?.error).toBe(error);
    return { code, reason, message: body.message };
  }

  it("answers a wrong key in the header in-band, after the upgrade: invalid_api_key, then 1008 (as ElevenLabs does)", async () => {
    const client = await connect({ key: "sk_wrong" });
    const { code, reason, message } = await refused(client, "invalid_api_key");
    expect(code).toBe(1008);
    expect(reason).toBe("Invalid API key");
    expect(message).toBe("Invalid API key");
    expect(sandbox.elevenlabs.lastSession()).toMatchObject({ refused: null, auth: null, closeCode: 1008, closedBy: "server" });
  });

  it("takes the key from the first message instead, and refuses a socket with no key at all", async () => {
    const withKey = await connect({ key: null });
    withKey.send({ ...BOS, xi_api_key: sandbox.elevenlabs.apiKey });
    withKey.send({ text: "Key in the message. ", flush: true });
    await withKey.waitFor((m) => typeof m.audio === "string");
    expect(sandbox.elevenlabs.lastSession()?.auth).toBe("message");
    withKey.ws.close();

    const without = await connect({ key: null });
    without.send(BOS);
    expect((await refused(without, "needs_authorization")).code).toBe(1008);

    const wrong = await connect({ key: null });
    wrong.send({ ...BOS, xi_api_key: "sk_nope" });
    expect((await refused(wrong, "invalid_api_key")).code).toBe(1008);
  });

  it("refuses an unknown voice, an unknown model and a format it cannot stream in-band, after the upgrade", async () => {
    const voice = await refused(await connect({ voiceId: "nope1234567890123456" }), "voice_not_found");
    expect(voice).toMatchObject({ code: 1008, message: "A voice with the voice_id nope1234567890123456 was not found." });
    expect((await refused(await connect({ query: { model_id: "eleven_v9" } }), "model_not_found")).code).toBe(1008);
    expect((await refused(await connect({ query: { output_format: "mp3_44100_128" } }), "invalid_output_format")).code).toBe(1008);
    // ElevenLabs' default is mp3_44100: a client that forgets output_format is told so.
    const ws = new WebSocket(`${sandbox.url.replace("http", "ws")}/elevenlabs/v1/text-to-speech/${VOICE}/stream-input`, { headers: { "xi-api-key": sandbox.elevenlabs.apiKey } });
    const code = await new Promise<number>((resolve) => ws.on("close", (c) => resolve(c)));
    expect(code).toBe(1008);
    expect(sandbox.elevenlabs.lastSession()?.outputFormat).toBe("mp3_44100");
    expect((await refused(await connect({ query: { model_id: "eleven_flash_v2", language_code: "uk" } }), "unsupported_language")).code).toBe(1008);
  });

  it("refuses Eleven v3 at the handshake with HTTP 403, key or no key, and records the refusal", async () => {
    for (const key of [sandbox.elevenlabs.apiKey, null]) {
      const answer = await handshake({ query: { model_id: "eleven_v3" }, key });
      expect(answer.status).toBe(403);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(HttpError.parse(JSON.parse(answer.body))).toEqual({
        detail: { status: "unsupported_model", message: "Model eleven_v3 is not available over the text-to-speech WebSocket API. Use the HTTP endpoints." },
      });
      expect(sandbox.elevenlabs.lastSession()).toMatchObject({
        modelId: "eleven_v3",
        query: { model_id: "eleven_v3" },
        refused: { status: 403, error: "unsupported_model" },
        error: null,
        auth: null,
        state: "closed",
        closedBy: "server",
        closeCode: null,
        texts: [],
      });
    }
    // The other models upgrade; a session that opened was never refused.
    const client = await connect({ query: { model_id: "eleven_multilingual_v2" } });
    expect(sandbox.elevenlabs.lastSession()).toMatchObject({ refused: null, state: "open" });
    client.ws.close();
  });

  it("answers the v3 refusal as plain HTTP, which a fetch-upgrade (the Worker) reads as a Response", async () => {
    const refused = await rawHandshake({ model_id: "eleven_v3" });
    expect(refused.status).toBe(403);
    expect(refused.headers.connection).toBe("close");
    expect(HttpError.parse(JSON.parse(refused.body)).detail.status).toBe("unsupported_model");
    // A wrong key is not refused at the handshake: ElevenLabs upgrades and answers it in-band.
    expect((await rawHandshake({}, "sk_wrong")).status).toBe(101);
    expect((await rawHandshake({}, sandbox.elevenlabs.apiKey)).status).toBe(101);
  });

  it("refuses a message that is not the protocol's JSON, and voice_settings that change", async () => {
    const junk = await connect();
    junk.ws.send("not json");
    expect((await refused(junk, "invalid_input_message")).code).toBe(1008);

    const changed = await connect();
    changed.send(BOS);
    changed.send({ text: "Hi ", voice_settings: { stability: 0.9, similarity_boost: 0.8 } });
    const { message } = await refused(changed, "invalid_input_message");
    expect(message).toMatch(/^voice_settings field must be provided in the first message/);

    const same = await connect();
    same.send(BOS);
    same.send({ text: "Hi ", voice_settings: BOS.voice_settings, flush: true });
    await same.waitFor((m) => typeof m.audio === "string");
    same.ws.close();
  });

  it("closes an idle socket with input_timeout_exceeded, and a single space keeps it open", async () => {
    sandbox.elevenlabs.setInactivityTimeoutMs(200);
    const kept = await connect();
    kept.send(BOS);
    for (let i = 0; i < 4; i++) {
      await sleep(120);
      kept.send({ text: " " });
    }
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);

    const idle = await connect();
    idle.send(BOS);
    const startedAt = Date.now();
    const { code, reason, message } = await refused(idle, "input_timeout_exceeded");
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(180);
    expect(code).toBe(1008);
    expect(message).toMatch(/^Have not received a new text input within the timeout of 20 seconds\. Streaming input terminated\./);
    // Close reasons stop at 123 bytes, as ElevenLabs' do.
    expect(message.startsWith(reason)).toBe(true);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    kept.ws.close();
  });

  it("names the query's inactivity_timeout in the timeout message", async () => {
    sandbox.elevenlabs.setInactivityTimeoutMs(100);
    const client = await connect({ query: { inactivity_timeout: "60" } });
    const { message } = await refused(client, "input_timeout_exceeded");
    expect(message).toContain("timeout of 60 seconds");
  });
});

const VoiceSchema = z.object({
  voice_id: z.string().regex(/^[A-Za-z0-9]{20}$/),
  name: z.string(),
  category: z.enum(["premade", "cloned", "generated", "professional"]),
  labels: z.object({ accent: z.string(), gender: z.string(), age: z.string(), description: z.string(), use_case: z.string() }),
  preview_url: z.url(),
  fine_tuning: z.object({ is_allowed_to_fine_tune: z.boolean(), state: z.record(z.string(), z.string()) }),
  high_quality_base_model_ids: z.array(z.string()),
  verified_languages: z.array(z.object({ language: z.string(), model_id: z.string(), accent: z.string().nullable(), locale: z.string().nullable(), preview_url: z.string().nullable() })),
});
const HttpError = z.strictObject({ detail: z.strictObject({ status: z.string(), message: z.string() }) });

describe("ElevenLabs stand-in: HTTP", () => {
  const get = (path: string, key: string | null = sandbox.elevenlabs.apiKey) =>
    fetch(`${sandbox.url}/elevenlabs${path}`, { headers: key === null ? {} : { "xi-api-key": key } });
  const speak = (voiceId: string, body: unknown, format: string, key: string = sandbox.elevenlabs.apiKey) =>
    fetch(`${sandbox.url}/elevenlabs/v1/text-to-speech/${voiceId}/stream?output_format=${format}`, {
      method: "POST",
      headers: { "xi-api-key": key, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("lists six voices in ElevenLabs' shape, Ukrainian ones included, with previews it serves", async () => {
    const response = await get("/v1/voices");
    expect(response.status).toBe(200);
    const { voices } = z.strictObject({ voices: z.array(VoiceSchema) }).parse(await response.json());
    expect(voices).toHaveLength(6);
    expect(voices.filter((v) => v.verified_languages.some((l) => l.language === "uk")).length).toBeGreaterThanOrEqual(3);
    const preview = await fetch(voices[0]?.preview_url ?? "");
    expect(preview.headers.get("content-type")).toBe("audio/wav");
    const wav = Buffer.from(await preview.arrayBuffer());
    expect(wav.subarray(0, 4).toString()).toBe("RIFF");
    expect(wav.subarray(8, 12).toString()).toBe("WAVE");
    expect(voices[0]?.preview_url.startsWith(`${sandbox.url}/elevenlabs/previews/`)).toBe(true);
  });

  it("answers 401 in ElevenLabs' shape without the key or with another", async () => {
    const missing = await get("/v1/voices", null);
    expect(missing.status).toBe(401);
    expect(HttpError.parse(await missing.json()).detail.status).toBe("needs_authorization");
    const wrong = await get("/v1/voices", "sk_wrong");
    expect(wrong.status).toBe(401);
    expect(HttpError.parse(await wrong.json()).detail).toEqual({ status: "invalid_api_key", message: "Invalid API key" });
  });

  it("speaks a sample: μ-law that reads back, or an MP3 of the same length", async () => {
    const text = "Привіт! Це зразок голосу.";
    const ulaw = await speak(VOICE, { text, model_id: "eleven_multilingual_v2", voice_settings: { stability: 0.5, similarity_boost: 0.75 } }, "ulaw_8000");
    expect(ulaw.status).toBe(200);
    const bytes = new Uint8Array(await ulaw.arrayBuffer());
    expect(bytes.length).toBe(speechMs(text) * 8);
    expect(new SpeechDecoder().push(bytes).find((e) => e.type === "text")).toMatchObject({ text });

    const mp3 = await speak(VOICE, { text }, "mp3_44100_128");
    expect(mp3.headers.get("content-type")).toBe("audio/mpeg");
    const frames = new Uint8Array(await mp3.arrayBuffer());
    expect([frames[0], frames[1]]).toEqual([0xff, 0xfb]);
    // 417-byte frames of 1152 samples at 44.1 kHz, enough to last the speech.
    const frameCount = frames.length / 417;
    expect(Number.isInteger(frameCount)).toBe(true);
    expect(frameCount * 1152 / 44.1).toBeGreaterThanOrEqual(speechMs(text));
    expect(frames[417]).toBe(0xff);
    expect(sandbox.elevenlabs.syntheses().map((s) => [s.voiceId, s.outputFormat, s.text])).toEqual([
      [VOICE, "ulaw_8000", text],
      [VOICE, "mp3_44100_128", text],
    ]);
  });

  it("refuses an unknown voice (404), a bad model (400), a bad format or a missing text (422)", async () => {
    const voice = await speak("nope1234567890123456", { text: "Hi" }, "ulaw_8000");
    expect(voice.status).toBe(404);
    expect(HttpError.parse(await voice.json()).detail.status).toBe("voice_not_found");
    const model = await speak(VOICE, { text: "Hi", model_id: "eleven_v9" }, "ulaw_8000");
    expect(model.status).toBe(400);
    expect(HttpError.parse(await model.json()).detail.status).toBe("model_not_found");
    const format = await speak(VOICE, { text: "Hi" }, "wav_8000");
    expect(format.status).toBe(422);
    const missing = await speak(VOICE, { model_id: "eleven_multilingual_v2" }, "ulaw_8000");
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ detail: [{ type: "missing", loc: ["body", "text"] }] });
    expect(sandbox.elevenlabs.syntheses()).toHaveLength(0);
  });

  it("answers injected failures in ElevenLabs' error shape", async () => {
    sandbox.setProviderConfig("elevenlabs", { failRate: 1, failStatus: 429 });
    const response = await get("/v1/voices");
    expect(response.status).toBe(429);
    expect(HttpError.parse(await response.json()).detail.status).toBe("too_many_concurrent_requests");
  });

  it("points the Worker at itself through env", () => {
    expect(sandbox.env.ELEVENLABS_BASE_URL).toBe(`${sandbox.url}/elevenlabs`);
    expect(sandbox.env.ELEVENLABS_API_KEY).toBe(sandbox.elevenlabs.apiKey);
    expect(sandbox.elevenlabs.apiKey).toMatch(/^sk_[0-9a-f]{48}$/);
  });
});
