import { AMD_DEFAULTS, type AmdOptions } from "./amd";
import { TwilioErrorCode } from "./errors";
import { isE164 } from "./ids";
import { MAX_TWIML_CHARS, parseTwiml } from "./twiml";

/** `POST /Calls.json` after validation (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource). */
export interface CallRequest {
  to: string;
  from: string;
  twiml: string | null;
  url: string | null;
  method: "GET" | "POST";
  statusCallback: string | null;
  statusCallbackMethod: "GET" | "POST";
  statusCallbackEvents: string[];
  machineDetection: AmdOptions | null;
  asyncAmd: boolean;
  asyncAmdStatusCallback: string | null;
  asyncAmdStatusCallbackMethod: "GET" | "POST";
  timeoutSeconds: number;
  timeLimitSeconds: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; status: number; code: number; message: string };

const STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"];
/** Not a real Twilio code for every case; the stand-in's pick for a parameter it cannot accept. */
const INVALID_PARAMETER = 20001;

const fail = (code: number, message: string, status = 400): { ok: false; status: number; code: number; message: string } => ({ ok: false, status, code, message });

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function method(value: string | null, name: string): Checked<"GET" | "POST"> {
  if (value === null) return { ok: true, value: "POST" };
  const upper = value.toUpperCase();
  if (upper === "GET" || upper === "POST") return { ok: true, value: upper };
  return fail(INVALID_PARAMETER, `${name} must be GET or POST`);
}

function integer(value: string | null, name: string, fallback: number, min: number, max: number): Checked<number> {
  if (value === null) return { ok: true, value: fallback };
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) return fail(INVALID_PARAMETER, `${name} must be an integer from ${min} to ${max}`);
  return { ok: true, value: n };
}

/** Reads the form; `owns` says whether `From` is one of the account's numbers. */
export function validateCallRequest(form: URLSearchParams, owns: (number: string) => boolean): Checked<CallRequest> {
  const to = form.get("To");
  const from = form.get("From");
  const twiml = form.get("Twiml");
  const url = form.get("Url");
  if (!to) return fail(TwilioErrorCode.toMissing, "A 'To' phone number is required.");
  if (!from) return fail(TwilioErrorCode.fromMissing, "A 'From' phone number is required.");
  if (twiml === null && url === null && form.get("ApplicationSid") === null) {
    return fail(TwilioErrorCode.urlInvalid, "Either a 'Url', 'Twiml' or 'ApplicationSid' parameter is required.");
  }
  if (form.get("ApplicationSid") !== null && twiml === null && url === null) {
    return fail(INVALID_PARAMETER, "ApplicationSid is not simulated by the sandbox; pass Twiml or Url.");
  }
  if (!isE164(to)) return fail(TwilioErrorCode.toInvalid, `The 'To' number ${to} is not a valid phone number.`);
  if (!owns(from)) {
    return fail(
      TwilioErrorCode.fromNotOwned,
      `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`,
    );
  }
  if (twiml !== null) {
    if (twiml.length > MAX_TWIML_CHARS) return fail(TwilioErrorCode.twimlInvalid, `Twiml must be at most ${MAX_TWIML_CHARS} characters; got ${twiml.length}.`);
    const parsed = parseTwiml(twiml);
    if (!parsed.ok) return fail(TwilioErrorCode.twimlInvalid, `Twiml is not valid: ${parsed.error}`);
  } else if (url !== null && !isHttpUrl(url)) {
    return fail(TwilioErrorCode.urlInvalid, `Url is not a valid URL: ${url}`);
  }

  const statusCallback = form.get("StatusCallback");
  if (statusCallback !== null && !isHttpUrl(statusCallback)) return fail(TwilioErrorCode.urlInvalid, `StatusCallback is not a valid URL: ${statusCallback}`);
  const asyncAmdStatusCallback = form.get("AsyncAmdStatusCallback");
  if (asyncAmdStatusCallback !== null && !isHttpUrl(asyncAmdStatusCallback)) {
    return fail(TwilioErrorCode.urlInvalid, `AsyncAmdStatusCallback is not a valid URL: ${asyncAmdStatusCallback}`);
  }
  // Repeated (`StatusCallbackEvent=ringing&StatusCallbackEvent=answered`) or space-separated.
  const statusCallbackEvents = form.getAll("StatusCallbackEvent").flatMap((value) => value.split(/[\s,]+/).filter(Boolean));
  const unknownEvent = statusCallbackEvents.find((event) => !STATUS_EVENTS.includes(event));
  if (unknownEvent !== undefined) return fail(INVALID_PARAMETER, `StatusCallbackEvent ${unknownEvent} is not one of ${STATUS_EVENTS.join(", ")}`);

  const mode = form.get("MachineDetection");
  if (mode !== null && mode !== "Enable" && mode !== "DetectMessageEnd") return fail(INVALID_PARAMETER, "MachineDetection must be Enable or DetectMessageEnd");
  const asyncAmd = form.get("AsyncAmd");
  if (asyncAmd !== null && asyncAmd !== "true" && asyncAmd !== "false") return fail(INVALID_PARAMETER, "AsyncAmd must be true or false");

  const checks = {
    method: method(form.get("Method"), "Method"),
    statusCallbackMethod: method(form.get("StatusCallbackMethod"), "StatusCallbackMethod"),
    amdMethod: method(form.get("AsyncAmdStatusCallbackMethod"), "AsyncAmdStatusCallbackMethod"),
    timeout: integer(form.get("Timeout"), "Timeout", 60, 1, 600),
    timeLimit: integer(form.get("TimeLimit"), "TimeLimit", 14_400, 1, 86_400),
    amdTimeout: integer(form.get("MachineDetectionTimeout"), "MachineDetectionTimeout", AMD_DEFAULTS.timeoutMs / 1000, 3, 59),
    speech: integer(form.get("MachineDetectionSpeechThreshold"), "MachineDetectionSpeechThreshold", AMD_DEFAULTS.speechThresholdMs, 1000, 6000),
    speechEnd: integer(form.get("MachineDetectionSpeechEndThreshold"), "MachineDetectionSpeechEndThreshold", AMD_DEFAULTS.speechEndThresholdMs, 500, 5000),
    silence: integer(form.get("MachineDetectionSilenceTimeout"), "MachineDetectionSilenceTimeout", AMD_DEFAULTS.silenceTimeoutMs, 2000, 10000),
  };
  for (const check of Object.values(checks)) if (!check.ok) return check;
  const v = <T>(check: Checked<T>): T => (check as { ok: true; value: T }).value;

  return {
    ok: true,
    value: {
      to,
      from,
      twiml,
      url: twiml === null ? url : null,
      method: v(checks.method),
      statusCallback,
      statusCallbackMethod: v(checks.statusCallbackMethod),
      statusCallbackEvents,
      machineDetection:
        mode === null
          ? null
          : {
              mode,
              timeoutMs: v(checks.amdTimeout) * 1000,
              speechThresholdMs: v(checks.speech),
              speechEndThresholdMs: v(checks.speechEnd),
              silenceTimeoutMs: v(checks.silence),
            },
      asyncAmd: asyncAmd === "true",
      asyncAmdStatusCallback,
      asyncAmdStatusCallbackMethod: v(checks.amdMethod),
      timeoutSeconds: v(checks.timeout),
      timeLimitSeconds: v(checks.timeLimit),
    },
  };
}
