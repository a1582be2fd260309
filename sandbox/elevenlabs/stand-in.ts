import { MODELS, VOICE_IDS, voiceLibrary, type ElevenLabsVoice } from "./voices";

/** One text message a stream-input socket received after the first (BOS) message. */
export interface ReceivedText {
  text: string;
  flush: boolean;
  tryTriggerGeneration: boolean;
  /** `Date.now()` when it arrived. */
  at: number;
}

/** Why buffered text was released to the model. */
export type SegmentTrigger = "schedule" | "flush" | "try_trigger_generation" | "auto_mode" | "eos";

/** One generation: the text released together and the audio made of it. */
export interface GeneratedSegment {
  /** As released, spaces included; the audio says `text.trim()`. */
  text: string;
  trigger: SegmentTrigger;
  releasedAt: number;
  /** The injected latency this generation waited before its first audio. */
  latencyMs: number;
  firstAudioAt: number | null;
  lastAudioAt: number | null;
  /** Audio messages sent for it. */
  chunks: number;
  audioBytes: number;
}

/** What a test sees of one stream-input socket. */
export interface StreamSession {
  id: string;
  voiceId: string;
  /** `model_id` as asked, or the default when absent. */
  modelId: string;
  outputFormat: string;
  languageCode: string | null;
  /** The handshake's query, as received. */
  query: Record<string, string>;
  /** Where the key came from, once one was accepted. */
  auth: "header" | "message" | null;
  voiceSettings: Record<string, unknown> | null;
  chunkLengthSchedule: number[];
  autoMode: boolean;
  /** The inactivity timeout in force, in ms (the query's seconds, or the handle's override). */
  inactivityTimeoutMs: number;
  texts: ReceivedText[];
  /** Text received but not yet released. */
  buffered: string;
  segments: GeneratedSegment[];
  eosReceived: boolean;
  finalSent: boolean;
  /** The error the stand-in sent in-band (a JSON message, then close 1008), if any. */
  error: { error: string; message: string } | null;
  /**
   * The HTTP answer when the handshake itself was refused and the socket never opened (Eleven v3:
   * 403), with the body's `detail.status` / `detail.message`; null when the socket was upgraded.
   */
  refused: { status: number; error: string; message: string } | null;
  openedAt: number;
  closedAt: number | null;
  closeCode: number | null;
  closeReason: string | null;
  closedBy: "server" | "client" | null;
  /** The stand-in dropped it mid-stream (`drop()`): closed 1011 with nothing more sent. */
  dropped: boolean;
  state: "open" | "closed";
}

/** What the handshake's path and query say about a stream-input session. */
export type SessionInit = Pick<StreamSession, "voiceId" | "modelId" | "outputFormat" | "languageCode" | "query" | "autoMode" | "inactivityTimeoutMs">;

/** One `POST /v1/text-to-speech/{voice_id}[/stream]` answered. */
export interface HttpSynthesis {
  voiceId: string;
  modelId: string;
  text: string;
  outputFormat: string;
  languageCode: string | null;
  voiceSettings: Record<string, unknown> | null;
  at: number;
}

export interface ElevenLabsStandIn {
  /** The one key the stand-in accepts (`xi-api-key`); the same for the same sandbox seed. */
  readonly apiKey: string;
  /** The fixed voice library; `preview_url`s point at the sandbox it was read from. */
  readonly voices: readonly ElevenLabsVoice[];
  readonly voiceIds: typeof VOICE_IDS;
  /** Model ids the stand-in knows, and which of them the WebSocket serves. */
  readonly models: typeof MODELS;
  /** Every stream-input handshake since the last clear, refused ones included (`refused`), oldest first (live objects: read, do not write). */
  sessions(filter?: { voiceId?: string }): readonly StreamSession[];
  /** The most recent socket, or undefined. */
  lastSession(): StreamSession | undefined;
  /** HTTP syntheses (the dashboard's samples) since the last clear. */
  syntheses(): readonly HttpSynthesis[];
  clear(): void;
  /**
   * Overrides every socket's inactivity timeout (normally `inactivity_timeout` seconds, default
   * 20) so tests need not wait; null restores it. Applies from a socket's next message.
   */
  setInactivityTimeoutMs(ms: number | null): void;
  inactivityTimeoutOverrideMs(): number | null;
  /**
   * ElevenLabs failing mid-stream. Without options, every open stream-input socket is closed now
   * with 1011 and no message before it; returns how many. With `afterAudioMs`, nothing closes now:
   * the next socket to open is closed that way once it has sent that much audio (right after the
   * audio message that reaches it), so a test can cut a reply off mid-audio; returns 0.
   */
  drop(options?: { afterAudioMs?: number }): number;
}

