import { FRAME_BYTES, SILENCE } from "../speech/codec";

/** A point in the outbound queue: a `mark` from the app, or the stand-in's own (a `<Say>` ending). */
export interface QueuedMark {
  name: string;
  /** Line time the mark was queued. */
  queuedAtMs: number;
  /** Ours, not the app's: never echoed over the socket. */
  internal: boolean;
  onReached?: (viaClear: boolean) => void;
}

type Item = { kind: "audio"; bytes: Uint8Array; offset: number } | { kind: "mark"; mark: QueuedMark };

export interface PlayedFrame {
  /** 160 bytes: queued audio, padded with silence when the queue ran dry. */
  frame: Uint8Array;
  /** How many of those bytes came from the queue (0 when nothing is playing). */
  audioBytes: number;
  /** Marks whose preceding audio finished playing by the start of this frame, in order. */
  reached: QueuedMark[];
}

/**
 * Twilio's outbound buffer for a bidirectional stream: `media` payloads of any size play in order
 * at 8,000 bytes a second; a `mark` comes back once everything queued before it has played; `clear`
 * drops what has not played and returns every pending mark at once.
 */
export class PlaybackQueue {
  #items: Item[] = [];
  #pendingAudioBytes = 0;
  /** Marks passed inside the frame just played: reached once that frame has finished. */
  #passed: QueuedMark[] = [];

  get pendingAudioBytes(): number {
    return this.#pendingAudioBytes;
  }

  get empty(): boolean {
    return this.#items.length === 0 && this.#passed.length === 0;
  }

  pushAudio(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#items.push({ kind: "audio", bytes, offset: 0 });
    this.#pendingAudioBytes += bytes.length;
  }

  /** Queues a mark; returns true when nothing is ahead of it, so it is reached at once. */
  pushMark(mark: QueuedMark): boolean {
    if (this.empty) return true;
    this.#items.push({ kind: "mark", mark });
    return false;
  }

  /**
   * The next 20 ms: first the marks whose audio finished by the start of this frame, then up to
   * 160 bytes of audio, running on past any mark in between (a mark is not a pause).
   */
  nextFrame(): PlayedFrame {
    const reached = [...this.#passed, ...this.#takeMarks()];
    this.#passed = [];
    const frame = new Uint8Array(FRAME_BYTES).fill(SILENCE);
    let filled = 0;
    while (filled < FRAME_BYTES && this.#pendingAudioBytes > 0) {
      const head = this.#items[0];
      if (!head) break;
      if (head.kind === "mark") {
        this.#passed.push(head.mark);
        this.#items.shift();
        continue;
      }
      const take = Math.min(FRAME_BYTES - filled, head.bytes.length - head.offset);
      frame.set(head.bytes.subarray(head.offset, head.offset + take), filled);
      head.offset += take;
      filled += take;
      this.#pendingAudioBytes -= take;
      if (head.offset === head.bytes.length) this.#items.shift();
    }
    // Marks right behind the audio that just finished are reached when this frame has played.
    this.#passed.push(...this.#takeMarks());
    return { frame, audioBytes: filled, reached };
  }

  /** Drops unplayed audio; returns the dropped byte count and every mark not yet returned. */
  clear(): { droppedBytes: number; marks: QueuedMark[] } {
    const marks = [...this.#passed, ...this.#items.flatMap((item) => (item.kind === "mark" ? [item.mark] : []))];
    const droppedBytes = this.#pendingAudioBytes;
    this.#items = [];
    this.#passed = [];
    this.#pendingAudioBytes = 0;
    return { droppedBytes, marks };
  }

  #takeMarks(): QueuedMark[] {
    const reached: QueuedMark[] = [];
    while (this.#items[0]?.kind === "mark") {
      const item = this.#items.shift();
      if (item?.kind === "mark") reached.push(item.mark);
    }
    return reached;
  }
}
