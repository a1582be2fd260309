import { z } from "zod";
import { ProviderError } from "../ports";
import type { TextToSpeech, TtsEvent, TtsOptions, TtsStream, VoiceLanguage } from "../voice-ports";
import { describe, httpError, normaliseBaseUrl, PROVIDER } from "./errors";
import { languageCodeFor, modelFor } from "./models";

export interface ElevenLabsTtsOptions {
  /** `ELEVENLABS_API_KEY`; needs text-to-speech and voices (read) access. */
  apiKey: string;
  /** `ELEVENLABS_BASE_URL`, http(s); the sandbox's `…/elevenlabs` locally. */
  baseUrl?: string;
  /** Model per call language; the rest keep `DEFAULT_TTS_MODELS` (Flash v2.5). */
  models?: Partial<Record<VoiceLanguage, string>>;
  /** How long open() waits for the handshake (and the voice check) before giving up, retryably. */
  connectTimeoutMs?: number;
  /**
   * Seconds without a text message before ElevenLabs ends the stream (its default 20, max 180).
   * One stream lives for one reply; 30 s outlasts a slow tool call in the middle of it.
   */
  inactivityTimeoutSeconds?: number;
}

/**
 * Characters ElevenLabs buffers before each generation (range 50–500; its default is
 * [120, 160, 250, 290]). The CallSession flushes at every clause end, so this only governs a long
 * clause with no punctuation: the first threshold is the minimum, so such a clause starts playing
 * after 50 characters (~3 s of speech, about half a second of LLM output) instead of 120, and the
 * later, larger thresholds give the rest more context for natural prosody. ElevenLabs moves one
 * step along per generation and does not go back after a flush.
 */
export const CHUNK_LENGTH_SCHEDULE = [50, 90, 120, 150];

/** ElevenLabs' defaults, except speed (the agent's setting). */
const STABILITY = 0.5;
const SIMILARITY_BOOST = 0.75;

/** Per character, ms from the start of its audio message (they restart with every message). */
const Alignment = z.object({
  chars: z.array(z.string()),
  charStartTimesMs: z.array(z.number()).optional(),
  // The live service sends `charDurationsMs`, though its AsyncAPI spec says `chars_durations_ms`.
  charDurationsMs: z.array(z.number()).optional(),
});
const AudioMessage = z.object({
  audio: z.string().nullish(),
  isFinal: z.boolean().nullish(),
  normalizedAlignment: Alignment.nullish(),
  alignment: Alignment.nullish(),
});
/** Sent before ElevenLabs closes with 1008 (bad key, unknown voice, input timeout…). */
const ErrorMessage = z.object({ message: z.string(), error: z.string(), code: z.number().optional() });

/** In-band refusals that a retry would meet again, with the HTTP status they stand for. */
const REFUSALS: Readonly<Record<string, number>> = {
  invalid_api_key: 401,
  needs_authorization: 401,
  missing_permissions: 403,
  voice_not_found: 404,
  model_not_found: 400,
  unsupported_model: 400,
  invalid_output_format: 400,
  unsupported_language: 400,
  invalid_input_message: 400,
};

/**
 * Text to speech over ElevenLabs' stream-input WebSocket, spoken directly (no SDK):
 * https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input
 * One socket per reply. Audio comes back as μ-law 8 kHz, what Twilio plays, so nothing is
 * transcoded.
 *
 * ElevenLabs accepts the upgrade even for a wrong key or voice and only then closes with 1008
 * (https://github.com/pipecat-ai/pipecat/issues/1006), so open() also asks `GET /v1/voices/{id}`
 * alongside the handshake; that way a refused key or voice rejects open() instead of surfacing
 * as a later `closed`. A voice that passed is not asked about again by this instance.
 */
