import { z } from "zod";
import { ProviderError } from "../ports";
import type { SpeechToText, SttEvent, SttOptions, SttStream, VoiceLanguage } from "../voice-ports";
import { parseServerMessage } from "./messages";

export const DEFAULT_DEEPGRAM_BASE_URL = "wss://api.deepgram.com";

const PROVIDER = "deepgram";

export interface DeepgramSttOptions {
  /** `DEEPGRAM_API_KEY`; sent only in the handshake's Authorization header. */
  apiKey: string;
  /** `DEEPGRAM_BASE_URL` (ws, wss, http or https); the sandbox's `…/deepgram` locally. */
  baseUrl?: string;
  /** How long the handshake may take before `open()` gives up (retryable). */
  connectTimeoutMs?: number;
  /** How long `close()` waits for Deepgram's last results and close frame before shutting the socket. */
  closeGraceMs?: number;
  /** A known message that did not parse, or a socket error: for the caller's log (never holds the key). */
  onProtocolError?: (detail: string) => void;
}

export interface DeepgramLanguage {
  model: string;
  language: string;
  /** `language_hint`s, which bias Nova-3 multilingual (`language=multi`) towards these languages. */
  hints: readonly string[];
}

/** The model and language per voice language; README.md gives the sources. */
export const DEEPGRAM_LANGUAGES: Readonly<Record<VoiceLanguage, DeepgramLanguage>> = {
  en: { model: "nova-3", language: "en", hints: [] },
  uk: { model: "nova-3", language: "uk", hints: [] },
  "uk-en": { model: "nova-3", language: "multi", hints: ["uk", "en"] },
  de: { model: "nova-3", language: "de", hints: [] },
  pl: { model: "nova-3", language: "pl", hints: [] },
  fr: { model: "nova-3", language: "fr", hints: [] },
  es: { model: "nova-3", language: "es", hints: [] },
};

/**
 * The `/v1/listen` query: Twilio's μ-law 8 kHz mono as it comes, interim results for barge-in,
 * `endpointing` for speech_final, `utterance_end_ms` as the backstop when noise defeats it.
 * https://developers.deepgram.com/reference/speech-to-text/listen-streaming
 */
export function listenQuery(options: SttOptions): URLSearchParams {
  const { model, language, hints } = DEEPGRAM_LANGUAGES[options.language];
  const query = new URLSearchParams({ encoding: "mulaw", sample_rate: "8000", channels: "1", model, language });
  // Several hints are sent as repeated parameters, as Deepgram takes `keyterm`.
  for (const hint of hints) query.append("language_hint", hint);
  query.set("interim_results", "true");
  query.set("endpointing", String(Math.round(options.endpointingMs)));
  query.set("utterance_end_ms", String(Math.round(options.utteranceEndMs)));
  query.set("vad_events", "true");
  query.set("smart_format", "true");
  query.set("punctuate", "true");
  return query;
}

/**
 * Deepgram live speech-to-text, spoken directly over its WebSocket. The SDK cannot be used in
 * workerd: it hands the Authorization header to the native WebSocket, which drops it. A fetch with
 * `Upgrade: websocket` is the one way to send the header, and it needs an http(s) URL.
 */
export function createDeepgramStt(options: DeepgramSttOptions): SpeechToText {
  const baseUrl = (options.baseUrl ?? DEFAULT_DEEPGRAM_BASE_URL).replace(/^ws(s?):\/\//i, "http$1://").replace(/\/+$/, "");
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const closeGraceMs = options.closeGraceMs ?? 2_000;
  const onProtocolError = options.onProtocolError ?? (() => undefined);

  return {
    async open(sttOptions, onEvent, signal) {
      signal?.throwIfAborted();
      const socket = await handshake(`${baseUrl}/v1/listen?${listenQuery(sttOptions).toString()}`, options.apiKey, connectTimeoutMs, signal);
      return new DeepgramStream(socket, onEvent, { closeGraceMs, onProtocolError, signal });
    },
  };
}

/** Opens the socket, or fails with a ProviderError: retryable unless Deepgram refused us (4xx but 429). */
async function handshake(url: string, apiKey: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<WebSocket> {
  // Our own controller, dropped once the socket is up, so neither the timeout nor the caller's
  // signal reaches the fetch after the handshake; the stream handles the caller's signal itself.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forward = () => controller.abort();
  signal?.addEventListener("abort", forward, { once: true });
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { upgrade: "websocket", authorization: `Token ${apiKey}`, "user-agent": "noir-worker" },
      signal: controller.signal,
    });
  } catch (error) {
    // The caller cancelling is not a provider failure: hand its reason back unchanged.
    if (signal?.aborted) throw signal.reason;
    throw new ProviderError(PROVIDER, timedOut ? `no handshake within ${timeoutMs} ms` : `network error: ${describe(error)}`, true);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }

  const socket = response.webSocket;
  if (!socket) {
    const body = await response.text().catch(() => "");
    if (signal?.aborted) throw signal.reason;
    throw handshakeError(response.status, response.statusText, body, response.headers.get("dg-error"));
  }
  socket.accept();
  if (signal?.aborted) {
    socket.close(1000, "aborted");
    throw signal.reason;
  }
  return socket;
}

