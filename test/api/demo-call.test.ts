import { createExecutionContext, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { TURNSTILE_SANDBOX_SECRET } from "../../sandbox/turnstile/stand-in";
import { buildApp } from "../../workers/app";
import { createTwilioTelephony } from "../../workers/providers/twilio/telephony";
import { create, jsonOf, ORIGIN, signIn, type Caller } from "./client";

/**
 * The public demo runs from the org named by DEMO_ORG_ID. Bindings are fixed per test project, so
 * each request here goes to the Worker's app with that variable (and Turnstile's secret) added.
 */
const app = buildApp();
async function demoRequest(path: string, init: { json?: unknown; ip?: string; method?: string } = {}, vars: Record<string, string> = {}) {
  const headers = new Headers();
  if (init.ip) headers.set("cf-connecting-ip", init.ip);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const request = new Request(`${ORIGIN}/api${path}`, { method: init.method ?? (init.json === undefined ? "GET" : "POST"), headers, body: init.json === undefined ? null : JSON.stringify(init.json) });
  return app.fetch(request, { ...env, ...vars }, createExecutionContext());
}

let numbers = 200;
/** A fresh number answered by the sandbox's busy persona (…0105): Twilio accepts it, nobody dials our socket. */
const busyNumber = () => `+1646${++numbers}0105`;
let addresses = 0;
const freshIp = () => `203.0.113.${++addresses}`;

/** An org as an operator would set the demo up: a number it owns on Twilio, a voice, scripts. */
async function demoOrg(email: string, maxConcurrentCalls = 100): Promise<Caller> {
  const owner = await signIn(email);
  const twilio = createTwilioTelephony({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, baseUrl: env.TWILIO_API_BASE_URL! });
  const [available] = await twilio.searchNumbers({ country: "US", areaCode: "415", limit: 1 });
  await create(owner, "/dashboard/phone-numbers", { number: (await twilio.buyNumber(available!.number)).number });
  await create(owner, "/dashboard/voice-configs", { name: "Ada", voiceId: "sbxAdaEn9Kd1Fg6Jm3Qw", language: "en", personality: "friendly" });
  // Created first, so "first script" alone would pick it: the demo must choose the one named Demo.
  await create(owner, "/dashboard/scripts", { name: "Clinic outreach", content: "Book a meeting." });
  await create(owner, "/dashboard/scripts", { name: "Demo", content: "Show what Noir can do in two minutes." });
  await create(owner, "/dashboard/channel-configs", { channel: "voice", config: { maxConcurrentCalls } });
  return owner;
}

let demo: Caller;
let asDemo: Record<string, string>;
beforeAll(async () => {
  demo = await demoOrg("demo.operator@example.com");
  asDemo = { DEMO_ORG_ID: demo.orgId };
});

const callsTo = (orgId: string, to: string) =>
  env.DB.prepare("SELECT id, org_id, to_number, from_number, lead_id, status FROM call_logs WHERE org_id = ?1 AND to_number = ?2").bind(orgId, to).all<{ id: string; org_id: string; to_number: string; lead_id: string | null }>().then((r) => r.results);

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = await jsonOf(res);
  expect(body.type).toBe(`urn:noir:problem:${code}`);
  return body;
}

