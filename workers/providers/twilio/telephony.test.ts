import { env } from "cloudflare:workers";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { PlaceCallRequest } from "../voice-ports";
import { connectStreamTwiml, createTwilioTelephony, sayAndHangUpTwiml, TwilioApiError } from "./telephony";
import { providerFailure as failure, setSandboxFaults } from "../provider-test-kit";

// The Twilio stand-in (sandbox/twilio), reached over HTTP like the real API.
const { SANDBOX_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL } = z
  .object({ SANDBOX_URL: z.url(), TWILIO_ACCOUNT_SID: z.string(), TWILIO_AUTH_TOKEN: z.string(), TWILIO_API_BASE_URL: z.url() })
  .parse(env);
/** One of the stand-in account's preset numbers. */
const FROM = "+14155550001";
/** Callee personas, chosen by the last four digits of the number called. */
const PERSONA = { interested: "0100", busy: "0105" } as const;

const telephony = (options: { authToken?: string; baseUrl?: string; timeoutMs?: number; pageSize?: number } = {}) =>
  createTwilioTelephony({ accountSid: TWILIO_ACCOUNT_SID, authToken: options.authToken ?? TWILIO_AUTH_TOKEN, baseUrl: options.baseUrl ?? TWILIO_API_BASE_URL, timeoutMs: options.timeoutMs ?? 5_000, ...(options.pageSize ? { pageSize: options.pageSize } : {}) });

/** A number no other test calls, answered by `persona`. */
function callee(persona: keyof typeof PERSONA): string {
  return `+1646${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}${PERSONA[persona]}`;
}

function callTo(to: string, overrides: Partial<PlaceCallRequest> = {}): PlaceCallRequest {
  return {
    from: FROM,
    to,
    twiml: connectStreamTwiml({ streamUrl: "wss://noir.example/api/voice/media/call_1", parameters: { callId: "call_1" } }),
    // Nobody listens there: the stand-in still signs and records each callback.
    statusCallbackUrl: "http://127.0.0.1:9/api/webhook/twilio/status?callId=call_1",
    amdCallbackUrl: "http://127.0.0.1:9/api/webhook/twilio/amd?callId=call_1",
    timeoutSeconds: 25,
    ...overrides,
  };
}

const CallRecord = z.object({
  status: z.string(),
  endedBy: z.string().nullable(),
  request: z.object({
    twiml: z.string().nullable(),
    statusCallback: z.string().nullable(),
    statusCallbackEvents: z.array(z.string()),
    machineDetection: z.string().nullable(),
    asyncAmd: z.boolean(),
    asyncAmdStatusCallback: z.string().nullable(),
    timeoutSeconds: z.number(),
  }),
  streams: z.array(z.object({ url: z.string(), customParameters: z.record(z.string(), z.string()) })),
  twimlSaid: z.array(z.object({ text: z.string(), completed: z.boolean() })),
  twimlIssues: z.array(z.string()),
});

/** The stand-in's record of a call, once `wait` holds (ended, answered…). */
async function sandboxCall(sid: string, wait: "ended" | "answered" = "ended") {
  const response = await fetch(`${TWILIO_API_BASE_URL}/sandbox/calls/${sid}?wait=${wait}&timeoutMs=20000`);
  expect(response.status).toBe(200);
  return CallRecord.parse(await response.json());
}

/** The form bodies the stand-in received for this path, newest last. */
async function formsSentTo(path: string): Promise<URLSearchParams[]> {
  const response = await fetch(`${SANDBOX_URL}/__admin/requests?provider=twilio`);
  const { requests } = z.object({ requests: z.array(z.object({ method: z.string(), path: z.string(), body: z.string(), headers: z.record(z.string(), z.string()) })) }).parse(await response.json());
  return requests.filter((r) => r.method === "POST" && r.path === path).map((r) => new URLSearchParams(r.body));
}

const setTwilioFaults = (config: Record<string, number>) => setSandboxFaults("twilio", config);

afterEach(() => setTwilioFaults({}));
// Ends any call still live so the next file starts with a quiet line.
afterAll(async () => void (await fetch(`${TWILIO_API_BASE_URL}/sandbox/calls`, { method: "DELETE" })));

