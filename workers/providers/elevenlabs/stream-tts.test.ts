import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { SpeechDecoder, encodeSpeech } from "../../../sandbox/speech/codec";
import type { TtsEvent, TtsOptions, TtsStream } from "../voice-ports";
import { createElevenLabsTts } from "./stream-tts";
import { providerFailure as failure, setSandboxFaults } from "../provider-test-kit";

// The sandbox from test/global-setup.ts; its ElevenLabs stand-in speaks in sandbox speech.
const { SANDBOX_URL, ELEVENLABS_API_KEY, ELEVENLABS_BASE_URL } = z
  .object({ SANDBOX_URL: z.url(), ELEVENLABS_API_KEY: z.string().min(1), ELEVENLABS_BASE_URL: z.url() })
  .parse(env);

/** The stand-in's fixed voices (sandbox/elevenlabs/voices.ts). */
const OLENA = "sbxOlenaUk7Qm2Lp9Xz1";
const ADA = "sbxAdaEn9Kd1Fg6Jm3Qw";

const RequestLog = z.object({ requests: z.array(z.object({ method: z.string(), path: z.string(), query: z.string(), headers: z.record(z.string(), z.string()), status: z.number().nullable() })) });

async function elevenLabsRequests() {
  const response = await fetch(`${SANDBOX_URL}/__admin/requests?provider=elevenlabs`);
  return RequestLog.parse(await response.json()).requests;
}

const setFaults = (config: Record<string, number>) => setSandboxFaults("elevenlabs", config);

// This project runs one file at a time on its own sandbox, so clearing the log is ours to do.
beforeEach(async () => {
  await fetch(`${SANDBOX_URL}/__admin/requests`, { method: "DELETE" });
});
afterEach(() => setFaults({}));

const tts = (options: { apiKey?: string; baseUrl?: string; connectTimeoutMs?: number } = {}) =>
  createElevenLabsTts({ apiKey: options.apiKey ?? ELEVENLABS_API_KEY, baseUrl: options.baseUrl ?? ELEVENLABS_BASE_URL, connectTimeoutMs: options.connectTimeoutMs ?? 5_000 });

const ukrainian: TtsOptions = { voiceId: OLENA, language: "uk", speed: 1 };