describe("the public demo call", () => {
  it("rings a visitor's number from the demo org with its Demo script, for two minutes at most", async () => {
    const to = busyNumber();
    // Written as a visitor might: spaces and brackets, read into E.164.
    const national = `+1 (646) ${to.slice(5, 8)}-${to.slice(8)}`;
    const res = await demoRequest("/demo/call", { json: { phone: national }, ip: freshIp() }, asDemo);
    expect(res.status).toBe(202);
    const body = await jsonOf(res);
    // Nothing about the demo org beyond the call's id.
    expect(Object.keys(body).sort()).toEqual(["callId", "status"]);
    expect(body.status).toBe("queued");

    const [row, ...more] = await callsTo(demo.orgId, to);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ id: body.callId, org_id: demo.orgId, to_number: to, lead_id: null });
    const plan = await runInDurableObject(env.CALL_SESSION.get(env.CALL_SESSION.idFromName(body.callId)), (_i, state) => state.storage.get<{ maxDurationSeconds: number; brief: { script: { name: string } } }>("plan"));
    expect(plan?.maxDurationSeconds).toBe(120);
    expect(plan?.brief.script.name).toBe("Demo");
  });

  it("says whether it is on, and offers no Turnstile widget while nobody checks its tokens", async () => {
    expect(await jsonOf(await demoRequest("/demo/config", {}, asDemo))).toEqual({ enabled: true, turnstileSiteKey: null });
    expect(await jsonOf(await demoRequest("/demo/config"))).toEqual({ enabled: false, turnstileSiteKey: null });
    const withCheck = { ...asDemo, TURNSTILE_SITE_KEY: "0x4AAAAAAASandboxSiteKey", TURNSTILE_SECRET_KEY: TURNSTILE_SANDBOX_SECRET };
    expect(await jsonOf(await demoRequest("/demo/config", {}, withCheck))).toEqual({ enabled: true, turnstileSiteKey: "0x4AAAAAAASandboxSiteKey" });
  });

  it("refuses what is not a phone number with 422, and places nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM call_logs WHERE org_id = ?1").bind(demo.orgId).first<{ n: number }>();
    for (const phone of ["12345", "call me maybe", "+1 646 000 0000"]) {
      const body = await expectProblem(await demoRequest("/demo/call", { json: { phone }, ip: freshIp() }, asDemo), 422, "validation_failed");
      expect(body.errors).toEqual([expect.objectContaining({ field: "body.phone" })]);
    }
    await expectProblem(await demoRequest("/demo/call", { json: {}, ip: freshIp() }, asDemo), 422, "validation_failed");
    const after = await env.DB.prepare("SELECT count(*) AS n FROM call_logs WHERE org_id = ?1").bind(demo.orgId).first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it("calls one number once a day, and says when to come back", async () => {
    const to = busyNumber();
    expect((await demoRequest("/demo/call", { json: { phone: to }, ip: freshIp() }, asDemo)).status).toBe(202);
    const again = await demoRequest("/demo/call", { json: { phone: to }, ip: freshIp() }, asDemo);
    await expectProblem(again, 429, "rate_limited");
    const retryAfter = Number(again.headers.get("retry-after"));
    const toMidnight = (Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - Date.now()) / 1000;
    expect(retryAfter).toBeGreaterThan(0);
    expect(Math.abs(retryAfter - toMidnight)).toBeLessThanOrEqual(5);
    expect(await callsTo(demo.orgId, to)).toHaveLength(1);
    // The counter holds a hash, never the number.
    const keys = await env.DB.prepare("SELECT key FROM rate_limits").all<{ key: string }>();
    expect(keys.results.some((r) => r.key.includes(to) || r.key.includes(to.slice(1)))).toBe(false);
  });

  it("gives one address three demo calls a day, whatever the numbers", async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await demoRequest("/demo/call", { json: { phone: busyNumber() }, ip }, asDemo)).status).toBe(202);
    const fourth = busyNumber();
    const refused = await demoRequest("/demo/call", { json: { phone: fourth }, ip }, asDemo);
    await expectProblem(refused, 429, "rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await callsTo(demo.orgId, fourth)).toEqual([]);
    // Another address still gets its call to that number.
    expect((await demoRequest("/demo/call", { json: { phone: fourth }, ip: freshIp() }, asDemo)).status).toBe(202);
  });

  it("never calls a number on the demo org's suppression list", async () => {
    const to = busyNumber();
    await create(demo, "/dashboard/suppressions", { value: to, reason: "asked not to be called" });
    await expectProblem(await demoRequest("/demo/call", { json: { phone: to }, ip: freshIp() }, asDemo), 409, "conflict");
    expect(await callsTo(demo.orgId, to)).toEqual([]);
  });

  it("is refused with 409 when the demo is not set up: no DEMO_ORG_ID, or an org without a number", async () => {
    const off = await expectProblem(await demoRequest("/demo/call", { json: { phone: busyNumber() }, ip: freshIp() }), 409, "conflict");
    expect(off.detail).toContain("not configured");
    const bare = await signIn("demo.bare@example.com");
    await create(bare, "/dashboard/voice-configs", { name: "Ada", voiceId: "sbxAdaEn9Kd1Fg6Jm3Qw", language: "en" });
    await create(bare, "/dashboard/scripts", { name: "Demo", content: "Hi." });
    const vars = { DEMO_ORG_ID: bare.orgId };
    const body = await expectProblem(await demoRequest("/demo/call", { json: { phone: busyNumber() }, ip: freshIp() }, vars), 409, "conflict");
    expect(body.detail).toContain("not configured");
    expect(JSON.stringify(body)).not.toContain(bare.orgId);
    expect(await jsonOf(await demoRequest("/demo/config", {}, vars))).toEqual({ enabled: false, turnstileSiteKey: null });
  });

  it("when every demo line is busy, answers 429 and keeps the visitor's call for later", async () => {
    const small = await demoOrg("demo.small@example.com", 1);
    const vars = { DEMO_ORG_ID: small.orgId };
    expect((await demoRequest("/demo/call", { json: { phone: busyNumber() }, ip: freshIp() }, vars)).status).toBe(202);
    const to = busyNumber();
    const ip = freshIp();
    const busy = await demoRequest("/demo/call", { json: { phone: to }, ip }, vars);
    await expectProblem(busy, 429, "rate_limited");
    expect(busy.headers.get("retry-after")).toBe("60");
    // The first call ends; the same visitor may try the same number again today.
    await env.DB.prepare("UPDATE call_logs SET status = 'completed' WHERE org_id = ?1").bind(small.orgId).run();
    expect((await demoRequest("/demo/call", { json: { phone: to }, ip }, vars)).status).toBe(202);
  });
});

