import { BYTES_PER_MS, encodeSpeech, FRAME_BYTES, FRAME_MS, heardText, SILENCE, speechMs, SpeechDecoder, type SpeechEvent } from "../speech/codec";
import { BEEP_BYTE } from "./amd";
import type { CallRecord, CalleeUtterance, HeardUtterance, StreamRecord } from "./call-record";
import type { Callee, CalleeLine } from "./callee";
import { LineClock } from "./line";
import type { MediaStreamClient } from "./media-stream";
import { PlaybackQueue, type QueuedMark } from "./playback";

/** What the line needs from the call it carries. */
export interface LineHost {
  /** Where the line writes what was said, heard, echoed, cleared and played late. */
  readonly record: CallRecord;
  /** The persona on the line, once it has answered. */
  callee(): Callee | null;
  /** The media stream open now, if any: the callee's frames go out on it and app marks come back on it. */
  stream(): { client: MediaStreamClient; record: StreamRecord } | null;
  /** Every 20 ms of the callee's side as it goes out (answering machine detection listens here). */
  onCalleeFrame(frame: Uint8Array, frameEndMs: number): void;
  /** Something in the record changed. */
  changed(): void;
}

interface QueuedSpeech {
  bytes: Uint8Array;
  offset: number;
  utterance: CalleeUtterance;
}

interface OpenHeard {
  text: string | null;
  startMs: number;
  overlapped: boolean;
}

const textBytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * A phone line's real-time audio, both ways, once the callee has picked up: every 20 ms the
 * callee's side (its queued speech, or silence) goes out as a frame, and the app's side (Twilio's
 * playback buffer: `media`, `mark`, `clear`) plays to the callee, who hears it through a speech
 * decoder. It keeps the record of that: utterances said and heard, mark echoes, clears, barge-ins
 * and underruns. The call around it owns the lifecycle, the TwiML and the stream.
 */
export class AudioLine {
  readonly #host: LineHost;
  readonly #record: CallRecord;
  #clock: LineClock | null = null;
  #over = false;
  readonly #playback = new PlaybackQueue();
  readonly #hearing = new SpeechDecoder();
  #speech: QueuedSpeech[] = [];
  #speaking: CalleeUtterance | null = null;
  #openHeard: OpenHeard | null = null;
  #botAudible = false;
  #lastAudioEndMs: number | null = null;
  #clearedDuringBargeIn = false;
  #waits: { atMs: number; wake: () => void }[] = [];
  /** Audio time (the hearing decoder's) by which the bot's utterance playing now should have played whole; null when none is. */
  #utteranceDueMs: number | null = null;
  /** Silence heard inside that utterance so far, not yet followed by more of it. */
  #gapMs = 0;
  #dirty = false;

  constructor(host: LineHost) {
    this.#host = host;
    this.#record = host.record;
  }

  /** The callee picked up: frames start going both ways, one every 20 ms. */
  start(): void {
    this.#clock = new LineClock(() => this.#tick());
  }

  /** Line time now (ms since the answer); 0 before it. */
  now(): number {
    return this.#clock ? Math.round(this.#clock.nowMs()) : 0;
  }

  /** Line time at the end of the last whole frame; 0 before the answer. */
  get framesEndMs(): number {
    return this.#clock ? this.#clock.frames * FRAME_MS : 0;
  }

  /** What the persona can do on the line. */
  calleeLine(hangup: () => void): CalleeLine {
    return {
      say: (text, kind) => this.#queueSpeech(encodeSpeech(text), text, kind),
      tone: (ms) => this.#queueSpeech(new Uint8Array(Math.round(ms * BYTES_PER_MS)).fill(BEEP_BYTE), null, "beep"),
      speaking: () => this.#speech.length > 0,
      botSpeaking: () => this.#hearing.speaking,
      hangup,
    };
  }

