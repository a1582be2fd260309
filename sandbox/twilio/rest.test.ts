import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSandbox, type Sandbox } from "../harness/server";
import { twilioRest } from "./test-kit";

const TwilioErrorBody = z.object({ code: z.number(), message: z.string(), more_info: z.string().url(), status: z.number() });
const CallBody = z.object({
  sid: z.string().regex(/^CA[0-9a-f]{32}$/),
  account_sid: z.string().regex(/^AC[0-9a-f]{32}$/),
  to: z.string(),
  from: z.string(),
  status: z.string(),
  direction: z.literal("outbound-api"),
  api_version: z.literal("2010-04-01"),
  date_created: z.string().regex(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  duration: z.string().nullable(),
  answered_by: z.string().nullable(),
  phone_number_sid: z.string().nullable(),
  uri: z.string(),
  subresource_uris: z.record(z.string(), z.string()),
});

let sandbox: Sandbox;
let rest: ReturnType<typeof twilioRest>;
const SAY = "<Response><Say>Hello from the sandbox.</Say></Response>";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  rest = twilioRest(sandbox);
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.twilio.reset();
  sandbox.twilio.setTiming({ dialMs: 10, ringingAfterMs: 20, ringMs: 100, busyAfterMs: 50 });
  sandbox.setProviderConfig("twilio", {});
});

async function expectError(response: Response, status: number, code: number): Promise<string> {
  expect(response.status).toBe(status);
  const body = TwilioErrorBody.parse(await response.json());
  expect(body).toMatchObject({ status, code, more_info: `https://www.twilio.com/docs/errors/${code}` });
  return body.message;
}

