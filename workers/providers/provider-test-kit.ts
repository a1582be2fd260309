import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { z } from "zod";
import { ProviderError } from "./ports";

/**
 * What the adapter tests share: the sandbox from test/global-setup.ts (reached over HTTP as the
 * real providers are), its fault switches and request log, and the ProviderError an adapter throws.
 */
export const { SANDBOX_URL } = z.object({ SANDBOX_URL: z.url() }).parse(env);

/** Latency and fault injection for one stand-in (sandbox/harness); `{}` turns them off. */
export async function setSandboxFaults(provider: string, config: Record<string, number>): Promise<void> {
  const response = await fetch(`${SANDBOX_URL}/__admin/providers/${provider}`, { method: "PUT", body: JSON.stringify(config) });
  expect(response.status).toBe(200);
}

/** The rejection of `promise`, which must be a ProviderError. */
export async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}
