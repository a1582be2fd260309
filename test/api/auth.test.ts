import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, create, jsonOf, signIn, withBearer } from "./client";

const tokens = env.TEST_TOKENS;

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = await jsonOf(res);
  expect(body).toMatchObject({ type: "urn:noir:problem:unauthorized", status: 401 });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:|stack/i);
}

describe("signing in with Clerk", () => {
  it("accepts a valid session token and provisions the user and a Personal org", async () => {
    const res = await call("/dashboard/me", { as: withBearer(tokens.valid) });
    expect(res.status).toBe(200);
    const me = await jsonOf(res);
    expect(me.user.email).toBe("clerk.user@example.com");
    expect(me.org).toMatchObject({ name: "Personal", role: "owner" });
  });

  it("reads the token from Clerk's __session cookie too", async () => {
    const res = await call("/dashboard/me", { headers: { cookie: `__session=${tokens.validOtherUser}` } });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).user.email).toBe("other.user@example.com");
  });

  it("provisions a token without an email claim, with no email", async () => {
    const res = await call("/dashboard/me", { as: withBearer(tokens.noEmail) });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).user.email).toBeNull();
  });

  it.each([
    ["expired", tokens.expired],
    ["signed with another key", tokens.forged],
    ["issued by another instance", tokens.wrongIssuer],
    ["made for another origin (azp)", tokens.wrongParty],
    ["not a JWT at all", "definitely-not-a-jwt"],
  ])("refuses a token %s with 401", async (_name, token) => {
    await expectUnauthorized(await call("/dashboard/me", { as: withBearer(token) }));
  });

  it("refuses a request with no credentials, and a malformed Authorization header", async () => {
    await expectUnauthorized(await call("/dashboard/leads"));
    await expectUnauthorized(await call("/dashboard/leads", { headers: { authorization: "Basic abc" } }));
  });

  it("makes one Personal org when two first requests race", async () => {
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map(() => call("/dashboard/me", { as: withBearer(tokens.valid) })));
    const orgIds = new Set(await Promise.all([r1!, r2!, r3!].map(async (r) => (await jsonOf(r)).org.id)));
    expect(orgIds.size).toBe(1);
    const me = await jsonOf(await call("/dashboard/me", { as: withBearer(tokens.valid) }));
    expect(me.memberships).toHaveLength(1);
  });
});

