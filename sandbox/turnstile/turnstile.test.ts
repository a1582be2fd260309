import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSandbox, type Sandbox } from "../harness/server";
import { DUMMY_TOKEN, TURNSTILE_SANDBOX_SECRET } from "./stand-in";

const Passed = z.strictObject({ success: z.literal(true), "error-codes": z.tuple([]), challenge_ts: z.iso.datetime(), hostname: z.string(), action: z.string(), cdata: z.string(), metadata: z.object({ ephemeral_id: z.string() }) });
const Refused = z.strictObject({ success: z.literal(false), "error-codes": z.array(z.string()).min(1), messages: z.array(z.string()) });

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.turnstile.clear();
  sandbox.setProviderConfig("turnstile", {});
});

/** A form POST, as Cloudflare documents it and our Worker sends it. */
async function siteverify(fields: Record<string, string>) {
  const response = await fetch(`${sandbox.url}/turnstile/v0/siteverify`, { method: "POST", body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as unknown };
}

const codesOf = (body: unknown) => Refused.parse(body)["error-codes"];

describe("Turnstile stand-in: siteverify", () => {
  it("passes the dummy token every time, and a pass… token once", async () => {
    for (let i = 0; i < 2; i++) {
      const dummy = await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: DUMMY_TOKEN });
      expect(dummy.status).toBe(200);
      Passed.parse(dummy.body);
    }
    Passed.parse((await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: "pass-visitor-1", remoteip: "203.0.113.9" })).body);
    const again = await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: "pass-visitor-1" });
    expect(again.status).toBe(200);
    expect(codesOf(again.body)).toEqual(["timeout-or-duplicate"]);
    expect(sandbox.turnstile.checks()[2]).toMatchObject({ response: "pass-visitor-1", remoteip: "203.0.113.9", success: true });
  });

  it("refuses a fail… or unknown token, a wrong secret, and missing fields with Cloudflare's codes", async () => {
    expect(codesOf((await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: "fail-bot" })).body)).toEqual(["invalid-input-response"]);
    expect(codesOf((await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: "whatever" })).body)).toEqual(["invalid-input-response"]);
    expect(codesOf((await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: `pass${"x".repeat(2048)}` })).body)).toEqual(["invalid-input-response"]);
    expect(codesOf((await siteverify({ secret: "0x4AAAAAAAnotTheSecret", response: "pass-2" })).body)).toEqual(["invalid-input-secret"]);
    expect(codesOf((await siteverify({ response: "pass-3" })).body)).toEqual(["missing-input-secret"]);
    expect(codesOf((await siteverify({ secret: TURNSTILE_SANDBOX_SECRET })).body)).toEqual(["missing-input-response"]);
    expect(codesOf((await siteverify({})).body)).toEqual(["missing-input-secret", "missing-input-response"]);
    // A wrong secret did not spend the token.
    Passed.parse((await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: "pass-2" })).body);
  });

  it("takes JSON as well as a form, and answers bad-request to a body that is neither", async () => {
    const json = await fetch(`${sandbox.url}/turnstile/v0/siteverify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ secret: TURNSTILE_SANDBOX_SECRET, response: "pass-json" }) });
    Passed.parse(await json.json());
    const broken = await fetch(`${sandbox.url}/turnstile/v0/siteverify`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(codesOf(await broken.json())).toEqual(["bad-request"]);
  });

  it("honours Cloudflare's test secrets: always pass, always fail, always spent", async () => {
    Passed.parse((await siteverify({ secret: "1x0000000000000000000000000000000AA", response: "anything" })).body);
    expect(codesOf((await siteverify({ secret: "2x0000000000000000000000000000000AA", response: DUMMY_TOKEN })).body)).toEqual(["invalid-input-response"]);
    expect(codesOf((await siteverify({ secret: "3x0000000000000000000000000000000AA", response: DUMMY_TOKEN })).body)).toEqual(["timeout-or-duplicate"]);
  });

  it("answers an injected fault as siteverify's internal-error", async () => {
    sandbox.setProviderConfig("turnstile", { failRate: 1, failStatus: 503 });
    const faulty = await siteverify({ secret: TURNSTILE_SANDBOX_SECRET, response: "pass-4" });
    expect(faulty.status).toBe(503);
    expect(codesOf(faulty.body)).toEqual(["internal-error"]);
  });
});