describe("Twilio stand-in: REST", () => {
  it("prints the variables that point our Worker at it", () => {
    expect(sandbox.env).toMatchObject({
      TWILIO_ACCOUNT_SID: sandbox.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sandbox.twilio.authToken,
      TWILIO_API_BASE_URL: `${sandbox.url}/twilio`,
    });
    expect(sandbox.twilio.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
  });

  it("creates a call as queued (201) with Twilio's fields, then shows it answered, spoken and completed", async () => {
    const response = await rest.post("/Calls.json", { To: "+14155550100", From: "+14155550001", Twiml: SAY });
    expect(response.status).toBe(201);
    const created = CallBody.parse(await response.json());
    expect(created).toMatchObject({
      status: "queued",
      to: "+14155550100",
      from: "+14155550001",
      start_time: null,
      duration: null,
      uri: `/2010-04-01/Accounts/${sandbox.twilio.accountSid}/Calls/${created.sid}.json`,
    });
    expect(created.phone_number_sid).toMatch(/^PN[0-9a-f]{32}$/);
    const record = await sandbox.twilio.waitForCall(created.sid);
    expect(record.timeline.map((t) => t.status)).toEqual(["queued", "initiated", "ringing", "in-progress", "completed"]);
    expect(record.twimlSaid).toMatchObject([{ text: "Hello from the sandbox.", completed: true }]);
    expect(record.endedBy).toBe("no-twiml-left");
    const fetched = CallBody.parse(await (await rest.get(`/Calls/${created.sid}.json`)).json());
    expect(fetched).toMatchObject({ sid: created.sid, status: "completed", duration: expect.stringMatching(/^\d+$/) });
    expect(fetched.start_time).not.toBeNull();
    expect(fetched.end_time).not.toBeNull();
    const list = (await (await rest.get("/Calls.json?To=%2B14155550100")).json()) as { calls: { sid: string }[]; page_size: number };
    expect(list.calls.map((c) => c.sid)).toEqual([created.sid]);
  });

  it("answers 401 in Twilio's shape for missing or wrong Basic credentials", async () => {
    const anonymous = await fetch(`${rest.base}/Calls.json`, { method: "POST", body: "To=%2B14155550100" });
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(await expectError(anonymous, 401, 20003)).toBe("Authenticate");
    await expectError(await twilioRest(sandbox, { user: sandbox.twilio.accountSid, password: "wrong" }).get("/Calls.json"), 401, 20003);
    await expectError(await twilioRest(sandbox, { user: `AC${"0".repeat(32)}`, password: sandbox.twilio.authToken }).get("/Calls.json"), 401, 20003);
    expect(sandbox.twilio.calls()).toHaveLength(0);
  });

  it("refuses bad calls with Twilio's codes and places nothing", async () => {
    const ok = { To: "+14155550100", From: "+14155550001", Twiml: SAY };
    await expectError(await rest.post("/Calls.json", { ...ok, To: "" }), 400, 21201);
    await expectError(await rest.post("/Calls.json", { From: ok.From, Twiml: SAY }), 400, 21201);
    await expectError(await rest.post("/Calls.json", { To: ok.To, Twiml: SAY }), 400, 21213);
    await expectError(await rest.post("/Calls.json", { To: ok.To, From: ok.From }), 400, 21205);
    expect(await expectError(await rest.post("/Calls.json", { ...ok, To: "0441234567" }), 400, 21211)).toContain("0441234567");
    expect(await expectError(await rest.post("/Calls.json", { ...ok, From: "+14155559999" }), 400, 21210)).toContain("+14155559999");
    await expectError(await rest.post("/Calls.json", { ...ok, Twiml: "<Response><Say>unclosed</Response>" }), 400, 12100);
    await expectError(await rest.post("/Calls.json", { ...ok, Twiml: `<Response><Say>${"a".repeat(4000)}</Say></Response>` }), 400, 12100);
    await expectError(await rest.post("/Calls.json", { ...ok, StatusCallbackEvent: "picked-up" }), 400, 20001);
    await expectError(await rest.post("/Calls.json", { ...ok, MachineDetection: "Maybe" }), 400, 20001);
    expect(sandbox.twilio.calls()).toHaveLength(0);
  });

  it("answers 404 for an unknown call or another account's path", async () => {
    await expectError(await rest.get(`/Calls/CA${"f".repeat(32)}.json`), 404, 20404);
    const other = await fetch(`${sandbox.url}/twilio/2010-04-01/Accounts/AC${"1".repeat(32)}/Calls.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${sandbox.twilio.accountSid}:${sandbox.twilio.authToken}`).toString("base64")}` },
    });
    await expectError(other, 404, 20404);
  });

  it("hangs up a ringing call as canceled, and refuses to redirect a call that is over (21220)", async () => {
    sandbox.twilio.setTiming({ ringMs: 5_000 });
    const sid = await rest.createCall({ To: "+14155550100", From: "+14155550001", Twiml: SAY });
    await sandbox.twilio.waitForCall(sid, (c) => c.status === "ringing");
    const hungUp = CallBody.parse(await (await rest.post(`/Calls/${sid}.json`, { Status: "completed" })).json());
    expect(hungUp.status).toBe("canceled");
    expect((await sandbox.twilio.waitForCall(sid)).endedBy).toBe("api");
    await expectError(await rest.post(`/Calls/${sid}.json`, { Twiml: SAY }), 400, 21220);
  });

  it("lists the preset numbers, searches deterministic local numbers, buys one and lists it", async () => {
    const owned = (await (await rest.get("/IncomingPhoneNumbers.json")).json()) as { incoming_phone_numbers: { phone_number: string; sid: string }[]; next_page_uri: string | null };
    expect(owned.incoming_phone_numbers.map((n) => n.phone_number)).toEqual(sandbox.twilio.numbers());
    expect(owned.incoming_phone_numbers[0]?.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(owned.next_page_uri).toBeNull();

    const search = async (query: string) =>
      ((await (await rest.get(`/AvailablePhoneNumbers/US/Local.json?${query}`)).json()) as { available_phone_numbers: { phone_number: string; friendly_name: string; locality: string | null }[] })
        .available_phone_numbers;
    const first = await search("AreaCode=212&PageSize=5");
    expect(first).toHaveLength(5);
    expect(first.every((n) => /^\+1212555\d{4}$/.test(n.phone_number))).toBe(true);
    expect(first[0]).toMatchObject({ locality: "New York", friendly_name: expect.stringMatching(/^\(212\) 555-\d{4}$/) });
    expect(await search("AreaCode=212&PageSize=5")).toEqual(first);
    const contains = await search("AreaCode=415&Contains=55577**&PageSize=3");
    expect(contains.every((n) => /^\+141555577\d\d$/.test(n.phone_number))).toBe(true);

    const chosen = first[0]?.phone_number ?? "";
    const bought = await rest.post("/IncomingPhoneNumbers.json", { PhoneNumber: chosen });
    expect(bought.status).toBe(201);
    expect(await bought.json()).toMatchObject({ phone_number: chosen, status: "in-use", capabilities: { voice: true } });
    expect(sandbox.twilio.numbers()).toContain(chosen);
    expect((await search("AreaCode=212&PageSize=5")).map((n) => n.phone_number)).not.toContain(chosen);
    await expectError(await rest.post("/IncomingPhoneNumbers.json", { PhoneNumber: chosen }), 400, 21422);
    await expectError(await rest.get("/AvailablePhoneNumbers/ZZ/Local.json"), 404, 20404);
    // The new number can place calls.
    const call = await rest.post("/Calls.json", { To: "+14155550105", From: chosen, Twiml: SAY });
    expect(call.status).toBe(201);
  });

  it("answers injected faults in Twilio's error shape", async () => {
    sandbox.setProviderConfig("twilio", { failRate: 1, failStatus: 503 });
    await expectError(await rest.post("/Calls.json", { To: "+14155550100", From: "+14155550001", Twiml: SAY }), 503, 20503);
    sandbox.setProviderConfig("twilio", { failRate: 1, failStatus: 429 });
    await expectError(await rest.get("/Calls.json"), 429, 20429);
    expect(sandbox.twilio.calls()).toHaveLength(0);
  });
});