describe("API keys", () => {
  it("authenticate as the org that issued them, and stop working once revoked", async () => {
    const owner = await signIn("keys.owner@example.com");
    const created = await create(owner, "/dashboard/api-keys", { name: "CI" });
    expect(created.key).toMatch(/^noir_[A-Za-z0-9_-]{40,}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    expect(created.last4).toBe(created.key.slice(-4));

    const asKey = withBearer(created.key);
    const me = await jsonOf(await call("/dashboard/me", { as: asKey }));
    expect(me.org).toMatchObject({ id: owner.orgId, role: "member" });
    expect(me.apiKeyId).toBe(created.id);

    const list = await jsonOf(await call("/dashboard/api-keys", { as: owner }));
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(list.items[0]).toMatchObject({ id: created.id, prefix: created.prefix, last4: created.last4 });

    expect((await call(`/dashboard/api-keys/${created.id}`, { method: "DELETE", as: owner })).status).toBe(204);
    await expectUnauthorized(await call("/dashboard/me", { as: asKey }));
    expect((await jsonOf(await call("/dashboard/api-keys", { as: owner }))).items).toEqual([]);
  });

  it("refuses an unknown key and an expired key", async () => {
    await expectUnauthorized(await call("/dashboard/me", { as: withBearer("noir_thisKeyWasNeverIssuedByAnyoneAtAll0123456789") }));
    const owner = await signIn("keys.expiry@example.com");
    const expired = await create(owner, "/dashboard/api-keys", { name: "old", expiresAt: new Date(Date.now() - 1000).toISOString() });
    await expectUnauthorized(await call("/dashboard/me", { as: withBearer(expired.key) }));
  });

  it("act with member rights: a key cannot mint more keys", async () => {
    const owner = await signIn("keys.rights@example.com");
    const { key } = await create(owner, "/dashboard/api-keys", { name: "bot" });
    const res = await call("/dashboard/api-keys", { method: "POST", as: withBearer(key), json: { name: "escalate" } });
    expect(res.status).toBe(403);
    expect((await call("/dashboard/leads", { as: withBearer(key) })).status).toBe(200);
  });

  it("are stored only as a SHA-256 hash", async () => {
    const owner = await signIn("keys.hash@example.com");
    const created = await create(owner, "/dashboard/api-keys", { name: "hashed" });
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(created.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(created.key);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(created.key));
    expect(row?.key_hash).toBe([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
  });
});

describe("roles", () => {
  it("let owners manage members and keys, and stop members from doing so", async () => {
    const owner = await signIn("team.owner@example.com");
    const invite = await create(owner, "/dashboard/invitations", { email: "team.member@example.com", role: "member" });
    const member = await signIn("team.member@example.com");
    const accepted = await call("/dashboard/invitations/accept", { method: "POST", as: member, json: { token: invite.token } });
    expect(accepted.status).toBe(200);
    const inTeam = { ...member, headers: { ...member.headers, "x-org-id": owner.orgId } };

    expect((await jsonOf(await call("/dashboard/me", { as: inTeam }))).org).toMatchObject({ id: owner.orgId, role: "member" });
    // Members work with leads and scripts…
    expect((await call("/dashboard/scripts", { method: "POST", as: inTeam, json: { name: "by member" } })).status).toBe(201);
    // …but not keys, members, invitations or org settings.
    for (const [method, path, json] of [
      ["POST", "/dashboard/api-keys", { name: "x" }],
      ["GET", "/dashboard/api-keys", undefined],
      ["POST", "/dashboard/invitations", { email: "x@example.com" }],
      ["PATCH", `/dashboard/members/${(await jsonOf(await call("/dashboard/me", { as: owner }))).user.id}`, { role: "member" }],
      ["PATCH", "/dashboard/org", { name: "mine now" }],
    ] as const) {
      const res = await call(path, { method, as: inTeam, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const members = await jsonOf(await call("/dashboard/members", { as: owner }));
    expect(members.items.map((m: { role: string }) => m.role).sort()).toEqual(["member", "owner"]);
  });

  it("keep at least one owner, and let only owners make owners", async () => {
    const owner = await signIn("solo.owner@example.com");
    const me = await jsonOf(await call("/dashboard/me", { as: owner }));
    const demote = await call(`/dashboard/members/${me.user.id}`, { method: "PATCH", as: owner, json: { role: "admin" } });
    expect(demote.status).toBe(409);
    expect((await call(`/dashboard/members/${me.user.id}`, { method: "DELETE", as: owner })).status).toBe(409);

    const invite = await create(owner, "/dashboard/invitations", { email: "the.admin@example.com", role: "admin" });
    const admin = await signIn("the.admin@example.com");
    await call("/dashboard/invitations/accept", { method: "POST", as: admin, json: { token: invite.token } });
    const asAdmin = { ...admin, headers: { ...admin.headers, "x-org-id": owner.orgId } };
    expect((await call("/dashboard/invitations", { method: "POST", as: asAdmin, json: { email: "o2@example.com", role: "owner" } })).status).toBe(403);
    expect((await call(`/dashboard/members/${me.user.id}`, { method: "DELETE", as: asAdmin })).status).toBe(403);
  });

  it("leave a trail of key, invitation and role changes that owners can read", async () => {
    const owner = await signIn("audit.owner@example.com");
    const key = await create(owner, "/dashboard/api-keys", { name: "deploy bot" });
    await call(`/dashboard/api-keys/${key.id}`, { method: "DELETE", as: owner });
    const invite = await create(owner, "/dashboard/invitations", { email: "audit.member@example.com" });
    const member = await signIn("audit.member@example.com");
    await call("/dashboard/invitations/accept", { method: "POST", as: member, json: { token: invite.token } });
    const memberId = (await jsonOf(await call("/dashboard/me", { as: member }))).user.id;
    await call(`/dashboard/members/${memberId}`, { method: "PATCH", as: owner, json: { role: "admin" } });

    const log = await jsonOf(await call("/dashboard/audit-log", { as: owner }));
    expect(log.items.map((e: { action: string }) => e.action)).toEqual(["member.role_changed", "invitation.accepted", "invitation.created", "api_key.revoked", "api_key.created"]);
    expect(log.items[0]).toMatchObject({ resourceId: memberId, metadata: { from: "member", to: "admin" } });
    expect(log.items[1].actorUserId).toBe(memberId);
    expect(JSON.stringify(log)).not.toContain(key.key);

    const asMember = { ...member, headers: { ...member.headers, "x-org-id": owner.orgId } };
    await call(`/dashboard/members/${memberId}`, { method: "PATCH", as: owner, json: { role: "member" } });
    expect((await call("/dashboard/audit-log", { as: asMember })).status).toBe(403);
  });

  it("only let the invited address accept an invitation", async () => {
    const owner = await signIn("inviter@example.com");
    const invite = await create(owner, "/dashboard/invitations", { email: "right.person@example.com" });
    const stranger = await signIn("wrong.person@example.com");
    expect((await call("/dashboard/invitations/accept", { method: "POST", as: stranger, json: { token: invite.token } })).status).toBe(404);
  });
});
