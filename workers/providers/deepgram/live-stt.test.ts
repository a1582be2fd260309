import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { encodeSpeech, silence, speechMs, toFrames } from "../../../sandbox/speech/codec";
import type { SttEvent, SttOptions, SttStream, VoiceLanguage } from "../voice-ports";
import { createDeepgramStt, type DeepgramSttOptions } from "./live-stt";
import { providerFailure as failure, setSandboxFaults } from "../provider-test-kit";

// The sandbox from test/global-setup.ts; its Deepgram stand-in hears the speech codec's audio.
const { SANDBOX_URL, DEEPGRAM_API_KEY, DEEPGRAM_BASE_URL } = z.object({ SANDBOX_URL: z.url(), DEEPGRAM_API_KEY: z.string().min(1), DEEPGRAM_BASE_URL: z.url() }).parse(env);

const RequestLog = z.object({
  requests: z.array(z.object({ id: z.number(), path: z.string(), query: z.string(), headers: z.record(z.string(), z.string()), status: z.number().nullable() })),
});

/** The handshakes the stand-in received after the log entry `afterId`. */
async function handshakesAfter(afterId: number) {
  const response = await fetch(`${SANDBOX_URL}/__admin/requests?provider=deepgram`);
  return RequestLog.parse(await response.json()).requests.filter((entry) => entry.id > afterId);
}

async function lastLogId(): Promise<number> {
  return (await handshakesAfter(0)).at(-1)?.id ?? 0;
}

const setDeepgramFaults = (config: Record<string, number>) => setSandboxFaults("deepgram", config);

afterEach(() => setDeepgramFaults({}));

const stt = (options: Partial<DeepgramSttOptions> = {}) => createDeepgramStt({ apiKey: DEEPGRAM_API_KEY, baseUrl: DEEPGRAM_BASE_URL, ...options });

const OPTIONS: SttOptions = { language: "en", endpointingMs: 300, utteranceEndMs: 1000 };

/** Records a stream's events; a test waits for the one it needs, with a deadline, never a sleep. */
class Heard {
  readonly events: SttEvent[] = [];
  #waiters: { match: (event: SttEvent) => boolean; resolve: (event: SttEvent) => void }[] = [];

