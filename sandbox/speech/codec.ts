/**
 * The sandbox's "speech": μ-law 8 kHz audio that carries its own words, so a stand-in can tell
 * what was said without a speech model. A Twilio callee, Deepgram, ElevenLabs and our CallSession
 * all pass the same bytes around, in any chunking, exactly as they would pass real audio.
 *
 * An utterance is a run of non-silent bytes lasting as long as a person takes to say the text:
 *   START, the UTF-8 text, END, then voiced filler up to its duration; silence is 0xFF (μ-law zero).
 * UTF-8 never uses 0xFD–0xFF, so the markers and silence cannot occur inside the text.
 */

export const SAMPLE_RATE = 8000;
/** 20 ms of μ-law at 8 kHz: the frame Twilio sends and expects. */
export const FRAME_BYTES = 160;
export const FRAME_MS = 20;
export const BYTES_PER_MS = SAMPLE_RATE / 1000;
export const SILENCE = 0xff;
const START = 0xfe;
const END = 0xfd;
/** About 14 characters a second, a natural speaking pace. */
export const MS_PER_CHAR = 70;
const MIN_UTTERANCE_MS = 300;

/** How long saying `text` takes, in ms. */
export function speechMs(text: string): number {
  return Math.max(MIN_UTTERANCE_MS, text.length * MS_PER_CHAR);
}

/** Each word with the ms offset (from the utterance's start) at which it has been fully said. */
export function wordTimings(text: string): { word: string; startMs: number; endMs: number }[] {
  const words: { word: string; startMs: number; endMs: number }[] = [];
  const scale = speechMs(text) / Math.max(1, text.length * MS_PER_CHAR);
  for (const match of text.matchAll(/\S+/g)) {
    const start = match.index;
    words.push({ word: match[0], startMs: Math.round(start * MS_PER_CHAR * scale), endMs: Math.round((start + match[0].length) * MS_PER_CHAR * scale) });
  }
  return words;
}

/** The words a listener heard when the audio stopped after `heardMs`: whole words only. */
export function heardText(text: string, heardMs: number): string {
  return wordTimings(text)
    .filter((w) => w.endMs <= heardMs)
    .map((w) => w.word)
    .join(" ");
}

/** The audio of one utterance, `speechMs(text)` long. */
export function encodeSpeech(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const audio = new Uint8Array(Math.ceil(speechMs(text) * BYTES_PER_MS));
  audio[0] = START;
  audio.set(body, 1);
  audio[body.length + 1] = END;
  // Voiced filler: loud-ish, never a marker or silence.
  for (let i = body.length + 2; i < audio.length; i++) audio[i] = 0x10 + (i % 0x40);
  return audio;
}

export function silence(ms: number): Uint8Array {
  return new Uint8Array(Math.round(ms * BYTES_PER_MS)).fill(SILENCE);
}

/** Cuts audio into 20 ms frames; the last is padded with silence. */
export function toFrames(audio: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < audio.length; i += FRAME_BYTES) {
    const frame = new Uint8Array(FRAME_BYTES).fill(SILENCE);
    frame.set(audio.subarray(i, i + FRAME_BYTES));
    frames.push(frame);
  }
  return frames;
}

export type SpeechEvent =
  /** Non-silent audio began, at this audio time (ms since the stream's first byte). */
  | { type: "speech-start"; atMs: number }
  /** The utterance's text is known (it rides at its front); `startMs` is when it began. */
  | { type: "text"; text: string; startMs: number; atMs: number }
  /** Silence after speech; `heardMs` is how long the utterance actually played. */
  | { type: "speech-end"; atMs: number; text: string | null; heardMs: number };

/**
 * Reads speech back out of a μ-law stream fed in chunks of any size. Audio time is counted in
 * bytes, as a speech recogniser counts it, not by the wall clock.
 */
export class SpeechDecoder {
  #bytes = 0;
  #inSpeech = false;
  #startByte = 0;
  #text: number[] | null = null;
  #readingText = false;
  #decodedText: string | null = null;

  /** Audio time consumed so far, in ms. */
  get audioMs(): number {
    return this.#bytes / BYTES_PER_MS;
  }

  get speaking(): boolean {
    return this.#inSpeech;
  }

  push(chunk: Uint8Array): SpeechEvent[] {
    const events: SpeechEvent[] = [];
    for (const byte of chunk) {
      if (byte === SILENCE) {
        if (this.#inSpeech) {
          this.#inSpeech = false;
          this.#readingText = false;
          events.push({ type: "speech-end", atMs: this.audioMs, text: this.#decodedText, heardMs: (this.#bytes - this.#startByte) / BYTES_PER_MS });
        }
      } else {
        if (!this.#inSpeech) {
          this.#inSpeech = true;
          this.#startByte = this.#bytes;
          this.#decodedText = null;
          this.#text = null;
          events.push({ type: "speech-start", atMs: this.audioMs });
        }
        if (byte === START) {
          this.#readingText = true;
          this.#text = [];
        } else if (byte === END && this.#readingText && this.#text) {
          this.#readingText = false;
          this.#decodedText = new TextDecoder().decode(new Uint8Array(this.#text));
          events.push({ type: "text", text: this.#decodedText, startMs: this.#startByte / BYTES_PER_MS, atMs: this.audioMs });
        } else if (this.#readingText) {
          this.#text?.push(byte);
        }
      }
      this.#bytes++;
    }
    return events;
  }
}
