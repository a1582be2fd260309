import { BYTES_PER_MS, SpeechDecoder, wordTimings } from "../speech/codec";

/**
 * Deepgram's live recogniser, in audio time: fed μ-law in chunks of any size, it says what a
 * streaming recogniser would say and when (in ms of audio received), with no clock and no socket.
 * The socket layer turns its events into Deepgram's JSON and delays them by the injected latency.
 *
 * A word is "heard" once the audio has reached its end (`wordTimings`), so interim results grow
 * word by word; an utterance cut off early yields only the words said before it stopped.
 */

/** A recognised word, in ms of audio since the stream's first byte. */
export interface HeardWord {
  /** As it rides in the speech, with its case and punctuation. */
  text: string;
  startMs: number;
  endMs: number;
  confidence: number;
}

export type RecognizerEvent =
  | { type: "speech-started"; atMs: number }
  /** A Results message: the words of the window `[startMs, endMs)` not finalised before. */
  | { type: "results"; isFinal: boolean; speechFinal: boolean; fromFinalize: boolean; startMs: number; endMs: number; words: HeardWord[] }
  | { type: "utterance-end"; lastWordEndMs: number };

export interface RecognizerOptions {
  interimResults: boolean;
  endpointingMs: number | null;
  utteranceEndMs: number | null;
  vadEvents: boolean;
  /** Per-word confidence, 0–1. */
  confidence: () => number;
}

/** Audio is judged in 10 ms steps on a fixed grid, so any chunking gives the same results. */
export const STEP_MS = 10;
/** How often, in audio, an interim result may go out while words are pending. */
export const INTERIM_EVERY_MS = 400;
/** Speech this long without an endpoint is finalised in pieces (`is_final` without `speech_final`). */
export const MAX_SEGMENT_MS = 5000;

const STEP_BYTES = STEP_MS * BYTES_PER_MS;

interface Utterance {
  words: HeardWord[];
  /** How many of `words` have been heard. */
  heard: number;
  /** When the speech stopped (silence began); null while it goes on. */
  endedAtMs: number | null;
  startMs: number;
}

export class Recognizer {
  readonly #options: RecognizerOptions;
  readonly #decoder = new SpeechDecoder();
  #bytes = 0;
  #utterance: Utterance | null = null;
  /** Heard, not yet finalised. */
  #pending: HeardWord[] = [];
  /** Start of the next Results window: where the last final one ended. */
  #windowStartMs = 0;
  /** Speech was heard since the last endpoint, so a `speech_final` is owed. */
  #segmentOpen = false;
  #segmentStartMs = 0;
  #silenceSinceMs: number | null = 0;
  #lastInterimMs = 0;
  #lastInterimCount = 0;
  #lastWordEndMs: number | null = null;
  #utteranceEndDue = false;

  constructor(options: RecognizerOptions) {
    this.#options = options;
  }

  /** Audio received so far, in ms. */
  get audioMs(): number {
    return this.#bytes / BYTES_PER_MS;
  }