/** https://developers.deepgram.com/reference/errors; a refused handshake's reason is also in `dg-error`. */
const ErrorBody = z.object({ err_code: z.string(), err_msg: z.string(), request_id: z.string().optional() });

function handshakeError(status: number, statusText: string, body: string, dgError: string | null): ProviderError {
  const parsed = ErrorBody.safeParse(parseJson(body));
  // `dg-error` says exactly which parameter was wrong; the body's err_msg is vaguer for a 400.
  const detail = parsed.success ? `${parsed.data.err_code}: ${dgError ?? parsed.data.err_msg}` : (dgError ?? (statusText || "no WebSocket upgrade"));
  const request = parsed.success && parsed.data.request_id ? ` (request ${parsed.data.request_id})` : "";
  // 429 is Deepgram's concurrency limit: it passes as calls end. Other 4xx fail the same way again.
  const retryable = status === 429 || status >= 500;
  return new ProviderError(PROVIDER, `handshake refused: ${status} ${detail}${request}`, retryable, status);
}

/** Deepgram's client messages: https://developers.deepgram.com/docs/lower-level-websockets */
type Control = "KeepAlive" | "Finalize" | "CloseStream";

class DeepgramStream implements SttStream {
  readonly #socket: WebSocket;
  readonly #onEvent: (event: SttEvent) => void;
  readonly #closeGraceMs: number;
  readonly #onProtocolError: (detail: string) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#shut("aborted");
  /** `close()` was called: no more audio or controls; results still in flight are delivered. */
  #closing = false;
  /** `closed` was emitted: nothing more happens. */
  #ended = false;
  #grace: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: WebSocket, onEvent: (event: SttEvent) => void, options: { closeGraceMs: number; onProtocolError: (detail: string) => void; signal: AbortSignal | undefined }) {
    this.#socket = socket;
    this.#onEvent = onEvent;
    this.#closeGraceMs = options.closeGraceMs;
    this.#onProtocolError = options.onProtocolError;
    this.#signal = options.signal;
    socket.addEventListener("message", (event) => this.#onMessage(event.data));
    socket.addEventListener("close", (event) => {
      // Answer Deepgram's close frame, or the socket lingers half-closed.
      tryClose(socket);
      this.#end(event.code, event.reason);
    });
    socket.addEventListener("error", (event) => {
      this.#onProtocolError(`socket error: ${event.message}`);
      tryClose(socket);
      this.#end(1006, event.message || "socket error");
    });
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  send(audio: Uint8Array): void {
    // An empty binary frame is Deepgram's old way of saying CloseStream: never send one by accident.
    if (audio.length === 0 || this.#closing || this.#ended) return;
    this.#trySend(audio);
  }

  keepAlive(): void {
    this.#control("KeepAlive");
  }

  finalize(): void {
    this.#control("Finalize");
  }

  /**
   * CloseStream makes Deepgram send the results for audio still in flight (the callee's last
   * words), then Metadata and its close frame, after which `closed` follows. If that takes
   * longer than `closeGraceMs`, the socket is shut from here.
   */
  close(): void {
    if (this.#closing || this.#ended) return;
    this.#control("CloseStream");
    this.#closing = true;
    this.#grace = setTimeout(() => this.#shut(`no close from Deepgram within ${this.#closeGraceMs} ms of CloseStream`), this.#closeGraceMs);
  }

  #control(type: Control): void {
    if (this.#closing || this.#ended) return;
    this.#trySend(JSON.stringify({ type }));
  }

  #trySend(data: string | Uint8Array): void {
    try {
      this.#socket.send(data);
    } catch (error) {
      // The socket is already going: its close event follows and says why.
      this.#onProtocolError(`send failed: ${describe(error)}`);
    }
  }

  #onMessage(data: unknown): void {
    if (this.#ended) return;
    // Deepgram sends only text frames on a live socket.
    if (typeof data !== "string") return this.#onProtocolError("unexpected binary frame");
    const message = parseServerMessage(data);
    if (message.kind === "malformed") return this.#onProtocolError(`malformed ${message.type} message: ${message.issue}`);
    if (message.kind === "unknown") return;
    for (const event of message.events) if (!this.#ended) this.#onEvent(event);
  }

  /** Ends the stream from our side now: CloseStream first, so Deepgram stops billing at once. */
  #shut(reason: string): void {
    if (this.#ended) return;
    if (!this.#closing) this.#control("CloseStream");
    this.#closing = true;
    tryClose(this.#socket, 1000, reason);
    this.#end(1000, reason);
  }

  #end(code: number, reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#grace);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#onEvent({ type: "closed", code, reason });
  }
}

function tryClose(socket: WebSocket, code?: number, reason?: string): void {
  try {
    // A close frame's reason is at most 123 bytes.
    if (code === undefined) socket.close();
    else socket.close(code, reason?.slice(0, 120));
  } catch {
    // Already closed.
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
