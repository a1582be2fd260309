import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signTwilioRequest, validateTwilioRequest } from "./signature";

// The worked example in Twilio's "Webhooks security" guide (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
const TOKEN = "12345";
const URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
const EXPECTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

describe("Twilio stand-in: X-Twilio-Signature", () => {
  it("matches the signature Twilio's documentation publishes, whatever order the params come in", () => {
    expect(signTwilioRequest(TOKEN, URL, PARAMS)).toBe(EXPECTED);
    const shuffled = new URLSearchParams([["To", PARAMS.To], ["Digits", PARAMS.Digits], ["CallSid", PARAMS.CallSid], ["From", PARAMS.From], ["Caller", PARAMS.Caller]]);
    expect(signTwilioRequest(TOKEN, URL, shuffled)).toBe(EXPECTED);
    expect(validateTwilioRequest(TOKEN, EXPECTED, URL, PARAMS)).toBe(true);
  });

  it("rejects a changed param, URL, token or a missing header", () => {
    expect(validateTwilioRequest(TOKEN, EXPECTED, URL, { ...PARAMS, Digits: "9999" })).toBe(false);
    expect(validateTwilioRequest(TOKEN, EXPECTED, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS)).toBe(false);
    expect(validateTwilioRequest("54321", EXPECTED, URL, PARAMS)).toBe(false);
    expect(validateTwilioRequest(TOKEN, undefined, URL, PARAMS)).toBe(false);
    expect(validateTwilioRequest(TOKEN, EXPECTED.slice(0, -1), URL, PARAMS)).toBe(false);
  });

  it("signs the URL alone for GET and WebSocket requests, and each value of a repeated name in order", () => {
    const wss = "wss://noir.example/api/calls/media";
    expect(signTwilioRequest(TOKEN, wss)).toBe(createHmac("sha1", TOKEN).update(wss).digest("base64"));
    const repeated = new URLSearchParams([["StatusCallbackEvent", "ringing"], ["A", "1"], ["StatusCallbackEvent", "answered"]]);
    expect(signTwilioRequest(TOKEN, wss, repeated)).toBe(createHmac("sha1", TOKEN).update(`${wss}A1StatusCallbackEventansweredStatusCallbackEventringing`).digest("base64"));
  });
});