describe("placing and ending calls through Twilio", () => {
  it("places the call with its TwiML, every status event, asynchronous AMD that waits for the beep, and the ring timeout", async () => {
    const to = callee("busy");
    const request = callTo(to);
    const { providerCallId } = await telephony().placeCall(request);
    expect(providerCallId).toMatch(/^CA[0-9a-f]{32}$/);

    const call = await sandboxCall(providerCallId);
    expect(call.status).toBe("busy");
    expect(call.request).toEqual({
      twiml: request.twiml,
      statusCallback: request.statusCallbackUrl,
      statusCallbackEvents: ["initiated", "ringing", "answered", "completed"],
      machineDetection: "DetectMessageEnd",
      asyncAmd: true,
      asyncAmdStatusCallback: request.amdCallbackUrl,
      timeoutSeconds: 25,
    });
    // Each event is its own parameter, and both callbacks are POSTed (what our webhook routes accept).
    const form = (await formsSentTo(`/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Calls.json`)).find((f) => f.get("To") === to);
    expect(form?.getAll("StatusCallbackEvent")).toEqual(["initiated", "ringing", "answered", "completed"]);
    expect(form?.get("StatusCallbackMethod")).toBe("POST");
    expect(form?.get("AsyncAmdStatusCallbackMethod")).toBe("POST");
  });

  it("connects the answered call to our media socket with its parameters intact, however odd their characters", async () => {
    const parameters = { callId: "call_1", token: `a&b<c>"d'e` };
    const twiml = connectStreamTwiml({ streamUrl: "ws://127.0.0.1:9/api/voice/media/call_1", parameters });
    const { providerCallId } = await telephony().placeCall(callTo(callee("interested"), { twiml }));
    // The socket is refused (nothing listens), so the TwiML runs out and Twilio ends the call.
    const call = await sandboxCall(providerCallId);
    expect(call.streams).toMatchObject([{ url: "ws://127.0.0.1:9/api/voice/media/call_1", customParameters: parameters }]);
  });

  it("hangs up a call that is still ringing, and a second hang-up of the ended call is not an error", async () => {
    const { providerCallId } = await telephony().placeCall(callTo(callee("interested")));
    await telephony().hangUp(providerCallId);
    const call = await sandboxCall(providerCallId);
    expect(call).toMatchObject({ status: "canceled", endedBy: "api" });
    await expect(telephony().hangUp(providerCallId)).resolves.toBeUndefined();
  });

  it("replaces a live call's TwiML to leave a message and hang up; a call already over refuses it for good", async () => {
    const pause = "<Response><Pause length=\"30\"/></Response>";
    const { providerCallId } = await telephony().placeCall(callTo(callee("interested"), { twiml: pause }));
    await sandboxCall(providerCallId, "answered");
    const message = "Вітаю! Це Анна з Noir & Co. Передзвоніть, будь ласка.";
    await telephony().updateCall(providerCallId, sayAndHangUpTwiml(message, "uk"));
    const call = await sandboxCall(providerCallId);
    expect(call).toMatchObject({ status: "completed", endedBy: "twiml", twimlSaid: [{ text: message, completed: true }] });

    const error = await failure(telephony().updateCall(providerCallId, pause));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ provider: "twilio", status: 400, retryable: false, code: 21220 });
    expect(error.message).toMatch(/^400 21220: /);
  });
});

