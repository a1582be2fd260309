import { z } from "zod";
import { ProviderError } from "../ports";
import type { Telephony } from "../voice-ports";

export { connectStreamTwiml, sayAndHangUpTwiml } from "./twiml";

export const DEFAULT_TWILIO_BASE_URL = "https://api.twilio.com";
const API_VERSION = "2010-04-01";
const PROVIDER = "twilio";
/** Guards against a paging loop; 100 pages of 1,000 is more numbers than any account holds. */
const MAX_PAGES = 100;

export interface TwilioTelephonyOptions {
  /** `TWILIO_ACCOUNT_SID` (`AC…`): Basic auth user and the path of every resource. */
  accountSid: string;
  /** `TWILIO_AUTH_TOKEN`: Basic auth password. */
  authToken: string;
  /** `TWILIO_API_BASE_URL`; the sandbox's `…/twilio` locally. */
  baseUrl?: string;
  /** Per request. */
  timeoutMs?: number;
  /** Numbers per page when listing the account's (Twilio allows 1,000). */
  pageSize?: number;
}

const CallSchema = z.object({ sid: z.string().regex(/^CA[0-9a-fA-F]{32}$/) });
const OwnedNumberSchema = z.object({ sid: z.string().min(1), phone_number: z.string().min(1), friendly_name: z.string().nullish() });
const OwnedPageSchema = z.object({ incoming_phone_numbers: z.array(OwnedNumberSchema), next_page_uri: z.string().nullish() });
const AvailablePageSchema = z.object({
  available_phone_numbers: z.array(z.object({ phone_number: z.string().min(1), locality: z.string().nullish(), region: z.string().nullish() })),
});
/** https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions */
const ErrorSchema = z.object({ code: z.number().nullish(), message: z.string(), more_info: z.string().nullish(), status: z.number().nullish() });
const Anything = z.unknown();

/** A refusal in Twilio's error shape; `code` is Twilio's: https://www.twilio.com/docs/api/errors/<code>. */
export class TwilioApiError extends ProviderError {
  constructor(
    readonly code: number | null,
    message: string,
    retryable: boolean,
    status: number,
    retryAfterSeconds?: number,
  ) {
    super(PROVIDER, message, retryable, status, retryAfterSeconds);
  }
}

/** 21220: the call is no longer in progress (it cannot be redirected, and is already hung up). */
export const CALL_NOT_IN_PROGRESS = 21220;

/**
 * Twilio's Voice and Phone Numbers REST API (2010-04-01) with thin fetch calls: form-encoded
 * bodies, Basic auth, JSON answers parsed with zod. The SDK (~420 KiB) would wrap the same six
 * requests. https://www.twilio.com/docs/voice/api/call-resource
 */
