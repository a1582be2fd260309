// Types only: under the Workers test plugin's "browser" condition `ws` is a stub that throws.
import type { RawData, WebSocket } from "ws";
import { speechMs } from "../speech/codec";
import { align, alignmentWithin, type Alignment } from "./alignment";
import { byteAt, parseOutputFormat, synthesize, type OutputFormat } from "./audio";
import { closeReason, INVALID_KEY_MESSAGE, MISSING_KEY_MESSAGE, voiceNotFoundMessage, type SocketError } from "./errors";
import type { SocketHandler, SocketRefusal } from "../harness/provider";
import type { ElevenLabsState, SegmentTrigger, SessionInit, StreamSession } from "./stand-in";
import { DEFAULT_MODEL, MODELS } from "./voices";

/**
 * ElevenLabs' text-to-speech stream-input socket
 * (https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input):
 * the first message opens the stream (`{"text": " ", voice_settings?, generation_config?,
 * xi_api_key?}`), text messages follow, `{"text": ""}` ends it. Text is buffered until the
 * `chunk_length_schedule` threshold, a `flush`, `try_trigger_generation` (over 50 characters),
 * `auto_mode`, or the end; each release becomes one utterance of sandbox speech, sent as base64
 * audio messages with character alignment, then `{"isFinal": true}` and a normal close.
 */

/** Audio per message: half a second. */
const CHUNK_MS = 500;
/** Audio is made ten times faster than it plays: a 500 ms chunk every 50 ms. */
const SPEEDUP = 10;
/** `try_trigger_generation` generates only above this many buffered characters (ElevenLabs does not say how many). */
const TRIGGER_MIN_CHARS = 50;
const DEFAULT_INACTIVITY_S = 20;
const MAX_INACTIVITY_S = 180;

export interface SocketDeps {
  state: ElevenLabsState;
  /** The provider's injected latency right now. */
  latencyMs: () => number;
  /** Aborts when the sandbox closes. */
  lifetime: AbortSignal;
}

export type StreamInputRequest = { voiceId: string; query: URLSearchParams; headers: Record<string, string> };

/**
 * The stream-input handshake. ElevenLabs refuses one thing before upgrading: a model its
 * WebSocket does not serve (Eleven v3) gets HTTP 403. Everything else it reports in-band, once the
 * socket is open, as `{message, error, code: 1008}` and a 1008 close: a wrong key (the key may
 * come in the first message instead of the header, so it cannot be judged earlier), an unknown
 * voice (voices belong to an account, known only once the key is), and the rest of the checks.
 */
export function streamInputHandshake(request: StreamInputRequest, deps: SocketDeps): SocketHandler | SocketRefusal {
  const { init, inactivityS } = sessionInit(request, deps.state);
  const model = MODELS[init.modelId];
  if (model && !model.streamInput) {
    const refused = {
      status: 403,
      error: "unsupported_model",
      message: `Model ${init.modelId} is not available over the text-to-speech WebSocket API. Use the HTTP endpoints.`,
    };
    deps.state.refuseSession(init, refused);
    return { refuse: refused.status, headers: { "content-type": "application/json" }, body: JSON.stringify({ detail: { status: refused.error, message: refused.message } }) };
  }
  return (socket) => new StreamInput(socket, request, deps, init, inactivityS).start();
}

function sessionInit(request: StreamInputRequest, state: ElevenLabsState): { init: SessionInit; inactivityS: number } {
  const q = request.query;
  const asked = Number(q.get("inactivity_timeout") ?? DEFAULT_INACTIVITY_S);
  const inactivityS = Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX_INACTIVITY_S) : DEFAULT_INACTIVITY_S;
  return {
    inactivityS,
    init: {
      voiceId: request.voiceId,
      modelId: q.get("model_id") ?? DEFAULT_MODEL,
      // ElevenLabs' default is mp3_44100, which the stand-in refuses: a phone needs ulaw_8000.
      outputFormat: q.get("output_format") ?? "mp3_44100",
      languageCode: q.get("language_code"),
      query: Object.fromEntries(q),
      autoMode: q.get("auto_mode") === "true",
      inactivityTimeoutMs: state.inactivityTimeoutOverrideMs() ?? inactivityS * 1000,
    },
  };
}