  readonly push = (event: SttEvent): void => {
    this.events.push(event);
    for (const waiter of this.#waiters.filter((w) => w.match(event))) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  };

  /** The first event of this type (and matching `where`), already heard or still to come. */
  async next<T extends SttEvent["type"]>(type: T, where: (event: Extract<SttEvent, { type: T }>) => boolean = () => true, timeoutMs = 5_000): Promise<Extract<SttEvent, { type: T }>> {
    const match = (event: SttEvent): event is Extract<SttEvent, { type: T }> => event.type === type && where(event as Extract<SttEvent, { type: T }>);
    const seen = this.events.find(match);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms; heard ${JSON.stringify(this.events)}`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event as Extract<SttEvent, { type: T }>);
        },
      });
    });
  }

  types(): string[] {
    return this.events.map((event) => event.type);
  }
}

function say(stream: SttStream, audio: Uint8Array): void {
  for (const frame of toFrames(audio)) stream.send(frame);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe("Deepgram live speech-to-text", () => {
  it("hears a callee's sentence: speech started, growing interims, the final that ends the turn, then utterance end", async () => {
    const text = "Hello, I would like to hear more about your offer.";
    const heard = new Heard();
    const stream = await stt().open(OPTIONS, heard.push);
    say(stream, concat(silence(200), encodeSpeech(text), silence(1_500)));

    const end = await heard.next("utterance-end");
    const final = await heard.next("final");
    expect(final).toEqual({ type: "final", text, endOfTurn: true, startMs: 0, endMs: 200 + speechMs(text) + 300 });
    expect(end.lastWordEndMs).toBe(200 + speechMs(text));
    expect(heard.events[0]).toEqual({ type: "speech-started", atMs: 200 });

    const interims = heard.events.flatMap((event) => (event.type === "interim" ? [event.text] : []));
    expect(interims.length).toBeGreaterThan(1);
    for (const interim of interims) expect(text.startsWith(interim)).toBe(true);
    expect(heard.types().filter((type) => type !== "interim")).toEqual(["speech-started", "final", "utterance-end"]);
    stream.close();
    await heard.next("closed");
  });

  it("finalize() turns what was heard so far into a final that does not end the turn", async () => {
    const text = "Could you call me back";
    const heard = new Heard();
    const stream = await stt().open(OPTIONS, heard.push);
    // No silence after the words: without Finalize, no final would come.
    say(stream, encodeSpeech(text));
    stream.finalize();
    expect(await heard.next("final")).toMatchObject({ text, endOfTurn: false });
    stream.close();
    await heard.next("closed");
  });

  it("an empty audio chunk does not end the stream (Deepgram reads an empty frame as CloseStream)", async () => {
    const heard = new Heard();
    const stream = await stt().open(OPTIONS, heard.push);
    stream.send(new Uint8Array(0));
    say(stream, concat(encodeSpeech("Yes, go on"), silence(400)));
    expect(await heard.next("final")).toMatchObject({ text: "Yes, go on", endOfTurn: true });
    expect(heard.types()).not.toContain("closed");
    stream.close();
    await heard.next("closed");
  });

  it("close() asks Deepgram to close the stream: the last words still arrive, then a normal close", async () => {
    const text = "Thanks, goodbye";
    const heard = new Heard();
    const stream = await stt({ closeGraceMs: 3_000 }).open(OPTIONS, heard.push);
    say(stream, encodeSpeech(text));
    stream.close();
    // After CloseStream, Deepgram finalises the audio in flight and closes with 1000 itself.
    expect(await heard.next("closed")).toEqual({ type: "closed", code: 1000, reason: "" });
    expect(heard.events.find((event) => event.type === "final")).toMatchObject({ text, endOfTurn: false });
    stream.send(encodeSpeech("too late"));
    expect(heard.types().at(-1)).toBe("closed");
  });

  it("asks for each voice language's model and language, Ukrainian–English as Nova-3 multilingual", async () => {
    const before = await lastLogId();
    const languages: VoiceLanguage[] = ["en", "uk", "uk-en", "de", "pl", "fr", "es"];
    for (const language of languages) {
      const heard = new Heard();
      const stream = await stt().open({ language, endpointingMs: 250, utteranceEndMs: 1200 }, heard.push);
      if (language === "uk-en") {
        say(stream, concat(encodeSpeech("Добрий день, I'd like a demo."), silence(400)));
        expect(await heard.next("final")).toMatchObject({ text: "Добрий день, I'd like a demo.", endOfTurn: true });
      }
      stream.close();
      await heard.next("closed");
    }

    const handshakes = await handshakesAfter(before);
    expect(handshakes).toHaveLength(languages.length);
    const asked = handshakes.map((entry) => {
      expect(entry).toMatchObject({ path: "/v1/listen", status: 101 });
      expect(entry.headers.authorization).toBe(`Token ${DEEPGRAM_API_KEY}`);
      const query = new URLSearchParams(entry.query);
      expect(Object.fromEntries([...query].filter(([name]) => !["model", "language", "language_hint"].includes(name)))).toEqual({
        encoding: "mulaw",
        sample_rate: "8000",
        channels: "1",
        interim_results: "true",
        endpointing: "250",
        utterance_end_ms: "1200",
        vad_events: "true",
        smart_format: "true",
        punctuate: "true",
      });
      return [query.get("model"), query.get("language"), query.getAll("language_hint").join(",")];
    });
    expect(asked).toEqual([
      ["nova-3", "en", ""],
      ["nova-3", "uk", ""],
      ["nova-3", "multi", "uk,en"],
      ["nova-3", "de", ""],
      ["nova-3", "pl", ""],
      ["nova-3", "fr", ""],
      ["nova-3", "es", ""],
    ]);
  });

  it("reports a refused API key as not worth retrying, without the key in the message", async () => {
    const key = `dg-wrong-${crypto.randomUUID()}`;
    const error = await failure(stt({ apiKey: key }).open(OPTIONS, () => undefined));
    expect(error).toMatchObject({ provider: "deepgram", status: 401, retryable: false });
    expect(error.message).toMatch(/INVALID_AUTH/);
    expect(error.message).not.toContain(key);
  });

  it("reports parameters Deepgram refuses (400) as not worth retrying, naming the parameter", async () => {
    const error = await failure(stt().open({ ...OPTIONS, utteranceEndMs: 500 }, () => undefined));
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect(error.message).toContain("Invalid 'utterance_end_ms' value of '500'.");
  });

  it("reports a server error (503) and the concurrency limit (429) at the handshake as worth retrying", async () => {
    for (const failStatus of [503, 429]) {
      await setDeepgramFaults({ failRate: 1, failStatus });
      const error = await failure(stt().open(OPTIONS, () => undefined));
      expect(error).toMatchObject({ provider: "deepgram", status: failStatus, retryable: true });
    }
  });

  it("reports a handshake that never answers, and an unreachable server, as worth retrying", async () => {
    await setDeepgramFaults({ timeoutRate: 1 });
    const slow = await failure(stt({ connectTimeoutMs: 300 }).open(OPTIONS, () => undefined));
    expect(slow).toMatchObject({ retryable: true, status: undefined });
    expect(slow.message).toMatch(/no handshake within 300 ms/);
    const gone = await failure(stt({ baseUrl: "ws://127.0.0.1:9" }).open(OPTIONS, () => undefined));
    expect(gone).toMatchObject({ retryable: true, status: undefined });
  });

  it("stops opening when the caller aborts, with the caller's reason", async () => {
    await setDeepgramFaults({ timeoutRate: 1 });
    const controller = new AbortController();
    const pending = stt().open(OPTIONS, () => undefined, controller.signal);
    setTimeout(() => controller.abort(new Error("call hung up")), 50);
    await expect(pending).rejects.toThrow("call hung up");
  });

  it("closes the stream when the caller aborts: closed at once, nothing heard after", async () => {
    const controller = new AbortController();
    const heard = new Heard();
    const stream = await stt().open(OPTIONS, heard.push, controller.signal);
    say(stream, encodeSpeech("I was saying"));
    controller.abort();
    expect(heard.events.at(-1)).toEqual({ type: "closed", code: 1000, reason: "aborted" });
    stream.send(encodeSpeech("and then"));
    stream.finalize();
    expect(heard.types().filter((type) => type === "closed")).toHaveLength(1);
    expect(heard.types().at(-1)).toBe("closed");
  });

  // Deepgram's idle timeout is 10 s; the stand-in's is settable only on its Node handle, which a
  // test in workerd cannot reach, so this one waits out the real 10 s, for both behaviours at once.
  it("Deepgram closes a stream that hears nothing for 10 s (1011 NET-0001), while keepAlive keeps another open", { timeout: 25_000 }, async () => {
    const idle = new Heard();
    const kept = new Heard();
    const keptStream = await stt().open(OPTIONS, kept.push);
    let firstKeepAlive: () => void = () => undefined;
    const keptAlive = new Promise<void>((resolve) => (firstKeepAlive = resolve));
    const keepAlive = setInterval(() => {
      keptStream.keepAlive();
      firstKeepAlive();
    }, 2_000);
    // The idle stream opens 2 s after the kept one: were keepAlive not working, the kept one
    // would be closed first, well before the idle one.
    await keptAlive;
    const idleStream = await stt().open(OPTIONS, idle.push);
    try {
      expect(await idle.next("closed", () => true, 15_000)).toEqual({ type: "closed", code: 1011, reason: "NET-0001" });
      expect(kept.types()).not.toContain("closed");
      // Still listening: it hears a sentence said now.
      say(keptStream, concat(encodeSpeech("Still there?"), silence(400)));
      expect(await kept.next("final")).toMatchObject({ text: "Still there?", endOfTurn: true });
    } finally {
      clearInterval(keepAlive);
      idleStream.close();
      keptStream.close();
    }
    await kept.next("closed");
  });
});
