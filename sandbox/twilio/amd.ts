import { FRAME_MS, SILENCE } from "../speech/codec";

/** Twilio's `AnsweredBy` values (https://www.twilio.com/docs/voice/answering-machine-detection). */
export type AnsweredBy = "human" | "machine_start" | "machine_end_beep" | "machine_end_silence" | "machine_end_other" | "fax" | "unknown";

/**
 * The sandbox's voicemail tone: a frame of this one byte value. Speech filler and silence never
 * make a whole frame of it, so the detector can tell a beep from a voice, as Twilio's engine does.
 */
export const BEEP_BYTE = 0xa5;

export interface AmdOptions {
  /** `Enable` answers as soon as it knows; `DetectMessageEnd` waits for a machine's greeting to end. */
  mode: "Enable" | "DetectMessageEnd";
  /** `MachineDetectionTimeout` (s → ms), default 30 000. */
  timeoutMs: number;
  /** `MachineDetectionSpeechThreshold`, default 2 400: speech longer than this is a machine. */
  speechThresholdMs: number;
  /** `MachineDetectionSpeechEndThreshold`, default 1 200: silence that ends an utterance. */
  speechEndThresholdMs: number;
  /** `MachineDetectionSilenceTimeout`, default 5 000: initial silence that gives `unknown`. */
  silenceTimeoutMs: number;
}

export const AMD_DEFAULTS: Omit<AmdOptions, "mode"> = {
  timeoutMs: 30_000,
  speechThresholdMs: 2_400,
  speechEndThresholdMs: 1_200,
  silenceTimeoutMs: 5_000,
};

/**
 * Answering machine detection over the callee's own audio, frame by frame, in line time (ms since
 * answering): a short utterance then silence is a human, a long one a machine, a tone after a long
 * one the end of a voicemail greeting, and nothing at all `unknown`.
 */
export class AmdDetector {
  readonly options: AmdOptions;
  #phase: "initial" | "speech" | "awaiting-end" | "done" = "initial";
  #speechStartMs = 0;
  #lastVoicedEndMs = 0;
  #inBeep = false;

  constructor(options: AmdOptions) {
    this.options = options;
  }

  get done(): boolean {
    return this.#phase === "done";
  }

  /** `endMs` is the line time at the end of `frame`; returns the verdict once, when reached. */
  push(frame: Uint8Array, endMs: number): AnsweredBy | null {
    if (this.#phase === "done") return null;
    const beep = frame.every((byte) => byte === BEEP_BYTE);
    const voiced = !beep && frame.some((byte) => byte !== SILENCE);
    const { mode, timeoutMs, speechThresholdMs, speechEndThresholdMs, silenceTimeoutMs } = this.options;

    if (this.#phase === "awaiting-end") {
      if (beep) {
        this.#inBeep = true;
        this.#lastVoicedEndMs = endMs;
        return null;
      }
      if (this.#inBeep) return this.#finish("machine_end_beep");
      if (voiced) this.#lastVoicedEndMs = endMs;
      else if (endMs - this.#lastVoicedEndMs >= speechEndThresholdMs) return this.#finish("machine_end_silence");
      return endMs >= timeoutMs ? this.#finish("machine_end_other") : null;
    }

    if (voiced || beep) {
      if (this.#phase === "initial") {
        this.#phase = "speech";
        this.#speechStartMs = endMs - FRAME_MS;
      }
      this.#lastVoicedEndMs = endMs;
      if (endMs - this.#speechStartMs >= speechThresholdMs) {
        if (mode === "Enable") return this.#finish("machine_start");
        this.#phase = "awaiting-end";
      }
    } else if (this.#phase === "speech" && endMs - this.#lastVoicedEndMs >= speechEndThresholdMs) {
      return this.#finish("human");
    } else if (this.#phase === "initial" && endMs >= silenceTimeoutMs) {
      return this.#finish("unknown");
    }
    return endMs >= timeoutMs ? this.#finish("unknown") : null;
  }

  #finish(verdict: AnsweredBy): AnsweredBy {
    this.#phase = "done";
    return verdict;
  }
}
