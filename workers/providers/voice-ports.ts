/**
 * The voice agent's providers, as ports with a documented lifecycle (open → push → events →
 * close), so the CallSession reads as a state machine wired to them and each adapter can be
 * tested against its sandbox stand-in alone. Audio is μ-law 8 kHz bytes throughout: what Twilio
 * sends and plays, so nothing is transcoded on the way.
 */

export type VoiceLanguage = "uk" | "en" | "uk-en" | "de" | "pl" | "fr" | "es";

// ── Speech to text ───────────────────────────────────────────────────────────────────────────

export interface SttOptions {
  language: VoiceLanguage;
  /** Silence (ms) after speech before a final result says the utterance ended. */
  endpointingMs: number;
  /** Audio time (ms) without words before an utterance-end event (≥ 1000). */
  utteranceEndMs: number;
}

export type SttEvent =
  /** The callee started speaking (voice activity), at this audio time: the barge-in signal. */
  | { type: "speech-started"; atMs: number }
  /** A partial transcript of the speech so far. */
  | { type: "interim"; text: string }
  /**
   * A stretch of speech that will not change. `endOfTurn` (Deepgram's speech_final) says the
   * callee stopped speaking: time to answer.
   */
  | { type: "final"; text: string; endOfTurn: boolean; startMs: number; endMs: number }
  /** No words for utteranceEndMs: the turn is over even if endpointing missed it. */
  | { type: "utterance-end"; lastWordEndMs: number }
  /** The provider closed the stream (error, idle timeout) or we did. */
  | { type: "closed"; code: number; reason: string };

export interface SttStream {
  /** Callee audio, any size; μ-law 8 kHz mono. */
  send(audio: Uint8Array): void;
  /** Keeps the stream open while no audio flows. */
  keepAlive(): void;
  /** Flush what was heard so far as a final result. */
  finalize(): void;
  close(): void;
}

export interface SpeechToText {
  open(options: SttOptions, onEvent: (event: SttEvent) => void, signal?: AbortSignal): Promise<SttStream>;
}

// ── Language model ───────────────────────────────────────────────────────────────────────────

export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; content: string };

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them (JSON text); the caller parses them with zod. */
  arguments: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ChatDelta = { type: "text"; text: string } | { type: "tool-call"; call: ToolCall } | { type: "done"; finishReason: string | null };

export interface ChatModel {
  /** Streams the reply; aborting `signal` stops the request at once (barge-in). */
  stream(request: { messages: ChatMessage[]; tools?: ToolSpec[]; temperature?: number; maxTokens?: number }, signal: AbortSignal): AsyncIterable<ChatDelta>;
}

// ── Text to speech ───────────────────────────────────────────────────────────────────────────

export interface TtsOptions {
  voiceId: string;
  language: VoiceLanguage;
  /** 0.7–1.2, ElevenLabs' speed setting. */
  speed: number;
}

export type TtsEvent =
  /** μ-law 8 kHz audio; `text` is what it says when the provider tells (alignment), else null. */
  | { type: "audio"; audio: Uint8Array; text: string | null }
  /** Everything sent so far has been spoken (after end()). */
  | { type: "done" }
  | { type: "closed"; code: number; reason: string };

export interface TtsStream {
  /** Text to speak; `flush` makes the provider speak what it holds now instead of buffering. */
  speak(text: string, flush: boolean): void;
  /** No more text: speak the rest, then `done`. */
  end(): void;
  /** Stop now and drop whatever is unspoken (barge-in). */
  close(): void;
}

export interface TextToSpeech {
  open(options: TtsOptions, onEvent: (event: TtsEvent) => void, signal?: AbortSignal): Promise<TtsStream>;
}

export interface VoiceCatalog {
  /** The account's voices, for the voice picker. */
  voices(signal?: AbortSignal): Promise<{ id: string; name: string; languages: string[]; gender: string | null; previewUrl: string | null }[]>;
  /** A short spoken sample (MP3) of the text in the voice. */
  sample(voiceId: string, text: string, language: VoiceLanguage, signal?: AbortSignal): Promise<{ contentType: string; body: ArrayBuffer }>;
}

// ── Telephony ────────────────────────────────────────────────────────────────────────────────

export interface PlaceCallRequest {
  from: string;
  to: string;
  /** The TwiML that connects the answered call to our media socket. */
  twiml: string;
  statusCallbackUrl: string;
  amdCallbackUrl: string;
  /** Seconds to let it ring. */
  timeoutSeconds: number;
}

export interface Telephony {
  placeCall(request: PlaceCallRequest, signal?: AbortSignal): Promise<{ providerCallId: string }>;
  hangUp(providerCallId: string, signal?: AbortSignal): Promise<void>;
  /** Replaces the call's TwiML, e.g. to leave a voicemail message and hang up. */
  updateCall(providerCallId: string, twiml: string, signal?: AbortSignal): Promise<void>;
  listNumbers(signal?: AbortSignal): Promise<{ providerId: string; number: string; friendlyName: string | null }[]>;
  searchNumbers(query: { country: string; areaCode?: string; contains?: string; limit?: number }, signal?: AbortSignal): Promise<{ number: string; locality: string | null; region: string | null }[]>;
  buyNumber(number: string, signal?: AbortSignal): Promise<{ providerId: string; number: string }>;
}
