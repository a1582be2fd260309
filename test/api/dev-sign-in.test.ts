import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../workers/app";
import { call, jsonOf, signIn } from "./client";

/** The same app, with production settings: what a deployed Worker would do. */
async function inProduction(path: string, init: RequestInit = {}, vars: Record<string, string> = {}) {
  const app = buildApp();
  const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
  return app.fetch(new Request(`http://localhost/api${path}`, init), { ...env, ENVIRONMENT: "production", ...vars }, ctx);
}

describe("the local dev sign-in", () => {
  it("signs in and keeps the same user and org on a second sign-in", async () => {
    const first = await signIn("dev.person@example.com");
    const second = await signIn("DEV.person@example.com");
    expect(second.orgId).toBe(first.orgId);
  });

  it("is refused outright in production, both the sign-in and an existing dev cookie", async () => {
    const res = await inProduction("/auth/dev/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x@example.com" }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await jsonOf(res)).detail).toContain("production");

    const devUser = await signIn("cookie.carrier@example.com");
    const withCookie = await inProduction("/dashboard/me", { headers: devUser.headers });
    expect(withCookie.status).toBe(401);
    // The same cookie works outside production: the refusal is the environment's doing.
    expect((await call("/dashboard/me", { as: devUser })).status).toBe(200);
  });

  it("in production, accepts Clerk sessions only with an authorized-parties allowlist", async () => {
    const headers = { authorization: `Bearer ${env.TEST_TOKENS.valid}` };
    expect((await inProduction("/dashboard/me", { headers })).status).toBe(200);
    const open = await inProduction("/dashboard/me", { headers }, { CLERK_AUTHORIZED_PARTIES: "" });
    expect(open.status).toBe(401);
    expect((await jsonOf(open)).detail).toContain("CLERK_AUTHORIZED_PARTIES");
  });

  it("rejects a tampered dev session cookie", async () => {
    const user = await signIn("tamper@example.com");
    const [name, value] = user.headers.cookie!.split("=");
    const parts = value!.split(".");
    const forged = `${name}=${parts[0]}.${btoa(JSON.stringify({ sub: "dev_000000000000000000000000", email: "evil@example.com", name: null, exp: 9999999999 })).replace(/=+$/, "")}.${parts[2]}`;
    const res = await exports.default.fetch(new Request("http://localhost:8787/api/dashboard/me", { headers: { cookie: forged } }));
    expect(res.status).toBe(401);
  });
});
