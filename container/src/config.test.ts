import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

const SECRET = "a-secret-of-enough-length";

describe("the pool's configuration", () => {
  it("defaults to gramjs, port 8080 and a six-hour idle disconnect", () => {
    const { options } = readConfig({ TELEGRAM_POOL_SECRET: SECRET, TELEGRAM_API_ID: "12345", TELEGRAM_API_HASH: "0123456789abcdef0123456789abcdef" });
    expect(options).toMatchObject({ backend: "gramjs", port: 8080, idleDisconnectMs: 360 * 60 * 1000, apiId: 12345 });
  });

  it("refuses to start gramjs without the app's credentials, or with a short secret", () => {
    expect(() => readConfig({ TELEGRAM_POOL_SECRET: SECRET })).toThrow(/TELEGRAM_API_ID and TELEGRAM_API_HASH/);
    expect(() => readConfig({ TELEGRAM_POOL_SECRET: "short", TELEGRAM_BACKEND: "sandbox" })).toThrow(/at least 16/);
  });

  it("never echoes the secret in its complaint", () => {
    expect(() => readConfig({ TELEGRAM_POOL_SECRET: "tooshort", TELEGRAM_BACKEND: "sandbox" })).not.toThrow(/tooshort/);
  });

  it("takes the sandbox's flood gap and the Worker's URL", () => {
    const { options } = readConfig({ TELEGRAM_POOL_SECRET: SECRET, TELEGRAM_BACKEND: "sandbox", TELEGRAM_SANDBOX_MIN_GAP_SECONDS: "0.5", WORKER_URL: "http://127.0.0.1:8787" });
    expect(options).toMatchObject({ backend: "sandbox", standIn: { minGapSeconds: 0.5 }, workerUrl: "http://127.0.0.1:8787" });
  });
});
