import { createHash } from "node:crypto";
import type { ListenOptions } from "./query";
import type { HeardWord, RecognizerEvent } from "./recognizer";

/**
 * Deepgram's live (`/v1/listen`) server messages, as its SDKs type them
 * (`LiveTranscriptionEvent`, `SpeechStartedEvent`, `UtteranceEndEvent`, `Metadata`).
 * Times are seconds of audio since the stream's first byte.
 */

export interface ModelInfo {
  name: string;
  version: string;
  arch: string;
}

export interface ResultsWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
  punctuated_word: string;
  /** Only with `language=multi`. */
  language?: string;
}

export interface ResultsMessage {
  type: "Results";
  /** `[channel, channel count]`. */
  channel_index: [number, number];
  duration: number;
  start: number;
  is_final: boolean;
  speech_final: boolean;
  from_finalize: boolean;
  channel: { alternatives: { transcript: string; confidence: number; words: ResultsWord[]; languages?: string[] }[] };
  metadata: { request_id: string; model_info: ModelInfo; model_uuid: string };
}

export interface SpeechStartedMessage {
  type: "SpeechStarted";
  channel: [number, number];
  timestamp: number;
}

export interface UtteranceEndMessage {
  type: "UtteranceEnd";
  channel: [number, number];
  last_word_end: number;
}

export interface MetadataMessage {
  type: "Metadata";
  transaction_key: "deprecated";
  request_id: string;
  sha256: string;
  created: string;
  duration: number;
  channels: number;
  models: string[];
  model_info: Record<string, ModelInfo>;
}

export type DeepgramMessage = ResultsMessage | SpeechStartedMessage | UtteranceEndMessage | MetadataMessage;

/** Seconds, to the millisecond, as Deepgram prints them. */
const seconds = (ms: number): number => Math.round(ms) / 1000;

/** `nova-3` → `general-nova-3`, `nova-2-phonecall` → `2-phonecall-nova`, as Deepgram names its models. */
export function modelInfo(model: string): ModelInfo & { uuid: string } {
  const [, family = "base", variant = "general"] = /^(nova-3|nova-2|nova|enhanced|base)(?:-(.+))?$/.exec(model) ?? [];
  const name = family === "nova-3" ? `${variant}-nova-3` : family === "nova-2" ? `2-${variant}-nova` : `${variant}-${family}`;
  const hash = createHash("sha256").update(`deepgram-sandbox:${model}`).digest("hex");
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  return { name, version: "sandbox", arch: family, uuid };
}

export class WireFormat {
  readonly #options: ListenOptions;
  readonly #requestId: string;
  readonly #model: ModelInfo & { uuid: string };

  constructor(options: ListenOptions, requestId: string) {
    this.#options = options;
    this.#requestId = requestId;
    this.#model = modelInfo(options.model);
  }

  message(event: RecognizerEvent): DeepgramMessage {
    switch (event.type) {
      case "speech-started":
        return { type: "SpeechStarted", channel: [0, 1], timestamp: seconds(event.atMs) };
      case "utterance-end":
        return { type: "UtteranceEnd", channel: [0, 1], last_word_end: seconds(event.lastWordEndMs) };
      case "results":
        return this.#results(event);
    }
  }

  #results(event: Extract<RecognizerEvent, { type: "results" }>): ResultsMessage {
    const multi = this.#options.language === "multi";
    const words = event.words.flatMap((w) => this.#word(w, multi));
    const transcript = words.map((w) => (this.#options.punctuate ? w.punctuated_word : w.word)).join(" ");
    const confidence = words.length === 0 ? 0 : Math.round((words.reduce((n, w) => n + w.confidence, 0) / words.length) * 1e4) / 1e4;
    const alternative = { transcript, confidence, words, ...(multi ? { languages: [...new Set(words.flatMap((w) => (w.language ? [w.language] : [])))] } : {}) };
    return {
      type: "Results",
      channel_index: [0, 1],
      duration: seconds(event.endMs - event.startMs),
      start: seconds(event.startMs),
      is_final: event.isFinal,
      speech_final: event.speechFinal,
      from_finalize: event.fromFinalize,
      channel: { alternatives: [alternative] },
      metadata: { request_id: this.#requestId, model_info: { name: this.#model.name, version: this.#model.version, arch: this.#model.arch }, model_uuid: this.#model.uuid },
    };
  }

  /** `word` is lower case without surrounding punctuation; `punctuated_word` keeps both when asked for. */
  #word(w: HeardWord, multi: boolean): ResultsWord[] {
    const bare = w.text.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "").toLowerCase();
    if (bare === "") return [];
    return [
      {
        word: bare,
        start: seconds(w.startMs),
        end: seconds(w.endMs),
        confidence: w.confidence,
        punctuated_word: this.#options.punctuate ? w.text : bare,
        ...(multi ? { language: guessLanguage(w.text) } : {}),
      },
    ];
  }

  metadata(created: Date, audioMs: number, sha256: string): MetadataMessage {
    const heard = audioMs > 0;
    return {
      type: "Metadata",
      transaction_key: "deprecated",
      request_id: this.#requestId,
      sha256,
      created: created.toISOString(),
      duration: seconds(audioMs),
      channels: heard ? 1 : 0,
      models: [this.#model.uuid],
      model_info: { [this.#model.uuid]: { name: this.#model.name, version: this.#model.version, arch: this.#model.arch } },
    };
  }
}

/** For `language=multi`: a word's language by its letters, among the ones Noir's callers speak. */
export function guessLanguage(word: string): string {
  if (/[\u0400-\u04ff]/.test(word)) return /[іїєґІЇЄҐ]/.test(word) || !/[ыэъёЫЭЪЁ]/.test(word) ? "uk" : "ru";
  if (/[ąćęłńśźżĄĆĘŁŃŚŹŻ]/.test(word)) return "pl";
  if (/[äöüßÄÖÜ]/.test(word)) return "de";
  if (/[ñ¿¡Ñ]/.test(word)) return "es";
  if (/[àâçèêëîïôûùœÀÂÇÈÊËÎÏÔÛÙŒ]/.test(word)) return "fr";
  if (/[áíóúÁÍÓÚ]/.test(word)) return "es";
  return "en";
}