export function createElevenLabsTts(options: ElevenLabsTtsOptions): TextToSpeech {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const inactivityTimeout = options.inactivityTimeoutSeconds ?? 30;
  const checkedVoices = new Set<string>();

  return {
    async open(tts, onEvent, signal) {
      signal?.throwIfAborted();
      // Its own controller rather than AbortSignal.timeout on the fetch: a signal given to the
      // upgrade fetch must never fire once the socket is up, or it could take the socket down.
      const handshake = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        handshake.abort();
      }, connectTimeoutMs);
      const onAbort = () => handshake.abort();
      signal?.addEventListener("abort", onAbort, { once: true });
      const fail = (error: unknown): never => {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof ProviderError) throw error;
        const what = timedOut ? `no handshake within ${connectTimeoutMs} ms` : `network error: ${describe(error)}`;
        throw new ProviderError(PROVIDER, what, true);
      };

      const modelId = modelFor(tts.language, options.models);
      const voiceCheck = checkedVoices.has(tts.voiceId) ? null : checkVoice(baseUrl, options.apiKey, tts.voiceId, handshake.signal);
      const [upgraded, checked] = await Promise.allSettled([
        // Listening from the moment the socket is up: a refusal sent while the voice check is
        // still out rejects open() too.
        upgrade(streamInputUrl(baseUrl, tts, modelId, inactivityTimeout), options.apiKey, handshake.signal).then((socket) => new StreamInput(socket, onEvent)),
        voiceCheck,
      ]);
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (upgraded.status === "rejected") return fail(upgraded.reason);
      const stream = upgraded.value;
      if (checked.status === "rejected" || signal?.aborted) {
        stream.close();
        return fail(checked.status === "rejected" ? checked.reason : undefined);
      }
      if (voiceCheck) checkedVoices.add(tts.voiceId);

      const early = stream.start(tts.speed);
      if (early) throw early;
      if (signal) stream.closeOnAbort(signal);
      return stream;
    },
  };
}

function streamInputUrl(baseUrl: string, tts: TtsOptions, modelId: string, inactivityTimeout: number): string {
  const query = new URLSearchParams({ model_id: modelId, output_format: "ulaw_8000" });
  const languageCode = languageCodeFor(tts.language, modelId);
  if (languageCode !== null) query.set("language_code", languageCode);
  query.set("inactivity_timeout", String(inactivityTimeout));
  return `${baseUrl}/v1/text-to-speech/${encodeURIComponent(tts.voiceId)}/stream-input?${query}`;
}

/** The only way to send a header on an outbound socket from workerd: a fetch with `Upgrade`, over http(s). */
async function upgrade(url: string, apiKey: string, signal: AbortSignal): Promise<WebSocket> {
  const response = await fetch(url, { headers: { Upgrade: "websocket", "xi-api-key": apiKey }, signal });
  if (response.status !== 101) {
    const text = await response.text().catch(() => "");
    throw httpError(response.status, text, response.headers.get("retry-after"));
  }
  if (!response.webSocket) throw new ProviderError(PROVIDER, "101 without a WebSocket", true, 101);
  return response.webSocket;
}

