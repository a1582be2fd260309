import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { DUMMY_TOKEN, TURNSTILE_SANDBOX_SECRET } from "../../../sandbox/turnstile/stand-in";
import { ProviderError } from "../ports";
import { verifyTurnstile } from "./verify";
import { setSandboxFaults } from "../provider-test-kit";

// The Turnstile stand-in (sandbox/turnstile), reached over HTTP like Cloudflare's siteverify.
const { SANDBOX_URL, TURNSTILE_VERIFY_URL } = z.object({ SANDBOX_URL: z.url(), TURNSTILE_VERIFY_URL: z.url() }).parse(env);

const setTurnstileFaults = (config: Record<string, number>) => setSandboxFaults("turnstile", config);
afterEach(() => setTurnstileFaults({}));

const check = (token: string, overrides: { secret?: string; remoteIp?: string; url?: string } = {}) =>
  verifyTurnstile({ secret: TURNSTILE_SANDBOX_SECRET, token, url: TURNSTILE_VERIFY_URL, timeoutMs: 2_000, ...overrides });

describe("the Turnstile verifier", () => {
  it("accepts a good token and hands back what siteverify says about it", async () => {
    const verdict = await check(DUMMY_TOKEN);
    expect(verdict).toMatchObject({ ok: true, hostname: "localhost" });
    if (verdict.ok) expect(Date.parse(verdict.challengeTs ?? "")).not.toBeNaN();
  });

  it("sends siteverify a form with the secret, the token and the visitor's address", async () => {
    const token = `pass-${crypto.randomUUID()}`;
    await check(token, { remoteIp: "198.51.100.7" });
    const Log = z.object({ requests: z.array(z.object({ method: z.string(), path: z.string(), headers: z.record(z.string(), z.string()), body: z.string() })) });
    const { requests } = Log.parse(await (await fetch(`${SANDBOX_URL}/__admin/requests?provider=turnstile`)).json());
    const sent = requests.find((r) => r.body.includes(token));
    expect(sent).toMatchObject({ method: "POST", path: "/v0/siteverify" });
    expect(sent!.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(sent!.body))).toEqual({ secret: TURNSTILE_SANDBOX_SECRET, response: token, remoteip: "198.51.100.7" });
  });

  it("refuses a failed token as the visitor's fault", async () => {
    expect(await check("fail-bot")).toEqual({ ok: false, errorCodes: ["invalid-input-response"], ourFault: false });
  });

  it("refuses a token the second time it is checked", async () => {
    const token = `pass-${crypto.randomUUID()}`;
    expect((await check(token)).ok).toBe(true);
    expect(await check(token)).toEqual({ ok: false, errorCodes: ["timeout-or-duplicate"], ourFault: false });
  });

  it("tells a wrong secret apart from a bad token: it is ours to fix", async () => {
    expect(await check(`pass-${crypto.randomUUID()}`, { secret: "0x4AAAAAAAnotOurSecret" })).toEqual({ ok: false, errorCodes: ["invalid-input-secret"], ourFault: true });
  });

  it("throws a retryable ProviderError when siteverify fails or cannot be reached", async () => {
    await setTurnstileFaults({ failRate: 1, failStatus: 503 });
    const outage = await check(DUMMY_TOKEN).catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(ProviderError);
    expect(outage).toMatchObject({ provider: "turnstile", retryable: true, status: 503 });
    await setTurnstileFaults({});
    const unreachable = await check(DUMMY_TOKEN, { url: "http://127.0.0.1:9/turnstile/v0/siteverify" }).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ProviderError);
  });
});
