import { FRAME_BYTES, MULAW_SILENCE as SILENCE } from "./twilio-media";

interface PlayedChunk {
  text: string | null;
  startsAt: number;
  durationMs: number;
}

/**
 * One reply's audio on its way to the caller: cut into whole 20 ms frames, and timed. Twilio
 * buffers what we send and plays it in real time, so the playhead (when the audio sent so far will
 * have finished playing) tells what the callee had heard at any instant, which is what the
 * transcript keeps when they interrupt.
 */
export class Playback {
  #carry = new Uint8Array(0);
  #playheadEndsAt = 0;
  #chunks: PlayedChunk[] = [];
  #sentFrames = 0;
  #spokenChars = 0;

  constructor(private readonly now: () => number) {}

  /**
   * The whole frames of this audio (with any remainder from before), back to back in one array, so
   * they go to Twilio as one message; the rest waits for more audio.
   */
  frames(audio: Uint8Array, text: string | null): Uint8Array {
    const all = new Uint8Array(this.#carry.length + audio.length);
    all.set(this.#carry);
    all.set(audio, this.#carry.length);
    const whole = all.length - (all.length % FRAME_BYTES);
    this.#carry = all.slice(whole);
    this.#account(audio.length, text);
    this.#sentFrames += whole / FRAME_BYTES;
    return all.subarray(0, whole);
  }

  /** The remainder, padded with silence to a whole frame (empty when there is none). */
  drain(): Uint8Array {
    if (this.#carry.length === 0) return new Uint8Array(0);
    const frame = new Uint8Array(FRAME_BYTES).fill(SILENCE);
    frame.set(this.#carry);
    this.#carry = new Uint8Array(0);
    this.#sentFrames += 1;
    return frame;
  }

  get sentFrames(): number {
    return this.#sentFrames;
  }

  /** Characters (whitespace aside) of the text that came with the audio so far, as the provider aligned it. */
  get spokenChars(): number {
    return this.#spokenChars;
  }

  /** When everything sent so far will have been played. */
  get playheadEndsAt(): number {
    return this.#playheadEndsAt;
  }

  /** The words the callee has heard by now: whole chunks played, and whole words of the one playing. */
  heardText(at = this.now()): string {
    const parts: string[] = [];
    for (const chunk of this.#chunks) {
      if (chunk.text === null || at <= chunk.startsAt) continue;
      if (at >= chunk.startsAt + chunk.durationMs) {
        parts.push(chunk.text);
        continue;
      }
      const share = (at - chunk.startsAt) / chunk.durationMs;
      const words = chunk.text.split(/(\s+)/);
      let kept = "";
      for (const word of words) {
        if ((kept + word).length > chunk.text.length * share) break;
        kept += word;
      }
      parts.push(kept.trim());
    }
    return parts.join("").replace(/\s+/g, " ").trim();
  }

  /** The callee cut us off: nothing unplayed will be heard. */
  stop(): void {
    const now = this.now();
    this.#carry = new Uint8Array(0);
    this.#playheadEndsAt = Math.min(this.#playheadEndsAt, now);
  }

  #account(bytes: number, text: string | null): void {
    const now = this.now();
    const startsAt = Math.max(now, this.#playheadEndsAt);
    const durationMs = bytes / 8;
    this.#playheadEndsAt = startsAt + durationMs;
    this.#chunks.push({ text, startsAt, durationMs });
    if (text) this.#spokenChars += text.replace(/\s+/g, "").length;
  }
}

/**
 * The leading whole words of `text` that `spokenChars` characters (whitespace aside) cover: what a
 * voice that stopped after saying that many characters of it got out. Alignment can end mid-word
 * (it comes per audio chunk), and a word cut off was not heard. Counting characters rather than
 * joining the aligned text keeps the spaces between generations, which alignment leaves out.
 */
export function wholeWordsSpoken(text: string, spokenChars: number): string {
  let counted = 0;
  let end = 0;
  for (const word of text.matchAll(/\S+/g)) {
    counted += word[0].length;
    if (counted > spokenChars) break;
    end = word.index + word[0].length;
  }
  return text.slice(0, end).trim();
}
