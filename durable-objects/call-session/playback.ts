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

  constructor(private readonly now: () => number) {}

  /** Whole frames of this audio (with any remainder from before); the rest waits for more audio. */
  frames(audio: Uint8Array, text: string | null): Uint8Array[] {
    const all = new Uint8Array(this.#carry.length + audio.length);
    all.set(this.#carry);
    all.set(audio, this.#carry.length);
    const whole = Math.floor(all.length / FRAME_BYTES);
    this.#carry = all.slice(whole * FRAME_BYTES);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < whole; i++) frames.push(all.subarray(i * FRAME_BYTES, (i + 1) * FRAME_BYTES));
    this.#account(audio.length, text);
    this.#sentFrames += frames.length;
    return frames;
  }

  /** The remainder, padded with silence to a whole frame. */
  drain(): Uint8Array[] {
    if (this.#carry.length === 0) return [];
    const frame = new Uint8Array(FRAME_BYTES).fill(SILENCE);
    frame.set(this.#carry);
    this.#carry = new Uint8Array(0);
    this.#sentFrames += 1;
    return [frame];
  }

  get sentFrames(): number {
    return this.#sentFrames;
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
  }
}