/** A stream and everything it reported, with a way to wait for an event. */
async function openStream(options: TtsOptions = ukrainian, adapter = tts(), signal?: AbortSignal) {
  const events: TtsEvent[] = [];
  const waiters: { test: (event: TtsEvent) => boolean; resolve: (event: TtsEvent) => void }[] = [];
  const stream: TtsStream = await adapter.open(
    options,
    (event) => {
      events.push(event);
      for (const waiter of waiters.filter((w) => w.test(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    },
    signal,
  );
  const next = <T extends TtsEvent["type"]>(type: T, timeoutMs = 5_000) =>
    new Promise<Extract<TtsEvent, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(", ")}`)), timeoutMs);
      waiters.push({
        test: (event) => event.type === type,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event as Extract<TtsEvent, { type: T }>);
        },
      });
    });
  return { stream, events, next };
}

function audioOf(events: TtsEvent[]): Uint8Array {
  const chunks = events.flatMap((e) => (e.type === "audio" ? [e.audio] : []));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (out.set(c, at), at + c.length), 0);
  return out;
}

/** What a listener would hear in the audio: each utterance's words, in order. */
function heard(events: TtsEvent[]): string[] {
  return new SpeechDecoder().push(audioOf(events)).flatMap((e) => (e.type === "text" ? [e.text] : []));
}

/**
 * Proving that nothing more arrives needs a window: the stand-in sends an audio message every
 * 50 ms, so 300 ms would carry six of them.
 */
const quietWindow = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("ElevenLabs text to speech", () => {
  const clauses = ["Добрий день!", "Мене звати Олена, я з компанії Noir.", "Чи зручно вам зараз говорити?"];

  it("speaks each flushed clause: the audio says the same words, in order, and its alignment tells them", async () => {
    const { stream, events, next } = await openStream();
    for (const clause of clauses) stream.speak(clause, true);
    stream.end();
    await next("done");

    expect(heard(events)).toEqual(clauses);
    const aligned = events.flatMap((e) => (e.type === "audio" && e.text !== null ? [e.text] : [])).join("");
    expect(aligned).toBe(clauses.join(""));
    // Every byte of every utterance, nothing lost or doubled between messages.
    expect(audioOf(events).length).toBe(clauses.reduce((n, c) => n + encodeSpeech(c).length, 0));
  });

  it("keeps words apart when a clause arrives in pieces and only the last is flushed", async () => {
    const { stream, events, next } = await openStream();
    stream.speak("Мене звати", false);
    stream.speak("Олена.", true);
    stream.end();
    await next("done");
    expect(heard(events)).toEqual(["Мене звати Олена."]);
  });

  it("says done only after end(), once everything sent has been spoken, and nothing after it", async () => {
    const { stream, events, next } = await openStream();
    stream.speak(clauses[0] ?? "", true);
    // All of the clause's audio, with the stream still open: no done yet.
    const full = encodeSpeech(clauses[0] ?? "").length;
    while (audioOf(events).length < full) await next("audio");
    expect(events.map((e) => e.type)).not.toContain("done");

    stream.speak(clauses[1] ?? "", false);
    stream.end();
    await next("done");
    // The unflushed clause is spoken on end(), before done.
    expect(heard(events)).toEqual(clauses.slice(0, 2));
    await quietWindow();
    expect(events.at(-1)).toEqual({ type: "done" });
    expect(events.filter((e) => e.type === "done" || e.type === "closed")).toHaveLength(1);
  });

  it("stops at once on close() mid-sentence (barge-in): no more audio, no further events", async () => {
    const long = "Ми допомагаємо компаніям знаходити нових клієнтів за допомогою голосових агентів, які дзвонять замість вас.";
    const { stream, events, next } = await openStream();
    stream.speak(long, true);
    await next("audio");
    stream.close();
    const seen = events.length;
    await quietWindow();
    expect(events).toHaveLength(seen);
    expect(audioOf(events).length).toBeLessThan(encodeSpeech(long).length);
    // Nothing to say after a close.
    stream.speak("Ще одне.", true);
    stream.end();
    await quietWindow();
    expect(events).toHaveLength(seen);
  });

  it("stops the same way when the turn's signal aborts", async () => {
    const turn = new AbortController();
    const { stream, events, next } = await openStream(ukrainian, tts(), turn.signal);
    stream.speak("Ми допомагаємо компаніям знаходити нових клієнтів за допомогою голосових агентів.", true);
    await next("audio");
    turn.abort();
    const seen = events.length;
    await quietWindow();
    expect(events).toHaveLength(seen);
  });

  it("asks for the voice, Flash v2.5, μ-law 8 kHz and the call's language in the handshake", async () => {
    const { stream, next } = await openStream({ voiceId: OLENA, language: "uk", speed: 1.1 });
    stream.end();
    await next("done");
    await openStream({ voiceId: ADA, language: "uk-en", speed: 1 });

    const sockets = (await elevenLabsRequests()).filter((r) => r.path.endsWith("/stream-input"));
    expect(sockets.map((r) => r.path)).toEqual([`/v1/text-to-speech/${OLENA}/stream-input`, `/v1/text-to-speech/${ADA}/stream-input`]);
    const [uk, mixed] = sockets.map((r) => Object.fromEntries(new URLSearchParams(r.query)));
    expect(uk).toEqual({ model_id: "eleven_flash_v2_5", output_format: "ulaw_8000", language_code: "uk", inactivity_timeout: "30" });
    // A mixed Ukrainian–English reply lets the model tell the languages apart.
    expect(mixed).toEqual({ model_id: "eleven_flash_v2_5", output_format: "ulaw_8000", inactivity_timeout: "30" });
    expect(sockets[0]?.headers["xi-api-key"]).toBe(ELEVENLABS_API_KEY);
    expect(sockets[0]?.status).toBe(101);
  });

  it("refuses to open with a wrong key or an unknown voice, as not worth retrying", async () => {
    const badKey = await failure(tts({ apiKey: "sk_wrong" }).open(ukrainian, () => {}));
    expect(badKey).toMatchObject({ provider: "elevenlabs", status: 401, retryable: false });
    expect(badKey.message).toMatch(/invalid_api_key/);

    const noVoice = await failure(tts().open({ ...ukrainian, voiceId: "nosuchvoice000000000" }, () => {}));
    expect(noVoice).toMatchObject({ status: 404, retryable: false });
    expect(noVoice.message).toMatch(/voice_not_found/);
  });

  it("reports a handshake the server refuses: 5xx worth retrying, 4xx not", async () => {
    await setFaults({ failRate: 1, failStatus: 503 });
    expect(await failure(tts().open(ukrainian, () => {}))).toMatchObject({ status: 503, retryable: true });

    // A voice this adapter already checked goes straight to the socket: the upgrade's own status counts.
    await setFaults({});
    const adapter = tts();
    await openStream(ukrainian, adapter);
    await setFaults({ failRate: 1, failStatus: 403 });
    expect(await failure(adapter.open(ukrainian, () => {}))).toMatchObject({ status: 403, retryable: false });
    await setFaults({ failRate: 1, failStatus: 502 });
    expect(await failure(adapter.open(ukrainian, () => {}))).toMatchObject({ status: 502, retryable: true });
  });

  it("reports a handshake that hangs and a server that is gone as worth retrying", async () => {
    await setFaults({ timeoutRate: 1 });
    const slow = await failure(tts({ connectTimeoutMs: 300 }).open(ukrainian, () => {}));
    expect(slow).toMatchObject({ retryable: true, status: undefined });
    expect(slow.message).toMatch(/no handshake within 300 ms/);
    const gone = await failure(tts({ baseUrl: "http://127.0.0.1:9" }).open(ukrainian, () => {}));
    expect(gone).toMatchObject({ retryable: true });
  });

  it("hands back the caller's reason when the turn is aborted during the handshake", async () => {
    await setFaults({ latencyMs: 2_000 });
    const turn = new AbortController();
    const pending = tts().open(ukrainian, () => {}, turn.signal);
    setTimeout(() => turn.abort(new Error("callee barged in")), 50);
    await expect(pending).rejects.toThrow("callee barged in");
  });

  it("reports ElevenLabs ending the stream (input timeout) as closed, with its reason", async () => {
    // A fifth of a second without text, asked for in the handshake, so the test need not wait 30 s.
    const adapter = createElevenLabsTts({ apiKey: ELEVENLABS_API_KEY, baseUrl: ELEVENLABS_BASE_URL, inactivityTimeoutSeconds: 0.2 });
    const { next, events } = await openStream(ukrainian, adapter);
    const closed = await next("closed");
    expect(closed).toMatchObject({ code: 1008 });
    expect(closed.reason).toMatch(/input_timeout_exceeded/);
    await quietWindow();
    expect(events.filter((e) => e.type === "closed")).toHaveLength(1);
  });

  it("delays the first audio by the provider's latency, and no more", async () => {
    const firstAudioAfter = async () => {
      const { stream, next } = await openStream();
      const started = Date.now();
      stream.speak("Добрий день!", true);
      await next("audio");
      const ms = Date.now() - started;
      stream.close();
      return ms;
    };
    const baseline = await firstAudioAfter();
    await setFaults({ latencyMs: 600 });
    const delayed = await firstAudioAfter();
    expect(delayed).toBeGreaterThanOrEqual(600);
    expect(delayed).toBeLessThan(600 + baseline + 300);
  });
});
