import { describe, expect, it } from "vitest";
import { call, jsonOf, signIn } from "./client";

describe("the API is up", () => {
  it("answers health with the database reachable", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ status: "ok" });
  });

  it("gives every response a request id and keeps a sane one the caller sent", async () => {
    const res = await call("/health", { headers: { "x-request-id": "trace-12345678" } });
    expect(res.headers.get("x-request-id")).toBe("trace-12345678");
    const other = await call("/health", { headers: { "x-request-id": "bad id with spaces" } });
    expect(other.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("signs a person in locally and shows their Personal org", async () => {
    const alice = await signIn("alice@example.com", "Alice");
    const me = await jsonOf(await call("/dashboard/me", { as: alice }));
    expect(me.org).toMatchObject({ id: alice.orgId, name: "Personal", role: "owner", plan: "free" });
    expect(me.user).toMatchObject({ email: "alice@example.com", name: "Alice" });
  });
});
