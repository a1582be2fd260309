import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Problem, SendResult, startTestPool, eventually, type TestPool } from "./test-support.ts";

let pool: TestPool;
beforeAll(async () => {
  pool = await startTestPool();
});
afterAll(async () => {
  await pool.close();
});
beforeEach(async () => {
  await pool.call("POST", "/sandbox/telegram/reset");
});

const AddAnswer = z.object({ status: z.string(), seconds: z.number().optional() });
const VerifyAnswer = z.object({
  status: z.string(),
  hint: z.string().nullable().optional(),
  session: z.string().optional(),
  user: z.object({ id: z.string(), username: z.string().nullable(), firstName: z.string().nullable(), phone: z.string().nullable() }).optional(),
});
const Accounts = z.object({
  accounts: z.array(z.object({ accountId: z.string(), state: z.enum(["connected", "connecting", "login_pending"]), connectedAt: z.string().nullable(), lastUsedAt: z.string().nullable(), sentSinceConnect: z.number() })),
});

const add = (accountId: string, phone: string) => pool.json(AddAnswer, "POST", "/api/accounts/add", { accountId, phone });
const verify = (accountId: string, body: object) => pool.json(VerifyAnswer, "POST", `/api/accounts/${accountId}/verify`, body);
const stateOf = async (accountId: string) => (await pool.json(Accounts, "GET", "/api/accounts")).accounts.find((a) => a.accountId === accountId)?.state;

describe("adding an account", () => {
  it("signs in with the code and hands back a session that sends", async () => {
    expect(await add("acc-login", "+15550001234")).toEqual({ status: "code_sent" });
    expect(await stateOf("acc-login")).toBe("login_pending");
    const signedIn = await verify("acc-login", { code: "12345" });
    expect(signedIn).toMatchObject({ status: "signed_in", session: expect.any(String), user: { id: expect.any(String), phone: "+15550001234" } });
    expect(await stateOf("acc-login")).toBe("connected");
    const sent = await pool.json(SendResult, "POST", "/api/send", { accountId: "acc-login", session: signedIn.session, to: { username: "olena_k" }, text: "Hi", idempotencyKey: "login-1" });
    expect(sent.outcome).toBe("sent");
  });

  it("asks for the two-step password, then signs in with it", async () => {
    expect(await add("acc-2fa", "+15550001239")).toEqual({ status: "code_sent" });
    const asked = await verify("acc-2fa", { code: "12345" });
    expect(asked).toEqual({ status: "password_needed", hint: expect.any(String) });
    expect(await verify("acc-2fa", { password: "wrong" })).toEqual({ status: "password_invalid" });
    const signedIn = await verify("acc-2fa", { password: "sandbox-2fa" });
    expect(signedIn).toMatchObject({ status: "signed_in", user: { phone: "+15550001239" } });
    const sent = await pool.json(SendResult, "POST", "/api/send", { accountId: "acc-2fa", session: signedIn.session, to: { username: "olena_k" }, text: "Hi", idempotencyKey: "login-2fa" });
    expect(sent.outcome).toBe("sent");
  });

  it("insists on the password once Telegram has asked for it", async () => {
    await add("acc-2fa-missing", "+15550001239");
    await verify("acc-2fa-missing", { code: "12345" });
    const response = await pool.call("POST", "/api/accounts/acc-2fa-missing/verify", { code: "12345" });
    expect(response.status).toBe(422);
    expect(Problem.parse(await response.json()).errors).toEqual([expect.objectContaining({ path: "password" })]);
  });

  it("lets a mistyped code be tried again", async () => {
    await add("acc-typo", "+15550001234");
    expect(await verify("acc-typo", { code: "54321" })).toEqual({ status: "code_invalid" });
    expect((await verify("acc-typo", { code: "12345" })).status).toBe("signed_in");
  });

  it("ends the login when the code has expired", async () => {
    await add("acc-expired", "+15550001234");
    expect(await verify("acc-expired", { code: "00000" })).toEqual({ status: "code_expired" });
    expect((await pool.call("POST", "/api/accounts/acc-expired/verify", { code: "12345" })).status).toBe(404);
  });

  it("reports an invalid phone and a flood wait on the code", async () => {
    expect(await add("acc-bad-phone", "+15550000000")).toEqual({ status: "phone_invalid" });
    expect(await add("acc-code-flood", "+15550004444")).toEqual({ status: "flood_wait", seconds: 3600 });
    expect(await stateOf("acc-bad-phone")).toBeUndefined();
  });

  it("answers 404 to a verify with no login in progress", async () => {
    const response = await pool.call("POST", "/api/accounts/acc-nobody/verify", { code: "12345" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("forgets an account on DELETE: disconnected, and its pending login gone", async () => {
    await pool.signIn("acc-delete");
    expect(await stateOf("acc-delete")).toBe("connected");
    expect((await pool.call("DELETE", "/api/accounts/acc-delete")).status).toBe(204);
    expect(await stateOf("acc-delete")).toBeUndefined();
    await add("acc-delete-pending", "+15550001234");
    expect((await pool.call("DELETE", "/api/accounts/acc-delete-pending")).status).toBe(204);
    expect((await pool.call("POST", "/api/accounts/acc-delete-pending/verify", { code: "12345" })).status).toBe(404);
  });
});

describe("idle clients", () => {
  it("disconnects a client left idle, and connects it again on the next send", async () => {
    const idlePool = await startTestPool({ idleDisconnectMs: 150 });
    try {
      const session = await idlePool.signIn("acc-idle");
      const listed = async () => (await idlePool.json(Accounts, "GET", "/api/accounts")).accounts.map((a) => a.accountId);
      expect(await listed()).toContain("acc-idle");
      await eventually(async () => !(await listed()).includes("acc-idle"), { what: "the idle client to be dropped" });
      const sent = await idlePool.json(SendResult, "POST", "/api/send", { accountId: "acc-idle", session, to: { username: "olena_k" }, text: "Back", idempotencyKey: "idle-1" });
      expect(sent.outcome).toBe("sent");
      expect(await listed()).toContain("acc-idle");
    } finally {
      await idlePool.close();
    }
  });
});
