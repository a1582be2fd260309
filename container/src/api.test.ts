import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signPoolRequest } from "./auth.ts";
import { Problem, SECRET, SendResult, startTestPool, type TestPool } from "./test-support.ts";

let pool: TestPool;
beforeAll(async () => {
  pool = await startTestPool();
});
afterAll(async () => {
  await pool.close();
});

const now = () => Math.floor(Date.now() / 1000);

async function rawCall(method: string, path: string, headers: Record<string, string>, body?: string) {
  return fetch(`${pool.url}${path}`, { method, headers: { "content-type": "application/json", ...headers }, ...(body === undefined ? {} : { body }) });
}

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const body = Problem.parse(await response.json());
  expect(body.status).toBe(status);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body;
}

describe("who may call the pool", () => {
  const body = JSON.stringify({ accountId: "acc-1", phone: "+15550001234" });

  it("answers a correctly signed request", async () => {
    const timestamp = now();
    const signature = signPoolRequest(SECRET, { timestamp, method: "GET", path: "/api/health", body: "" });
    const response = await rawCall("GET", "/api/health", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", backend: "sandbox", clients: expect.any(Number), rssBytes: expect.any(Number), heapUsedBytes: expect.any(Number) });
  });

  it("refuses an unsigned request", async () => {
    await expectProblem(await rawCall("GET", "/api/health", {}), 401);
  });

  it("refuses a signature made with another secret", async () => {
    const timestamp = now();
    const signature = signPoolRequest("some-other-secret-0123456789", { timestamp, method: "POST", path: "/api/accounts/add", body });
    await expectProblem(await rawCall("POST", "/api/accounts/add", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature }, body), 401);
  });

  it("refuses a signature over a different body (the body was tampered with)", async () => {
    const timestamp = now();
    const signature = signPoolRequest(SECRET, { timestamp, method: "POST", path: "/api/accounts/add", body });
    const tampered = body.replace("acc-1", "acc-2");
    await expectProblem(await rawCall("POST", "/api/accounts/add", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature }, tampered), 401);
  });

  it("refuses a signature for another path or query string", async () => {
    const timestamp = now();
    const signature = signPoolRequest(SECRET, { timestamp, method: "GET", path: "/api/health", body: "" });
    await expectProblem(await rawCall("GET", "/api/accounts", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature }), 401);
    await expectProblem(await rawCall("GET", "/api/health?x=1", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature }), 401);
    const withQuery = signPoolRequest(SECRET, { timestamp, method: "GET", path: "/api/health?x=1", body: "" });
    expect((await rawCall("GET", "/api/health?x=1", { "x-noir-timestamp": String(timestamp), "x-noir-signature": withQuery })).status).toBe(200);
  });

  it("refuses a correctly signed request more than five minutes old, or from the future", async () => {
    for (const timestamp of [now() - 301, now() + 301]) {
      const signature = signPoolRequest(SECRET, { timestamp, method: "GET", path: "/api/health", body: "" });
      const problem = await expectProblem(await rawCall("GET", "/api/health", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature }), 401);
      expect(problem.detail).toMatch(/300 seconds/);
    }
    const timestamp = now() - 200;
    const signature = signPoolRequest(SECRET, { timestamp, method: "GET", path: "/api/health", body: "" });
    expect((await rawCall("GET", "/api/health", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature })).status).toBe(200);
  });

  it("refuses an uppercase or truncated signature rather than reading it loosely", async () => {
    const timestamp = now();
    const signature = signPoolRequest(SECRET, { timestamp, method: "GET", path: "/api/health", body: "" });
    await expectProblem(await rawCall("GET", "/api/health", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature.toUpperCase() }), 401);
    await expectProblem(await rawCall("GET", "/api/health", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature.slice(0, 32) }), 401);
  });
});

describe("bad bodies", () => {
  it("names each wrong field in a send", async () => {
    const response = await pool.call("POST", "/api/send", { accountId: "has space", session: "", to: { email: "x@y.z" }, text: "", idempotencyKey: "k" });
    const problem = await expectProblem(response, 400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["accountId", "session", "text", "to"]);
  });

  it("refuses a message longer than Telegram's 4096 characters", async () => {
    const response = await pool.call("POST", "/api/send", { accountId: "a", session: "s", to: { username: "olena" }, text: "x".repeat(4097), idempotencyKey: "k" });
    expect((await expectProblem(response, 400)).errors).toEqual([expect.objectContaining({ path: "text" })]);
  });

  it("refuses both a username and a phone at once", async () => {
    const response = await pool.call("POST", "/api/send", { accountId: "a", session: "s", to: { username: "olena", phone: "+15550001234" }, text: "hi", idempotencyKey: "k" });
    expect((await expectProblem(response, 400)).errors).toEqual([expect.objectContaining({ path: "to" })]);
  });

  it("refuses a phone that is not E.164 when adding an account", async () => {
    const response = await pool.call("POST", "/api/accounts/add", { accountId: "a", phone: "555-0100" });
    expect((await expectProblem(response, 400)).errors).toEqual([expect.objectContaining({ path: "phone" })]);
  });

  it("refuses a body that is not JSON", async () => {
    const raw = "{not json";
    const timestamp = now();
    const signature = signPoolRequest(SECRET, { timestamp, method: "POST", path: "/api/send", body: raw });
    await expectProblem(await rawCall("POST", "/api/send", { "x-noir-timestamp": String(timestamp), "x-noir-signature": signature }, raw), 400);
  });

  it("answers an unknown path with a problem, not a stack", async () => {
    await expectProblem(await pool.call("GET", "/api/nothing-here"), 404);
  });

  it("never answers anything but an outcome or a 400 problem to any JSON body (property)", async () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string(), fc.string()));
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { accountId: field, session: field, to: fc.oneof(field, fc.record({ username: field }), fc.record({ phone: field })), text: field, idempotencyKey: field },
          { requiredKeys: [] },
        ),
        async (body) => {
          const response = await pool.call("POST", "/api/send", body);
          if (response.status === 200) SendResult.parse(await response.json());
          else await expectProblem(response, 400);
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});

describe("health", () => {
  it("counts live clients", async () => {
    const Health = z.object({ clients: z.number() });
    const before = (await pool.json(Health, "GET", "/api/health")).clients;
    await pool.signIn("health-acc");
    expect((await pool.json(Health, "GET", "/api/health")).clients).toBe(before + 1);
  });
});