  /** Resolves once the line has run `ms` more (a `<Pause>`), or the call ends. */
  delay(ms: number): Promise<void> {
    const atMs = this.now() + ms;
    return new Promise((wake) => this.#waits.push({ atMs, wake }));
  }

  /** Audio for the callee, after what is already queued. */
  play(audio: Uint8Array): void {
    this.#playback.pushAudio(audio);
  }

  /** The stream is over: what it queued will not play, and the call's own marks (a `<Say>`) are let go. */
  dropQueued(): void {
    for (const mark of this.#playback.clear().marks) if (mark.internal) mark.onReached?.(true);
  }

  /** The call ended at line time `lineEndMs`: the clock stops, waits end, what was open is closed there. */
  end(lineEndMs: number): void {
    this.#over = true;
    this.#clock?.stop();
    for (const wait of this.#waits) wait.wake();
    this.#waits = [];
    if (this.#openHeard) this.#closeHeard(lineEndMs, false);
    for (const bargeIn of this.#record.bargeIns) {
      if (bargeIn.stoppedBy === null) {
        bargeIn.stoppedBy = "hangup";
        bargeIn.botStoppedAtMs = lineEndMs;
        bargeIn.latencyMs = lineEndMs - bargeIn.calleeStartMs;
      }
    }
    if (this.#speaking && this.#speaking.endMs === null) this.#speaking.endMs = lineEndMs;
    // The call's own change notice follows.
    this.#dirty = false;
  }

  /** A point in the queue: echoed (or run, for an internal one) once the audio before it has played. */
  mark(mark: QueuedMark): void {
    if (this.#playback.pushMark(mark)) this.#reachMark(mark, this.now(), false);
  }

  #reachMark(mark: QueuedMark, atMs: number, viaClear: boolean): void {
    if (mark.internal) {
      mark.onReached?.(viaClear);
      return;
    }
    this.#host.stream()?.client.sendMark(mark.name);
    this.#record.marks.push({ name: mark.name, queuedAtMs: mark.queuedAtMs, echoedAtMs: atMs, viaClear });
    this.#dirty = true;
  }

  /** The app's `clear`: unplayed audio dropped, every pending mark echoed at once. */
  clear(): void {
    const atMs = this.now();
    const { droppedBytes, marks } = this.#playback.clear();
    for (const mark of marks) this.#reachMark(mark, atMs, true);
    this.#utteranceDueMs = null;
    this.#gapMs = 0;
    const openBargeIn = this.#record.bargeIns.find((b) => b.stoppedBy === null);
    const calleeSpeechStartMs = openBargeIn?.calleeStartMs ?? (this.#speaking?.endMs === null ? this.#speaking.startMs : null);
    if (openBargeIn) this.#clearedDuringBargeIn = true;
    this.#record.clears.push({
      atMs,
      droppedMs: droppedBytes / BYTES_PER_MS,
      flushedMarks: marks.filter((m) => !m.internal).map((m) => m.name),
      lastAudioEndMs: this.#lastAudioEndMs,
      sinceLastAudioMs: this.#lastAudioEndMs === null ? null : atMs - this.#lastAudioEndMs,
      calleeSpeechStartMs,
      reactionMs: calleeSpeechStartMs === null ? null : atMs - calleeSpeechStartMs,
    });
    this.#notify();
  }

  #queueSpeech(bytes: Uint8Array, text: string | null, kind: CalleeUtterance["kind"]): { startMs: number; endMs: number } {
    const queued = this.#speech.reduce((sum, item) => sum + item.bytes.length - item.offset, 0);
    const startMs = (this.#clock?.frames ?? 0) * FRAME_MS + queued / BYTES_PER_MS;
    const utterance: CalleeUtterance = { kind, text, startMs, endMs: null, streamMs: null, overBot: false };
    this.#speech.push({ bytes, offset: 0, utterance });
    return { startMs, endMs: startMs + bytes.length / BYTES_PER_MS };
  }

  #tick(): void {
    if (this.#over || !this.#clock) return;
    const frameStart = (this.#clock.frames - 1) * FRAME_MS;
    const frameEnd = frameStart + FRAME_MS;

    // The callee's side: its speech, or the line's silence.
    const inbound = new Uint8Array(FRAME_BYTES).fill(SILENCE);
    let filled = 0;
    while (filled < FRAME_BYTES) {
      const head = this.#speech[0];
      if (!head) break;
      if (head.offset === 0) this.#startUtterance(head.utterance, frameStart + filled / BYTES_PER_MS);
      const take = Math.min(FRAME_BYTES - filled, head.bytes.length - head.offset);
      inbound.set(head.bytes.subarray(head.offset, head.offset + take), filled);
      head.offset += take;
      filled += take;
      if (head.offset === head.bytes.length) {
        head.utterance.endMs = frameStart + filled / BYTES_PER_MS;
        this.#speech.shift();
        if (this.#speaking === head.utterance) this.#speaking = null;
        this.#dirty = true;
      }
    }
    if (filled > 0 && this.#openHeard) this.#openHeard.overlapped = true;
    this.#host.onCalleeFrame(inbound, frameEnd);
    const stream = this.#host.stream();
    if (stream?.client.open) {
      stream.record.mediaStartMs ??= frameStart;
      stream.client.sendMedia(inbound);
    }

    // The app's side: what plays to the callee now, and the marks that playing reached.
    const played = this.#playback.nextFrame();
    for (const mark of played.reached) this.#reachMark(mark, frameStart, false);
    this.#botAudible = played.audioBytes > 0;
    if (this.#botAudible) this.#lastAudioEndMs = frameStart + played.audioBytes / BYTES_PER_MS;
    for (const event of this.#hearing.push(played.frame)) this.#onHeard(event);
    this.#checkUnderrun(played.audioBytes, frameStart);
    const openBargeIn = this.#record.bargeIns.find((b) => b.stoppedBy === null);
    if (openBargeIn && this.#playback.pendingAudioBytes === 0) {
      openBargeIn.botStoppedAtMs = this.#lastAudioEndMs ?? frameStart;
      openBargeIn.latencyMs = openBargeIn.botStoppedAtMs - openBargeIn.calleeStartMs;
      openBargeIn.stoppedBy = this.#clearedDuringBargeIn ? "clear" : "finished";
      this.#dirty = true;
    }

    if (this.#waits.length > 0) {
      for (const wait of this.#waits.filter((w) => w.atMs <= frameEnd)) wait.wake();
      this.#waits = this.#waits.filter((w) => w.atMs > frameEnd);
    }
    this.#host.callee()?.onTick(frameEnd);
    if (this.#dirty) this.#notify();
  }

  /**
   * An utterance's audio is contiguous; silence inside it means the next audio had not arrived in
   * time. Counted once the utterance goes on after it (a reply cut off, by a clear or a voice that
   * dropped, is not an underrun).
   */
  #checkUnderrun(audioBytes: number, frameStartMs: number): void {
    if (this.#utteranceDueMs === null) return;
    if (this.#hearing.audioMs >= this.#utteranceDueMs) {
      this.#utteranceDueMs = null;
      this.#gapMs = 0;
      return;
    }
    if (audioBytes > 0 && this.#gapMs > 0) {
      this.#record.underruns.push({ atMs: frameStartMs - this.#gapMs, ms: this.#gapMs });
      this.#gapMs = 0;
      this.#dirty = true;
    }
    const silentMs = (FRAME_BYTES - audioBytes) / BYTES_PER_MS;
    this.#gapMs += silentMs;
    this.#utteranceDueMs += silentMs;
  }

  #startUtterance(utterance: CalleeUtterance, atMs: number): void {
    utterance.startMs = atMs;
    const stream = this.#host.stream();
    const mediaStart = stream?.client.open ? (stream.record.mediaStartMs ?? atMs) : null;
    utterance.streamMs = mediaStart === null ? null : atMs - mediaStart;
    utterance.overBot = this.#botAudible || this.#playback.pendingAudioBytes > 0;
    this.#speaking = utterance;
    this.#record.said.push(utterance);
    if (utterance.kind === "beep" && this.#record.voicemail) this.#record.voicemail.beepAtMs = atMs;
    if (utterance.overBot && utterance.kind !== "beep" && !this.#record.bargeIns.some((b) => b.stoppedBy === null)) {
      this.#clearedDuringBargeIn = false;
      this.#record.bargeIns.push({ calleeText: utterance.text, calleeStartMs: atMs, botStoppedAtMs: null, latencyMs: null, stoppedBy: null });
    }
    this.#dirty = true;
  }

  #onHeard(event: SpeechEvent): void {
    if (event.type === "speech-start") {
      this.#openHeard = { text: null, startMs: event.atMs, overlapped: this.#speaking !== null };
      this.#host.callee()?.onBotStart(null, event.atMs);
    } else if (event.type === "text") {
      // The words ride at the front of an utterance, right after its START byte; `atMs` is the END byte.
      const startMs = this.#openHeard?.text != null ? event.atMs - (textBytes(event.text) + 1) / BYTES_PER_MS : event.startMs;
      if (this.#openHeard?.text != null) {
        // Two utterances back to back with no silence between: the first ends where the next begins.
        this.#closeHeard(startMs, true);
        this.#openHeard = { text: event.text, startMs, overlapped: this.#speaking !== null };
      } else if (this.#openHeard) {
        this.#openHeard.text = event.text;
        this.#openHeard.startMs = startMs;
      } else {
        this.#openHeard = { text: event.text, startMs, overlapped: this.#speaking !== null };
      }
      this.#host.callee()?.onBotStart(event.text, startMs);
      // From its START byte, in the decoder's audio time, which counts the line's frames from the answer.
      this.#utteranceDueMs = event.atMs - (textBytes(event.text) + 1) / BYTES_PER_MS + speechMs(event.text);
      this.#gapMs = 0;
    } else {
      this.#closeHeard(event.atMs, true);
    }
  }

  #closeHeard(endMs: number, tellCallee: boolean): void {
    const open = this.#openHeard;
    if (!open) return;
    this.#openHeard = null;
    const heardMs = endMs - open.startMs;
    const fullMs = open.text === null ? heardMs : speechMs(open.text);
    const utterance: HeardUtterance = {
      text: open.text,
      heard: open.text === null ? "" : heardText(open.text, heardMs),
      startMs: open.startMs,
      endMs,
      heardMs,
      fullMs,
      cut: heardMs < fullMs - 0.5,
      overlapped: open.overlapped,
    };
    this.#record.heard.push(utterance);
    const recordingSince = this.#host.callee()?.recordingSinceMs ?? null;
    if (this.#record.voicemail && recordingSince !== null && utterance.startMs >= recordingSince) this.#record.voicemail.message.push(utterance);
    this.#dirty = true;
    if (tellCallee) this.#host.callee()?.onBotEnd(utterance);
  }

  #notify(): void {
    this.#dirty = false;
    this.#host.changed();
  }
}