class StreamInput {
  readonly #socket: WebSocket;
  readonly #request: StreamInputRequest;
  readonly #deps: SocketDeps;
  readonly #session: StreamSession;
  readonly #abort = new AbortController();
  readonly #inactivityS: number;
  #format: OutputFormat | null = null;
  #firstMessage = true;
  #scheduleIndex = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Generations run one after another, in release order. */
  #queue: Promise<void> = Promise.resolve();
  /** Audio sent so far, in ms, and how much this socket may send before it drops (an armed `drop`). */
  #audioSentMs = 0;
  #dropAfterAudioMs: number | null = null;
  #untrack: () => void = () => undefined;

  constructor(socket: WebSocket, request: StreamInputRequest, deps: SocketDeps, init: SessionInit, inactivityS: number) {
    this.#socket = socket;
    this.#request = request;
    this.#deps = deps;
    this.#inactivityS = inactivityS;
    this.#session = deps.state.openSession(init);
  }

  start(): void {
    const socket = this.#socket;
    const tracked = this.#deps.state.track(this);
    this.#dropAfterAudioMs = tracked.dropAfterAudioMs;
    this.#untrack = tracked.untrack;
    socket.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    socket.on("close", (code, reason) => {
      const session = this.#session;
      if (session.state === "open") {
        session.state = "closed";
        session.closedAt = Date.now();
        session.closeCode = code;
        session.closeReason = reason.toString();
        session.closedBy ??= "client";
      }
      this.#stop();
    });
    socket.on("error", () => this.#stop());
    const lifetime = this.#deps.lifetime;
    if (lifetime.aborted) return this.#stop();
    lifetime.addEventListener("abort", () => this.#stop(), { once: true, signal: this.#abort.signal });

    const key = this.#request.headers["xi-api-key"];
    if (key !== undefined && key !== "") {
      if (!this.#authenticate(key, "header")) return;
    }
    this.#armIdleTimer();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const session = this.#session;
    if (session.state !== "open" || session.eosReceived) return;
    const message = isBinary ? null : parseMessage(data.toString());
    if (!message) {
      return this.#fail({
        error: "invalid_input_message",
        message: "Could not parse input message, make sure it is a json and follows the schema outlined in protocol.",
      });
    }
    this.#armIdleTimer();

    if (session.auth === null) {
      const key = typeof message.xi_api_key === "string" ? message.xi_api_key : typeof message["xi-api-key"] === "string" ? message["xi-api-key"] : null;
      if (key === null) return this.#fail({ error: "needs_authorization", message: MISSING_KEY_MESSAGE });
      if (!this.#authenticate(key, "message")) return;
    }

    if (this.#firstMessage) {
      this.#firstMessage = false;
      if (message.voice_settings !== undefined) session.voiceSettings = asRecord(message.voice_settings);
      const schedule = asRecord(message.generation_config)?.chunk_length_schedule;
      if (schedule !== undefined) {
        if (!Array.isArray(schedule) || schedule.length === 0 || !schedule.every((n) => typeof n === "number" && n > 0)) {
          return this.#fail({ error: "invalid_input_message", message: "generation_config.chunk_length_schedule must be a non-empty list of positive numbers." });
        }
        session.chunkLengthSchedule = schedule as number[];
      }
      // The opening message's text is normally the single space the protocol asks for.
      if (message.text === "") return this.#end();
      session.buffered += message.text;
      return;
    }

    if (message.voice_settings !== undefined && JSON.stringify(message.voice_settings) !== JSON.stringify(session.voiceSettings)) {
      return this.#fail({
        error: "invalid_input_message",
        message: "voice_settings field must be provided in the first message and then either be not provided or not change.",
      });
    }
    if (message.text === "") return this.#end();

    const flush = message.flush === true;
    const tryTrigger = message.try_trigger_generation === true;
    session.texts.push({ text: message.text, flush, tryTriggerGeneration: tryTrigger, at: Date.now() });
    session.buffered += message.text;

    if (flush) this.#release(session.buffered.length, "flush");
    else if (session.autoMode) this.#release(session.buffered.length, "auto_mode");
    else if (tryTrigger && session.buffered.trim().length > TRIGGER_MIN_CHARS) this.#release(session.buffered.length, "try_trigger_generation");
    else {
      const schedule = session.chunkLengthSchedule;
      const threshold = schedule[Math.min(this.#scheduleIndex, schedule.length - 1)] ?? Infinity;
      if (session.buffered.length >= threshold) {
        // Up to the last space, so a word split across messages is said whole.
        const cut = session.buffered.search(/\s\S*$/);
        this.#release(cut > 0 ? cut + 1 : session.buffered.length, "schedule");
      }
    }
  }

  /** Accepts the key, then checks the rest of the handshake (voice, model, format, language). */
  #authenticate(key: string, via: "header" | "message"): boolean {
    const session = this.#session;
    if (key !== this.#deps.state.apiKey) {
      this.#fail({ error: "invalid_api_key", message: INVALID_KEY_MESSAGE });
      return false;
    }
    session.auth = via;
    const problem = this.#checkHandshake();
    if (problem) {
      this.#fail(problem);
      return false;
    }
    return true;
  }

  #checkHandshake(): SocketError | null {
    const session = this.#session;
    if (!this.#deps.state.voicesAt("").some((v) => v.voice_id === session.voiceId)) {
      return { error: "voice_not_found", message: voiceNotFoundMessage(session.voiceId) };
    }
    // A model the socket does not serve (Eleven v3) never gets here: its handshake is refused with 403.
    const model = MODELS[session.modelId];
    if (!model) return { error: "model_not_found", message: `A model with model ID ${session.modelId} does not exist.` };
    const format = parseOutputFormat(session.outputFormat);
    if (!format || format.kind === "mp3") {
      return {
        error: "invalid_output_format",
        message: `The Noir sandbox streams ulaw_8000 or pcm_8000/16000/22050/24000/44100/48000 over this socket, not output_format=${session.outputFormat}.`,
      };
    }
    this.#format = format;
    const language = session.languageCode;
    if (language !== null && model.languages !== null && !model.languages.includes(language)) {
      return { error: "unsupported_language", message: `Model ${session.modelId} does not support language_code ${language}.` };
    }
    return null;
  }

