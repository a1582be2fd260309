import type { CallParams } from "./call";
import type { AnsweredBy } from "./amd";
import type { PersonaName } from "./personas";

/**
 * What a test reads about one call. Times named `…Ms` without a qualifier are LINE time: ms since
 * the callee picked up, counted in 20 ms frames of audio (not the wall clock), so they line up with
 * the audio the app received. `streamMs` is the same moment counted from the first `media` frame
 * of the stream, which is what a speech recogniser fed from the stream would report.
 */

/** Twilio's call statuses (https://www.twilio.com/docs/voice/api/call-resource#call-status-values). */
export type CallStatus = "queued" | "initiated" | "ringing" | "in-progress" | "completed" | "busy" | "no-answer" | "canceled" | "failed";

export const FINAL_STATUSES: readonly CallStatus[] = ["completed", "busy", "no-answer", "canceled", "failed"];

export interface StatusChange {
  status: CallStatus;
  /** Wall clock, ms since the epoch. */
  at: number;
}

/** Something the callee said (or played: a voicemail greeting, a tone). */
export interface CalleeUtterance {
  kind: "pickup" | "reply" | "interruption" | "greeting" | "beep" | "scripted";
  /** Null for a tone. */
  text: string | null;
  startMs: number;
  /** Null while it is still being said. */
  endMs: number | null;
  /** Start counted from the stream's first media frame; null when said before the stream opened. */
  streamMs: number | null;
  /** The bot's audio was playing when the callee started. */
  overBot: boolean;
}

/** One stretch of the bot's audio as it reached the callee's ear. */
export interface HeardUtterance {
  /** The words the audio carried; null for audio that is not sandbox speech. */
  text: string | null;
  /** The whole words actually heard before the audio stopped (`heardText`). */
  heard: string;
  startMs: number;
  endMs: number;
  /** How long it played. */
  heardMs: number;
  /** How long it would have played uninterrupted. */
  fullMs: number;
  /** Stopped early: the rest was cleared, or the call ended. */
  cut: boolean;
  /** The callee was talking at some point while it played. */
  overlapped: boolean;
}

export interface MarkEcho {
  name: string;
  queuedAtMs: number;
  echoedAtMs: number;
  /** Echoed because of a `clear`, not because its audio played. */
  viaClear: boolean;
}

export interface ClearRecord {
  atMs: number;
  /** Audio dropped unplayed. */
  droppedMs: number;
  /** Marks echoed at once because of this clear. */
  flushedMarks: string[];
  /** End of the last frame that carried bot audio before the clear (null: none yet). */
  lastAudioEndMs: number | null;
  /** `atMs - lastAudioEndMs`: ~0 when the bot was still talking, more when it had already stopped. */
  sinceLastAudioMs: number | null;
  /** The callee was talking at the clear; when it began, and how long the app took to clear. */
  calleeSpeechStartMs: number | null;
  reactionMs: number | null;
}

/** The callee started talking over the bot: how long the bot kept talking. */
export interface BargeIn {
  calleeText: string | null;
  calleeStartMs: number;
  /** Line time the bot's audio stopped reaching the callee. */
  botStoppedAtMs: number | null;
  /** `botStoppedAtMs - calleeStartMs`. */
  latencyMs: number | null;
  stoppedBy: "clear" | "finished" | "hangup" | null;
}

/**
 * The bot's audio ran dry in the middle of an utterance and then went on: the callee heard `ms` of
 * silence inside it, starting at `atMs` (line time). Each 20 ms of it is a frame that was due at
 * the callee and had not arrived: the app fell behind real time.
 */
export interface Underrun {
  atMs: number;
  ms: number;
}

export interface ProtocolError {
  /** Twilio's code: 31950 undecodable (binary) frame, 31951 invalid message, 31924 protocol error. */
  code: 31950 | 31951 | 31924;
  message: string;
  /** The offending frame, cut to 200 characters. */
  frame: string;
  atMs: number;
  /** Twilio ignores an invalid message; an unexpected extra field is noted but the message still acts. */
  ignored: boolean;
}

