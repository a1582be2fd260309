import { providers } from "../providers";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSandbox, type Sandbox } from "./server";

const DEFAULTS = { latencyMs: 0, jitterMs: 0, failRate: 0, failStatus: 503, timeoutRate: 0 };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterEach(() => {
  sandbox.setProviderConfig("clerk", {});
  sandbox.clearRequests();
});
afterAll(() => sandbox.close());

const admin = (path: string, init?: RequestInit) => fetch(`${sandbox.url}/__admin${path}`, init);
const put = (name: string, body: string) => admin(`/providers/${name}`, { method: "PUT", body });

describe("admin: provider fault config", () => {
  it("lists every provider with well-behaved defaults", async () => {
    const response = await admin("/providers");
    expect(await response.json()).toEqual({ providers: Object.fromEntries(providers.map((p) => [p.name, DEFAULTS])) });
  });

  it("replaces a provider's config and reads it back", async () => {
    const response = await put("clerk", JSON.stringify({ latencyMs: 20, failRate: 0.25 }));
    expect(response.status).toBe(200);
    const expected = { ...DEFAULTS, latencyMs: 20, failRate: 0.25 };
    expect(await response.json()).toEqual(expected);
    expect(await (await admin("/providers/clerk")).json()).toEqual(expected);
    expect(sandbox.providerConfig("clerk")).toEqual(expected);
  });

  it.each([
    ["a rate above 1", { failRate: 1.5 }],
    ["a negative rate", { timeoutRate: -0.1 }],
    ["a negative latency", { latencyMs: -1 }],
    ["a success status as the failure", { failStatus: 200 }],
    ["a fractional status", { failStatus: 500.5 }],
    ["a rate as a string", { failRate: "0.5" }],
    ["an unknown field", { failrate: 1 }],
    ["an array", [1]],
  ])("rejects %s with 400 and keeps the previous config", async (_label, body) => {
    sandbox.setProviderConfig("clerk", { latencyMs: 7 });
    const response = await put("clerk", JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_fault_config" });
    expect(sandbox.providerConfig("clerk")).toEqual({ ...DEFAULTS, latencyMs: 7 });
  });

  it("rejects a body that is not JSON with 400", async () => {
    expect((await put("clerk", "latencyMs=5")).status).toBe(400);
  });

  it("answers 404 for a provider it does not host", async () => {
    expect((await put("twillio", "{}")).status).toBe(404);
    expect((await admin("/requests?provider=twillio")).status).toBe(404);
  });

  it("accepts any in-range config and stores exactly it", async () => {
    const config = fc.record(
      {
        latencyMs: fc.integer({ min: 0, max: 600_000 }),
        jitterMs: fc.double({ min: 0, max: 600_000, noNaN: true }),
        failRate: fc.double({ min: 0, max: 1, noNaN: true }),
        failStatus: fc.integer({ min: 400, max: 599 }),
        timeoutRate: fc.double({ min: 0, max: 1, noNaN: true }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(config, async (input) => {
        const response = await put("clerk", JSON.stringify(input));
        expect(response.status).toBe(200);
        // JSON has no -0; compare what survives the wire.
        expect(await response.json()).toEqual(JSON.parse(JSON.stringify({ ...DEFAULTS, ...input })));
      }),
      { numRuns: 60 },
    );
  });

  it("refuses any rate outside 0..1", async () => {
    const finite = { noNaN: true, noDefaultInfinity: true };
    const outside = fc.oneof(fc.double({ ...finite, max: -Number.MIN_VALUE }), fc.double({ ...finite, min: 1.000001 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("failRate", "timeoutRate"), outside, async (field, value) => {
        expect((await put("clerk", JSON.stringify({ [field]: value }))).status).toBe(400);
      }),
      { numRuns: 40 },
    );
  });
});

describe("admin: request log", () => {
  it("records what the far end received, filters by provider and clears", async () => {
    await fetch(`${sandbox.url}/clerk/sessions?trace=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-42" },
      body: JSON.stringify({ email: "ada@example.com" }),
    });
    const response = await admin("/requests?provider=clerk");
    const { requests } = z.object({ requests: z.array(z.unknown()) }).parse(await response.json());
    expect(requests).toMatchObject([
      {
        provider: "clerk",
        method: "POST",
        path: "/sessions",
        query: "trace=1",
        headers: { "content-type": "application/json", "x-request-id": "req-42" },
        body: JSON.stringify({ email: "ada@example.com" }),
        fault: "pass",
        status: 200,
      },
    ]);
    expect(await (await admin("/requests")).json()).toEqual({ requests });

    expect((await admin("/requests", { method: "DELETE" })).status).toBe(204);
    expect(await (await admin("/requests?provider=clerk")).json()).toEqual({ requests: [] });
  });

  it("does not log admin calls", async () => {
    await admin("/providers");
    expect(sandbox.requests()).toEqual([]);
  });
});

describe("config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "noir-sandbox-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it("starts with the file's config, with programmatic config winning per provider", async () => {
    const configFile = file("ok.json", { seed: 9, providers: { clerk: { latencyMs: 5 } } });
    const fromFile = await startSandbox({ port: 0, configFile });
    const config = { providers: { clerk: { failRate: 1 } } };
    const overridden = await startSandbox({ port: 0, configFile, config });
    try {
      expect(fromFile.providerConfig("clerk")).toEqual({ ...DEFAULTS, latencyMs: 5 });
      expect(overridden.providerConfig("clerk")).toEqual({ ...DEFAULTS, failRate: 1 });
    } finally {
      await Promise.all([fromFile.close(), overridden.close()]);
    }
  });

  it("starts with defaults when the file does not exist", async () => {
    const local = await startSandbox({ port: 0, configFile: join(dir, "missing.json") });
    await local.close();
    expect(local.providerConfig("clerk")).toEqual(DEFAULTS);
  });

  it("refuses to start on an invalid file or an unknown provider", async () => {
    const invalid = file("bad.json", { providers: { clerk: { failRate: 2 } } });
    const unknown = file("unknown.json", { providers: { stripe: {} } });
    await expect(startSandbox({ port: 0, configFile: invalid })).rejects.toThrow(/Invalid sandbox config/);
    await expect(startSandbox({ port: 0, configFile: unknown })).rejects.toThrow(/unknown provider "stripe"/);
  });
});
