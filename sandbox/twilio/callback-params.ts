import type { CallStatus } from "./call-record";
import { rfc2822 } from "./ids";

/** Who a call is between, as every Twilio voice webhook names it. */
export interface CallParties {
  accountSid: string;
  callSid: string;
  from: string;
  to: string;
}

/** The parameters every call webhook (status callback, TwiML fetch) starts from. */
export function callParams({ accountSid, callSid, from, to }: CallParties): Record<string, string> {
  return { AccountSid: accountSid, ApiVersion: "2010-04-01", CallSid: callSid, Called: to, Caller: from, Direction: "outbound-api", From: from, To: to };
}

/** A status callback's body: https://www.twilio.com/docs/voice/api/call-resource#statuscallback */
export function statusParams(parties: CallParties, change: { status: CallStatus; sequence: number; durationSeconds?: number; answeredBy?: string | undefined }): Record<string, string> {
  const params: Record<string, string> = {
    ...callParams(parties),
    CallStatus: change.status,
    CallbackSource: "call-progress-events",
    SequenceNumber: String(change.sequence),
    Timestamp: rfc2822(Date.now()),
  };
  if (change.durationSeconds !== undefined) {
    params.CallDuration = String(change.durationSeconds);
    params.Duration = String(Math.ceil(change.durationSeconds / 60));
  }
  if (change.answeredBy) params.AnsweredBy = change.answeredBy;
  return params;
}

/** A `<Stream statusCallback>` body: https://www.twilio.com/docs/voice/twiml/stream#statuscallback */
export function streamParams(parties: CallParties, stream: { streamSid: string; name: string | null }, event: "stream-started" | "stream-stopped" | "stream-error", error?: string): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: parties.accountSid,
    CallSid: parties.callSid,
    StreamSid: stream.streamSid,
    StreamName: stream.name ?? stream.streamSid,
    StreamEvent: event,
    Timestamp: new Date().toISOString(),
  };
  if (error !== undefined) params.StreamError = error;
  return params;
}

/** An asynchronous AMD callback's body: https://www.twilio.com/docs/voice/answering-machine-detection#asyncamdstatuscallback */
export function amdParams(parties: CallParties, answeredBy: string, detectionMs: number): Record<string, string> {
  return { AccountSid: parties.accountSid, CallSid: parties.callSid, AnsweredBy: answeredBy, MachineDetectionDuration: String(detectionMs) };
}