  #release(length: number, trigger: SegmentTrigger): void {
    const session = this.#session;
    const text = session.buffered.slice(0, length);
    session.buffered = session.buffered.slice(length);
    const spoken = text.trim();
    if (spoken === "") return;
    this.#scheduleIndex++;
    const segment = {
      text,
      trigger,
      releasedAt: Date.now(),
      latencyMs: Math.max(0, this.#deps.latencyMs()),
      firstAudioAt: null as number | null,
      lastAudioAt: null as number | null,
      chunks: 0,
      audioBytes: 0,
    };
    session.segments.push(segment);
    this.#queue = this.#queue.then(async () => {
      const format = this.#format;
      if (!format || !(await this.#sleepUntil(segment.releasedAt + segment.latencyMs))) return;
      const audio = synthesize(spoken, format);
      const totalMs = speechMs(spoken);
      const alignment = align(spoken, totalMs);
      for (let startMs = 0, first = true; startMs < totalMs; startMs += CHUNK_MS, first = false) {
        if (!first && !(await this.#sleep(CHUNK_MS / SPEEDUP))) return;
        const endMs = Math.min(totalMs, startMs + CHUNK_MS);
        const bytes = audio.subarray(byteAt(startMs, format), byteAt(endMs, format));
        const chunkAlignment = alignmentWithin(alignment, startMs, endMs);
        if (!this.#send({ audio: Buffer.from(bytes).toString("base64"), isFinal: null, normalizedAlignment: chunkAlignment, alignment: chunkAlignment })) return;
        segment.firstAudioAt ??= Date.now();
        segment.lastAudioAt = Date.now();
        segment.chunks++;
        segment.audioBytes += bytes.length;
        this.#audioSentMs += endMs - startMs;
        if (this.#dropAfterAudioMs !== null && this.#audioSentMs >= this.#dropAfterAudioMs) return this.drop();
      }
    });
  }

  /**
   * ElevenLabs failing mid-stream: the socket closes with 1011 (internal error) and no message
   * before it, whatever was still to be said. Reports of live sockets dropping this way show the
   * code with no reason text (e.g. https://github.com/elevenlabs/elevenlabs-docs/issues/768).
   */
  drop(): void {
    if (this.#session.state !== "open") return;
    this.#session.dropped = true;
    this.#close(1011, "");
  }

  /** `{"text": ""}`: say what is left, then `isFinal` and a normal close. */
  #end(): void {
    const session = this.#session;
    session.eosReceived = true;
    clearTimeout(this.#idleTimer);
    this.#release(session.buffered.length, "eos");
    this.#queue = this.#queue.then(() => {
      if (this.#abort.signal.aborted) return;
      if (this.#send({ audio: null, isFinal: true, normalizedAlignment: null, alignment: null })) session.finalSent = true;
      this.#close(1000, "");
    });
  }

  #armIdleTimer(): void {
    clearTimeout(this.#idleTimer);
    const ms = this.#timeoutMs();
    this.#session.inactivityTimeoutMs = ms;
    this.#idleTimer = setTimeout(() => {
      const seconds = Number.isInteger(this.#inactivityS) ? String(this.#inactivityS) : this.#inactivityS.toFixed(1);
      this.#fail({
        error: "input_timeout_exceeded",
        message: `Have not received a new text input within the timeout of ${seconds} seconds. Streaming input terminated. Please make sure to either feed the input in the timely manner, or to send the end of input text (empty string "") when done.`,
      });
    }, ms);
  }

  #timeoutMs(): number {
    return this.#deps.state.inactivityTimeoutOverrideMs() ?? this.#inactivityS * 1000;
  }

  #fail(problem: SocketError): void {
    this.#session.error = problem;
    this.#send({ message: problem.message, error: problem.error, code: 1008 });
    this.#close(1008, closeReason(problem.message));
  }

  #send(message: unknown): boolean {
    if (this.#socket.readyState !== this.#socket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  #close(code: number, reason: string): void {
    const session = this.#session;
    if (session.state === "open") {
      session.state = "closed";
      session.closedAt = Date.now();
      session.closeCode = code;
      session.closeReason = reason;
      session.closedBy = "server";
    }
    this.#stop();
    if (this.#socket.readyState === this.#socket.OPEN || this.#socket.readyState === this.#socket.CONNECTING) this.#socket.close(code, reason);
  }

  #stop(): void {
    clearTimeout(this.#idleTimer);
    this.#abort.abort();
    this.#untrack();
  }

  #sleepUntil(at: number): Promise<boolean> {
    return this.#sleep(at - Date.now());
  }

  /** Resolves true after `ms`, false as soon as the socket is done. */
  #sleep(ms: number): Promise<boolean> {
    const signal = this.#abort.signal;
    if (signal.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

interface ClientMessage extends Record<string, unknown> {
  text: string;
}

function parseMessage(raw: string): ClientMessage | null {
  try {
    const value: unknown = JSON.parse(raw);
    const record = asRecord(value);
    return record && typeof record.text === "string" ? (record as ClientMessage) : null;
  } catch {
    return null;
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