describe("the public demo call behind Turnstile", () => {
  const checked = () => ({ ...asDemo, TURNSTILE_SECRET_KEY: TURNSTILE_SANDBOX_SECRET });

  it("needs a token siteverify accepts, once", async () => {
    const missing = await expectProblem(await demoRequest("/demo/call", { json: { phone: busyNumber() }, ip: freshIp() }, checked()), 403, "forbidden");
    expect(missing.errors).toEqual([expect.objectContaining({ field: "body.turnstileToken" })]);
    await expectProblem(await demoRequest("/demo/call", { json: { phone: busyNumber(), turnstileToken: "fail-bot" }, ip: freshIp() }, checked()), 403, "forbidden");

    const token = `pass-${crypto.randomUUID()}`;
    expect((await demoRequest("/demo/call", { json: { phone: busyNumber(), turnstileToken: token }, ip: freshIp() }, checked())).status).toBe(202);
    const replay = await expectProblem(await demoRequest("/demo/call", { json: { phone: busyNumber(), turnstileToken: token }, ip: freshIp() }, checked()), 403, "forbidden");
    expect(replay.errors[0].message).toContain("timeout-or-duplicate");
  });

  it("does not blame the visitor for a wrong secret: 502, and nothing rings", async () => {
    const to = busyNumber();
    await expectProblem(await demoRequest("/demo/call", { json: { phone: to, turnstileToken: `pass-${crypto.randomUUID()}` }, ip: freshIp() }, { ...asDemo, TURNSTILE_SECRET_KEY: "0x4AAAAAAAnotOurSecret" }), 502, "upstream_failed");
    expect(await callsTo(demo.orgId, to)).toEqual([]);
  });
});