describe("the account's phone numbers", () => {
  it("lists every number, following Twilio's pages to the end", async () => {
    const numbers = await telephony({ pageSize: 1 }).listNumbers();
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    expect(numbers).toEqual(
      expect.arrayContaining([
        { providerId: expect.stringMatching(/^PN[0-9a-f]{32}$/), number: "+14155550001", friendlyName: "(415) 555-0001" },
        { providerId: expect.stringMatching(/^PN[0-9a-f]{32}$/), number: "+14155550002", friendlyName: "(415) 555-0002" },
      ]),
    );
    expect(new Set(numbers.map((n) => n.providerId)).size).toBe(numbers.length);
  });

  it("searches local numbers by country, area code and digits, then buys one, which is then the account's", async () => {
    const found = await telephony().searchNumbers({ country: "us", areaCode: "212", contains: "555", limit: 3 });
    expect(found).toHaveLength(3);
    for (const n of found) expect(n).toEqual({ number: expect.stringMatching(/^\+1212555\d{4}$/), locality: "New York", region: "NY" });

    const wanted = found[0]!.number;
    const bought = await telephony().buyNumber(wanted);
    expect(bought).toEqual({ providerId: expect.stringMatching(/^PN[0-9a-f]{32}$/), number: wanted });
    expect(await telephony().listNumbers()).toContainEqual(expect.objectContaining({ providerId: bought.providerId, number: wanted }));

    const again = await failure(telephony().buyNumber(wanted));
    expect(again).toMatchObject({ status: 400, retryable: false, code: 21422 });
  });

  it("refuses a country that is not two letters without asking Twilio", async () => {
    const error = await failure(telephony({ baseUrl: "http://127.0.0.1:9" }).searchNumbers({ country: "U/S" }));
    expect(error).toMatchObject({ retryable: false, status: undefined });
  });
});

describe("when Twilio refuses or fails", () => {
  it("reports refused credentials (401) as not worth retrying, with Twilio's code", async () => {
    const error = await failure(telephony({ authToken: "wrong" }).listNumbers());
    expect(error).toMatchObject({ status: 401, retryable: false, code: 20003 });
    expect(error.message).toBe("401 20003: Authenticate");
  });

  it("reports a call from a number the account does not own (21210) as not worth retrying", async () => {
    const error = await failure(telephony().placeCall(callTo(callee("busy"), { from: "+14155559999" })));
    expect(error).toMatchObject({ status: 400, retryable: false, code: 21210 });
  });

  it("reports a server error, an outage and a rate limit as worth retrying", async () => {
    for (const [failStatus, code] of [
      [500, 20500],
      [503, 20503],
      [429, 20429],
    ] as const) {
      await setTwilioFaults({ failRate: 1, failStatus });
      const error = await failure(telephony().listNumbers());
      expect(error).toMatchObject({ status: failStatus, retryable: true, code });
      expect(error.message).toContain(String(code));
    }
  });

  it("retries a slow read, but never a call that timed out: it may have been placed, and a retry could ring the lead twice", async () => {
    await setTwilioFaults({ latencyMs: 2_000 });
    const slowList = await failure(telephony({ timeoutMs: 300 }).listNumbers());
    expect(slowList).toMatchObject({ retryable: true, status: undefined });
    expect(slowList.message).toMatch(/no answer within 300 ms/);
    const slowCall = await failure(telephony({ timeoutMs: 300 }).placeCall(callTo(callee("busy"))));
    expect(slowCall).toMatchObject({ retryable: false, status: undefined });
    expect(slowCall.message).toMatch(/may have been placed/);
  });

  it("reports an unreachable server as worth retrying", async () => {
    const error = await failure(telephony({ baseUrl: "http://127.0.0.1:9" }).placeCall(callTo(callee("busy"))));
    expect(error).toMatchObject({ retryable: true, status: undefined });
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    await setTwilioFaults({ timeoutRate: 1 });
    const controller = new AbortController();
    const pending = telephony().placeCall(callTo(callee("busy")), controller.signal);
    setTimeout(() => controller.abort(new Error("campaign paused")), 50);
    await expect(pending).rejects.toThrow("campaign paused");
  });
});

describe("TwiML", () => {
  it("refuses a stream URL Twilio cannot use: not a WebSocket, or with a query string it would drop", () => {
    expect(() => connectStreamTwiml({ streamUrl: "https://noir.example/media" })).toThrow(/wss/);
    expect(() => connectStreamTwiml({ streamUrl: "wss://noir.example/media?token=x" })).toThrow(/query string/);
  });

  it("names a voice that speaks the language, Ukrainian included", () => {
    expect(sayAndHangUpTwiml("Добрий день", "uk")).toBe('<Response><Say voice="Google.uk-UA-Standard-A" language="uk-UA">Добрий день</Say><Hangup/></Response>');
    expect(sayAndHangUpTwiml("Hi <there>", "en", "Polly.Matthew")).toBe('<Response><Say voice="Polly.Matthew" language="en-US">Hi &lt;there&gt;</Say><Hangup/></Response>');
  });
});
