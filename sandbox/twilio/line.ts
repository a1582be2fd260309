import { performance } from "node:perf_hooks";
import { FRAME_MS } from "../speech/codec";

/** Catching up after a stall sends at most this many frames at once (one second of audio). */
const MAX_CATCH_UP_FRAMES = 50;

/**
 * A phone line's clock: one tick per 20 ms of audio in real time, drift-corrected against the
 * wall clock, so N seconds after answering exactly N × 50 frames have gone by. A stalled event
 * loop is caught up in a burst, as a real line delivers delayed packets.
 */
export class LineClock {
  readonly #onTick: (frameIndex: number) => void;
  readonly #now: () => number;
  readonly #startedAt: number;
  #frames = 0;
  #lastRunAt: number;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  /** `now` is injectable so a unit test can drive the clock with fake timers. */
  constructor(onTick: (frameIndex: number) => void, now: () => number = () => performance.now()) {
    this.#onTick = onTick;
    this.#now = now;
    this.#startedAt = now();
    this.#lastRunAt = this.#startedAt;
    this.#schedule();
  }

  /** Frames completed so far; the next frame starts at `frames × 20` ms. */
  get frames(): number {
    return this.#frames;
  }

  /**
   * Line time now: audio time, the frames played plus the part of the next frame under way (at most
   * 20 ms). While the event loop is stalled no audio plays, so an app message handled right after a
   * stall lands where the audio stopped, not where the wall clock is.
   */
  nowMs(): number {
    return this.#frames * FRAME_MS + Math.min(FRAME_MS, Math.max(0, this.#now() - this.#lastRunAt));
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const due = this.#startedAt + (this.#frames + 1) * FRAME_MS;
    this.#timer = setTimeout(() => this.#run(), Math.max(0, Math.ceil(due - this.#now())));
  }

  #run(): void {
    this.#lastRunAt = this.#now();
    const owed = Math.floor((this.#now() - this.#startedAt) / FRAME_MS) - this.#frames;
    // A timer that fires a hair early owes nothing yet: wait again rather than run ahead of time.
    for (let i = 0; i < Math.min(owed, MAX_CATCH_UP_FRAMES) && !this.#stopped; i++) {
      const index = this.#frames;
      this.#frames++;
      this.#onTick(index);
    }
    this.#schedule();
  }
}
