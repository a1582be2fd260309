import type { CallBrief } from "../../workers/domain/voice/call-brief";
import type { TtsOptions } from "../../workers/providers/voice-ports";

/** Everything a CallSession needs, stored when the call is placed so answering costs no D1 read. */
export interface CallPlan {
  callId: string;
  orgId: string;
  leadId: string | null;
  campaignId: string | null;
  step: number | null;
  /** Twilio's CallSid, known once Twilio accepted the call. */
  providerCallId: string | null;
  /** Signed into the stream's custom parameters: the media socket must present it. */
  mediaToken: string;
  brief: CallBrief;
  tts: TtsOptions;
  /** When a machine answers: leave this message, or hang up when null. */
  voicemailMessage: string | null;
  maxDurationSeconds: number;
}

/** What the CallSession knows once the call is over, for call_logs and usage. */
export type CallEnd =
  | { kind: "connected"; reason: string }
  /** Twilio's final status for a call that never reached our media socket. */
  | { kind: "unanswered"; status: "busy" | "no_answer" | "failed" };