export function createTwilioTelephony(options: TwilioTelephonyOptions): Telephony {
  const baseUrl = (options.baseUrl ?? DEFAULT_TWILIO_BASE_URL).replace(/\/+$/, "");
  const accountPath = `/${API_VERSION}/Accounts/${encodeURIComponent(options.accountSid)}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pageSize = options.pageSize ?? 1_000;
  const authorization = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`;

  async function request<S extends z.ZodType>(schema: S, method: "GET" | "POST", path: string, form: URLSearchParams | null, signal: AbortSignal | undefined, creates = false): Promise<z.output<S>> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization, accept: "application/json", "user-agent": "noir-worker", ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
        ...(form ? { body: form.toString() } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      // The caller cancelling is not a provider failure: hand its reason back unchanged.
      if (signal?.aborted) throw signal.reason;
      // A create that timed out may have been carried out: trying again could ring the lead twice.
      if (timeout.aborted) throw new ProviderError(PROVIDER, `no answer within ${timeoutMs} ms${creates ? "; the call may have been placed" : ""}`, !creates);
      throw new ProviderError(PROVIDER, `network error: ${error instanceof Error ? error.message : String(error)}`, true);
    }
    const text = await response.text().catch(() => "");
    if (signal?.aborted) throw signal.reason;
    if (!response.ok) throw errorFor(response.status, text, response.headers.get("retry-after"));
    const parsed = schema.safeParse(parseJson(text));
    if (parsed.success) return parsed.data;
    throw new ProviderError(PROVIDER, `unexpected answer to ${method} ${path.split("?")[0]} (${response.status})`, !creates, response.status);
  }

  return {
    async placeCall(call, signal) {
      const form = new URLSearchParams({ To: call.to, From: call.from, Twiml: call.twiml, StatusCallback: call.statusCallbackUrl, StatusCallbackMethod: "POST" });
      for (const event of ["initiated", "ringing", "answered", "completed"]) form.append("StatusCallbackEvent", event);
      // Asynchronous AMD: the stream opens at the answer while detection listens alongside, and
      // DetectMessageEnd waits for the greeting's beep, so a voicemail message lands after it.
      // https://www.twilio.com/docs/voice/answering-machine-detection
      form.set("MachineDetection", "DetectMessageEnd");
      form.set("AsyncAmd", "true");
      form.set("AsyncAmdStatusCallback", call.amdCallbackUrl);
      form.set("AsyncAmdStatusCallbackMethod", "POST");
      form.set("Timeout", String(call.timeoutSeconds));
      const created = await request(CallSchema, "POST", `${accountPath}/Calls.json`, form, signal, true);
      return { providerCallId: created.sid };
    },

    async hangUp(providerCallId, signal) {
      try {
        await request(Anything, "POST", callPath(providerCallId), new URLSearchParams({ Status: "completed" }), signal);
      } catch (error) {
        // A call already over is what a hang-up wants.
        if (error instanceof TwilioApiError && error.code === CALL_NOT_IN_PROGRESS) return;
        throw error;
      }
    },

    async updateCall(providerCallId, twiml, signal) {
      await request(Anything, "POST", callPath(providerCallId), new URLSearchParams({ Twiml: twiml }), signal);
    },

    async listNumbers(signal) {
      const numbers: Awaited<ReturnType<Telephony["listNumbers"]>> = [];
      let path: string | null = `${accountPath}/IncomingPhoneNumbers.json?PageSize=${pageSize}`;
      for (let page = 0; path !== null && page < MAX_PAGES; page++) {
        const body: z.output<typeof OwnedPageSchema> = await request(OwnedPageSchema, "GET", path, null, signal);
        for (const n of body.incoming_phone_numbers) numbers.push({ providerId: n.sid, number: n.phone_number, friendlyName: n.friendly_name || null });
        path = nextPage(body.next_page_uri);
      }
      return numbers;
    },

    async searchNumbers(query, signal) {
      const country = query.country.toUpperCase();
      if (!/^[A-Z]{2}$/.test(country)) throw new ProviderError(PROVIDER, `country must be two letters (ISO 3166-1), not ${JSON.stringify(query.country)}`, false);
      const limit = Math.min(Math.max(Math.floor(query.limit ?? 20), 1), 1_000);
      const search = new URLSearchParams({ PageSize: String(limit) });
      if (query.areaCode) search.set("AreaCode", query.areaCode);
      if (query.contains) search.set("Contains", query.contains);
      const body = await request(AvailablePageSchema, "GET", `${accountPath}/AvailablePhoneNumbers/${country}/Local.json?${search}`, null, signal);
      return body.available_phone_numbers.slice(0, limit).map((n) => ({ number: n.phone_number, locality: n.locality || null, region: n.region || null }));
    },

    async buyNumber(number, signal) {
      const bought = await request(OwnedNumberSchema, "POST", `${accountPath}/IncomingPhoneNumbers.json`, new URLSearchParams({ PhoneNumber: number }), signal);
      return { providerId: bought.sid, number: bought.phone_number };
    },
  };

  function callPath(providerCallId: string): string {
    return `${accountPath}/Calls/${encodeURIComponent(providerCallId)}.json`;
  }

  /** Twilio's `next_page_uri` is a path on the API host; anything else is not followed with our credentials. */
  function nextPage(uri: string | null | undefined): string | null {
    if (!uri) return null;
    if (!uri.startsWith(`${accountPath}/`)) throw new ProviderError(PROVIDER, "next_page_uri points outside the account", false);
    return uri;
  }
}

/** 429 and 5xx are worth another try; any other 4xx (validation, auth, state) fails the same way again. */
function errorFor(status: number, text: string, retryAfter: string | null): TwilioApiError {
  const body = ErrorSchema.safeParse(parseJson(text));
  const code = body.success ? (body.data.code ?? null) : null;
  const message = body.success ? body.data.message : text.slice(0, 200) || "no body";
  const wait = Number(retryAfter);
  const retryAfterSeconds = retryAfter !== null && Number.isFinite(wait) && wait >= 0 ? Math.ceil(wait) : undefined;
  return new TwilioApiError(code, `${status} ${code ?? "unknown"}: ${message}`, status === 429 || status >= 500, status, retryAfterSeconds);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