/** A live socket the stand-in can drop. */
export interface DroppableSocket {
  drop(): void;
}

/** The state behind the handle, shared by the HTTP app and the socket handler. */
export class ElevenLabsState implements ElevenLabsStandIn {
  readonly apiKey: string;
  readonly voiceIds = VOICE_IDS;
  readonly models = MODELS;
  #sessions: StreamSession[] = [];
  #syntheses: HttpSynthesis[] = [];
  #timeoutOverride: number | null = null;
  #nextSession = 1;
  readonly #live = new Set<DroppableSocket>();
  #armedDropMs: number | null = null;
  readonly #origin: () => string | null;

  constructor(random: () => number, origin: () => string | null) {
    this.apiKey = `sk_${Array.from({ length: 48 }, () => Math.floor(random() * 16).toString(16)).join("")}`;
    this.#origin = origin;
  }

  get voices(): readonly ElevenLabsVoice[] {
    return this.voicesAt(this.#origin() ?? "http://127.0.0.1:8790");
  }

  voicesAt(origin: string): ElevenLabsVoice[] {
    return voiceLibrary(`${origin}/elevenlabs/previews`);
  }

  sessions(filter: { voiceId?: string } = {}): readonly StreamSession[] {
    return this.#sessions.filter((s) => filter.voiceId === undefined || s.voiceId === filter.voiceId);
  }

  lastSession(): StreamSession | undefined {
    return this.#sessions.at(-1);
  }

  syntheses(): readonly HttpSynthesis[] {
    return this.#syntheses;
  }

  clear(): void {
    this.#sessions = [];
    this.#syntheses = [];
    this.#armedDropMs = null;
  }

  setInactivityTimeoutMs(ms: number | null): void {
    if (ms !== null && (!Number.isFinite(ms) || ms <= 0)) throw new Error("The inactivity timeout must be a positive number of ms, or null");
    this.#timeoutOverride = ms;
  }

  inactivityTimeoutOverrideMs(): number | null {
    return this.#timeoutOverride;
  }

  drop(options: { afterAudioMs?: number } = {}): number {
    if (options.afterAudioMs !== undefined) {
      if (!Number.isFinite(options.afterAudioMs) || options.afterAudioMs < 0) throw new Error("afterAudioMs must be a number of ms, 0 or more");
      this.#armedDropMs = options.afterAudioMs;
      return 0;
    }
    const live = [...this.#live];
    for (const socket of live) socket.drop();
    return live.length;
  }

  /** Registers an open socket; returns its audio budget before it drops (the armed drop, taken once) and a release. */
  track(socket: DroppableSocket): { dropAfterAudioMs: number | null; untrack: () => void } {
    this.#live.add(socket);
    const dropAfterAudioMs = this.#armedDropMs;
    this.#armedDropMs = null;
    return { dropAfterAudioMs, untrack: () => void this.#live.delete(socket) };
  }

  openSession(init: SessionInit): StreamSession {
    const session: StreamSession = {
      id: `ws_${this.#nextSession++}`,
      ...init,
      auth: null,
      voiceSettings: null,
      chunkLengthSchedule: [...DEFAULT_SCHEDULE],
      texts: [],
      buffered: "",
      segments: [],
      eosReceived: false,
      finalSent: false,
      error: null,
      refused: null,
      openedAt: Date.now(),
      closedAt: null,
      closeCode: null,
      closeReason: null,
      closedBy: null,
      dropped: false,
      state: "open",
    };
    this.#sessions.push(session);
    return session;
  }

  /** Records a handshake refused with an HTTP answer: a session that was never open. */
  refuseSession(init: SessionInit, refused: NonNullable<StreamSession["refused"]>): StreamSession {
    const session = this.openSession(init);
    Object.assign(session, { refused, state: "closed", closedAt: session.openedAt, closedBy: "server" } satisfies Partial<StreamSession>);
    return session;
  }

  recordSynthesis(synthesis: HttpSynthesis): void {
    this.#syntheses.push(synthesis);
  }
}

/** ElevenLabs' default `chunk_length_schedule`. */
export const DEFAULT_SCHEDULE: readonly number[] = [120, 160, 250, 290];
