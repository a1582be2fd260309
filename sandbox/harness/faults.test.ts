import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./server";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterEach(async () => {
  await putConfig(sandbox, {});
  sandbox.clearRequests();
});
afterAll(() => sandbox.close());

async function putConfig(target: Sandbox, body: unknown): Promise<void> {
  const url = `${target.url}/__admin/providers/clerk`;
  const response = await fetch(url, { method: "PUT", body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

const jwtKeyUrl = (target: Sandbox) => `${target.url}/clerk/jwt-key`;

/** The statuses a run of sequential requests gets: the fault sequence a client observes. */
async function statuses(target: Sandbox, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await fetch(jwtKeyUrl(target))).status);
  return seen;
}

describe("fault injection", () => {
  it("delays a response by at least the configured latency", async () => {
    await putConfig(sandbox, { latencyMs: 300 });
    const started = performance.now();
    const response = await fetch(jwtKeyUrl(sandbox));
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2_300);
  });

  it("answers every request with the configured status when failRate is 1", async () => {
    await putConfig(sandbox, { failRate: 1, failStatus: 429 });
    const response = await fetch(jwtKeyUrl(sandbox));
    expect(response.status).toBe(429);
    // The stand-in's own error shape, so the adapter parses what it would from Clerk.
    expect(await response.json()).toMatchObject({ errors: [{ code: "sandbox_injected_fault" }] });
    expect(sandbox.requests("clerk")).toMatchObject([{ path: "/jwt-key", fault: "fail", status: 429 }]);
  });

  it("leaves the client hanging until it gives up when timeoutRate is 1", async () => {
    await putConfig(sandbox, { timeoutRate: 1 });
    await expect(fetch(jwtKeyUrl(sandbox), { signal: AbortSignal.timeout(250) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    expect(sandbox.requests("clerk")).toMatchObject([{ path: "/jwt-key", fault: "timeout", status: null }]);
  });

  it("never faults its own admin endpoints", async () => {
    await putConfig(sandbox, { failRate: 1, latencyMs: 5_000 });
    const response = await fetch(`${sandbox.url}/__admin/providers`, { signal: AbortSignal.timeout(2_000) });
    expect(response.status).toBe(200);
  });

  it("replays the same fault sequence for the same seed and config", async () => {
    const config = { failRate: 0.5, failStatus: 503 };
    const other = await startSandbox({ port: 0, seed: 1, config: { providers: { clerk: config } } });
    const reseeded = await startSandbox({ port: 0, seed: 2, config: { providers: { clerk: config } } });
    try {
      await putConfig(sandbox, config);
      const first = await statuses(sandbox, 32);
      expect(new Set(first)).toEqual(new Set([200, 503]));
      // Another process with the same seed, and this one after setting the config again.
      expect(await statuses(other, 32)).toEqual(first);
      await putConfig(sandbox, config);
      expect(await statuses(sandbox, 32)).toEqual(first);
      expect(await statuses(reseeded, 32)).not.toEqual(first);
    } finally {
      await Promise.all([other.close(), reseeded.close()]);
    }
  });
});

describe("sandbox lifecycle", () => {
  it("closes promptly while a request hangs or waits on latency", async () => {
    const local = await startSandbox({ port: 0, config: { providers: { clerk: { timeoutRate: 1 } } } });
    const hanging = fetch(jwtKeyUrl(local)).then(
      () => "answered",
      () => "dropped",
    );
    await pollUntil(() => local.requests("clerk").length === 1);
    local.setProviderConfig("clerk", { latencyMs: 60_000 });
    const delayed = fetch(jwtKeyUrl(local)).then(
      () => "answered",
      () => "dropped",
    );
    await pollUntil(() => local.requests("clerk").length === 2);

    const started = performance.now();
    await local.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await Promise.all([hanging, delayed])).toEqual(["dropped", "dropped"]);
    await expect(fetch(jwtKeyUrl(local))).rejects.toThrow();
  });

  it("refuses to start on a port already taken", async () => {
    await expect(startSandbox({ port: sandbox.port })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});

async function pollUntil(condition: () => boolean, deadlineMs = 2_000): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("Condition not met before the deadline");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