/** 200 when the key may use the voice; ElevenLabs' 401 / 404 otherwise. */
async function checkVoice(baseUrl: string, apiKey: string, voiceId: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/voices/${encodeURIComponent(voiceId)}`, { headers: { "xi-api-key": apiKey }, signal });
  const text = await response.text();
  if (!response.ok) throw httpError(response.status, text, response.headers.get("retry-after"));
}

/**
 * One reply's socket. Exactly one terminal event reaches `onEvent`: `done` after end(), or
 * `closed` when ElevenLabs ends the stream otherwise. After close() (or the caller's abort)
 * nothing more is delivered: the caller already knows.
 */
class StreamInput implements TtsStream {
  readonly #socket: WebSocket;
  readonly #onEvent: (event: TtsEvent) => void;
  #state: "opening" | "open" | "ending" | "over" = "opening";
  /** A refusal or close that arrived before open() handed the stream out. */
  #early: ProviderError | null = null;
  #abortCleanup: (() => void) | null = null;

  constructor(socket: WebSocket, onEvent: (event: TtsEvent) => void) {
    this.#socket = socket;
    this.#onEvent = onEvent;
    socket.addEventListener("message", (event) => this.#onMessage(event.data));
    socket.addEventListener("close", (event) => this.#onClose(event.code, event.reason));
    socket.addEventListener("error", (event) => this.#onClose(1006, `socket error: ${event.message}`));
    socket.accept();
  }

  /** Sends the opening message, unless the socket was already refused (then the refusal to throw). */
  start(speed: number): ProviderError | null {
    if (this.#early || this.#state !== "opening") return this.#early ?? new ProviderError(PROVIDER, "closed before the stream started", true);
    this.#state = "open";
    // The protocol's first message is a single space carrying the settings for the whole stream.
    this.#send({
      text: " ",
      voice_settings: { stability: STABILITY, similarity_boost: SIMILARITY_BOOST, speed: Math.min(1.2, Math.max(0.7, speed)) },
      generation_config: { chunk_length_schedule: CHUNK_LENGTH_SCHEDULE },
    });
    return null;
  }

  closeOnAbort(signal: AbortSignal): void {
    const onAbort = () => this.close();
    signal.addEventListener("abort", onAbort, { once: true });
    this.#abortCleanup = () => signal.removeEventListener("abort", onAbort);
  }

  speak(text: string, flush: boolean): void {
    if (this.#state !== "open") return;
    // ElevenLabs reads a chunk that does not end in a space as a word that may continue;
    // speak() is given whole words (clauses), so each chunk ends with one.
    const chunk = /\s$/.test(text) ? text : `${text} `;
    if (chunk.trim() === "" && !flush) return;
    // `{"text": ""}` would end the stream, so an empty flush sends the space.
    this.#send(flush ? { text: chunk, flush: true } : { text: chunk });
  }

  end(): void {
    if (this.#state !== "open") return;
    this.#state = "ending";
    this.#send({ text: "" });
  }

  close(): void {
    this.#finish(1000, "interrupted");
  }

  #onMessage(data: unknown): void {
    if (this.#state === "over" || typeof data !== "string") return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const refused = ErrorMessage.safeParse(json);
    if (refused.success) {
      const { error, message, code } = refused.data;
      return this.#end(code ?? 1008, `${error}: ${message}`, REFUSALS[error]);
    }
    const parsed = AudioMessage.safeParse(json);
    if (!parsed.success) return;
    const { audio, isFinal, alignment, normalizedAlignment } = parsed.data;
    if (audio) {
      // `alignment` is the text as we sent it; the normalised one spells out numbers and the like.
      const aligned = alignment ?? normalizedAlignment;
      this.#emit({ type: "audio", audio: fromBase64(audio), text: aligned ? aligned.chars.join("") : null });
    }
    if (isFinal === true) {
      this.#emit({ type: "done" });
      this.#finish(1000, "");
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#state === "over") return;
    this.#end(code, reason || `closed (${code})`, undefined);
  }

  /** ElevenLabs ended the stream: before open() returned, that is a refusal; after, a `closed` event. */
  #end(code: number, reason: string, refusalStatus: number | undefined): void {
    if (this.#state === "opening") {
      this.#early = new ProviderError(PROVIDER, `${code} ${reason}`, refusalStatus === undefined && code !== 1008, refusalStatus);
      this.#finish(1000, "");
      return;
    }
    this.#emit({ type: "closed", code, reason });
    this.#finish(1000, "");
  }

  #emit(event: TtsEvent): void {
    if (this.#state !== "over") this.#onEvent(event);
  }

  #finish(code: number, reason: string): void {
    if (this.#state === "over") return;
    this.#state = "over";
    this.#abortCleanup?.();
    try {
      this.#socket.close(code, reason);
    } catch {
      // Already closed by the far end.
    }
  }

  #send(message: unknown): void {
    try {
      this.#socket.send(JSON.stringify(message));
    } catch (error) {
      this.#onClose(1006, `send failed: ${describe(error)}`);
    }
  }
}

function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