export interface StreamRecord {
  url: string;
  name: string | null;
  streamSid: string;
  customParameters: Record<string, string>;
  /** Line times. */
  connectedAtMs: number | null;
  /** Line time of the first media frame's start: `streamMs` 0. */
  mediaStartMs: number | null;
  stoppedAtMs: number | null;
  /** Who ended it: Twilio's side (hang-up, redirect), the app closing the socket, or a failed connect. */
  endedBy: "twilio" | "app" | "error" | null;
  closeCode: number | null;
  error: string | null;
  /** Messages the stand-in sent, by event. */
  sent: { connected: number; start: number; media: number; mark: number; stop: number };
  /** Valid messages it received from the app, by event. */
  received: { media: number; mark: number; clear: number };
  /** Bytes of outbound audio received (what the app sent to be played). */
  receivedAudioBytes: number;
}

export interface AmdRecord {
  mode: "Enable" | "DetectMessageEnd";
  async: boolean;
  answeredBy: AnsweredBy | null;
  /** `MachineDetectionDuration`: ms from answering to the verdict. */
  detectionMs: number | null;
}

export interface CallRecord {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  persona: PersonaName;
  seed: number;
  status: CallStatus;
  timeline: StatusChange[];
  /** Wall clock, ms since the epoch. */
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endedBy: "callee" | "api" | "twiml" | "no-twiml-left" | "time-limit" | "sandbox" | null;
  request: {
    twiml: string | null;
    url: string | null;
    statusCallback: string | null;
    statusCallbackEvents: string[];
    machineDetection: string | null;
    asyncAmd: boolean;
    asyncAmdStatusCallback: string | null;
    timeoutSeconds: number;
  };
  amd: AmdRecord | null;
  /** Every `<Connect><Stream>` run, in order (a redirect can open another). */
  streams: StreamRecord[];
  said: CalleeUtterance[];
  heard: HeardUtterance[];
  voicemail: { beepAtMs: number | null; message: HeardUtterance[] } | null;
  marks: MarkEcho[];
  clears: ClearRecord[];
  bargeIns: BargeIn[];
  /** Silences inside the bot's utterances: audio that arrived too late to play on time. */
  underruns: Underrun[];
  protocolErrors: ProtocolError[];
  /** `<Say>` text spoken on the call by TwiML (after an update, for a voicemail). */
  twimlSaid: { text: string; atMs: number; completed: boolean }[];
  /** TwiML the stand-in could not fetch, parse or run, and verbs it skipped. */
  twimlIssues: string[];
}

/** The record of a call just created: queued, with nothing said or heard yet. */
export function newCallRecord(params: CallParams, now: number): CallRecord {
  return {
    sid: params.sid,
    accountSid: params.accountSid,
    from: params.from,
    to: params.to,
    persona: params.persona,
    seed: params.seed,
    status: "queued",
    timeline: [{ status: "queued", at: now }],
    createdAt: now,
    answeredAt: null,
    endedAt: null,
    endedBy: null,
    request: {
      twiml: params.twiml,
      url: params.url,
      statusCallback: params.statusCallback,
      statusCallbackEvents: [...params.statusCallbackEvents],
      machineDetection: params.machineDetection?.mode ?? null,
      asyncAmd: params.asyncAmd,
      asyncAmdStatusCallback: params.asyncAmdStatusCallback,
      timeoutSeconds: params.timeoutSeconds,
    },
    amd: params.machineDetection ? { mode: params.machineDetection.mode, async: params.asyncAmd, answeredBy: null, detectionMs: null } : null,
    streams: [],
    said: [],
    heard: [],
    voicemail: params.script.voicemail ? { beepAtMs: null, message: [] } : null,
    marks: [],
    clears: [],
    bargeIns: [],
    underruns: [],
    protocolErrors: [],
    twimlSaid: [],
    twimlIssues: [],
  };
}