  push(chunk: Uint8Array): RecognizerEvent[] {
    const out: RecognizerEvent[] = [];
    let at = 0;
    while (at < chunk.length) {
      const toGrid = STEP_BYTES - (this.#bytes % STEP_BYTES);
      const piece = chunk.subarray(at, at + toGrid);
      at += piece.length;
      for (const event of this.#decoder.push(piece)) this.#onSpeech(event, out);
      this.#bytes += piece.length;
      if (this.#bytes % STEP_BYTES === 0) this.#step(this.audioMs, out);
    }
    return out;
  }

  /**
   * `Finalize` (and `CloseStream`): everything heard so far as one final result, if any audio
   * came since the last one. Speech still going on continues in the next window.
   */
  flush(fromFinalize: boolean): RecognizerEvent[] {
    const out: RecognizerEvent[] = [];
    const now = this.audioMs;
    this.#hear(now);
    if (now > this.#windowStartMs || this.#pending.length > 0) {
      this.#final(now, false, fromFinalize, out);
      if (this.#silenceSinceMs !== null) this.#segmentOpen = false;
      else this.#segmentStartMs = now;
    }
    return out;
  }

  #onSpeech(event: ReturnType<SpeechDecoder["push"]>[number], out: RecognizerEvent[]): void {
    switch (event.type) {
      case "speech-start":
        this.#hear(event.atMs);
        if (!this.#segmentOpen) {
          this.#segmentOpen = true;
          this.#lastInterimMs = event.atMs;
        }
        // A segment's length counts from its first word not yet finalised.
        if (this.#pending.length === 0) this.#segmentStartMs = event.atMs;
        this.#silenceSinceMs = null;
        this.#utterance = { words: [], heard: 0, endedAtMs: null, startMs: event.atMs };
        if (this.#options.vadEvents) out.push({ type: "speech-started", atMs: event.atMs });
        return;
      case "text":
        if (this.#utterance) {
          this.#utterance.words = wordTimings(event.text).map((w) => ({
            text: w.word,
            startMs: event.startMs + w.startMs,
            endMs: event.startMs + w.endMs,
            confidence: this.#options.confidence(),
          }));
        }
        return;
      case "speech-end":
        if (this.#utterance) this.#utterance.endedAtMs = event.atMs;
        this.#hear(event.atMs);
        this.#silenceSinceMs = event.atMs;
        return;
    }
  }

  /** Moves words whose end the audio has reached (and the speaker did reach) into pending. */
  #hear(nowMs: number): void {
    const u = this.#utterance;
    if (!u) return;
    const limit = Math.min(nowMs, u.endedAtMs ?? Infinity);
    while (u.heard < u.words.length) {
      const word = u.words[u.heard];
      if (!word || word.endMs > limit) break;
      this.#pending.push(word);
      this.#lastWordEndMs = word.endMs;
      this.#utteranceEndDue = true;
      u.heard++;
    }
  }

  #step(nowMs: number, out: RecognizerEvent[]): void {
    this.#hear(nowMs);
    const { endpointingMs, utteranceEndMs, interimResults } = this.#options;

    if (this.#segmentOpen && this.#pending.length > 0 && nowMs - this.#segmentStartMs >= MAX_SEGMENT_MS) {
      this.#final(nowMs, false, false, out);
      this.#segmentStartMs = nowMs;
    }
    if (this.#segmentOpen && this.#silenceSinceMs !== null && endpointingMs !== null && nowMs - this.#silenceSinceMs >= endpointingMs) {
      this.#final(nowMs, true, false, out);
      this.#segmentOpen = false;
    }
    if (interimResults && this.#segmentOpen && nowMs - this.#lastInterimMs >= INTERIM_EVERY_MS) {
      this.#lastInterimMs = nowMs;
      if (this.#pending.length > this.#lastInterimCount) {
        this.#lastInterimCount = this.#pending.length;
        out.push({ type: "results", isFinal: false, speechFinal: false, fromFinalize: false, startMs: this.#windowStartMs, endMs: nowMs, words: [...this.#pending] });
      }
    }
    if (utteranceEndMs !== null && this.#utteranceEndDue && this.#lastWordEndMs !== null && nowMs - this.#lastWordEndMs >= utteranceEndMs) {
      this.#utteranceEndDue = false;
      out.push({ type: "utterance-end", lastWordEndMs: this.#lastWordEndMs });
    }
  }

  #final(nowMs: number, speechFinal: boolean, fromFinalize: boolean, out: RecognizerEvent[]): void {
    out.push({ type: "results", isFinal: true, speechFinal, fromFinalize, startMs: this.#windowStartMs, endMs: nowMs, words: this.#pending });
    this.#pending = [];
    this.#lastInterimCount = 0;
    this.#windowStartMs = nowMs;
  }
}
