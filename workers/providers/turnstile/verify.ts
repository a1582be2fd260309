import { z } from "zod";
import { ProviderError } from "../ports";

export const DEFAULT_TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

export interface TurnstileCheck {
  /** `TURNSTILE_SECRET_KEY`, the widget's secret. */
  secret: string;
  /** The token the widget gave the visitor's browser. */
  token: string;
  /** The visitor's address (`CF-Connecting-IP`); Cloudflare uses it as one more signal. */
  remoteIp?: string;
  /** `TURNSTILE_VERIFY_URL`; the sandbox's `…/turnstile/v0/siteverify` locally. */
  url?: string;
  timeoutMs?: number;
}

export type TurnstileVerdict =
  | { ok: true; hostname: string | null; action: string | null; challengeTs: string | null }
  /** `ourFault`: the secret or the request was wrong, not the visitor's token. */
  | { ok: false; errorCodes: string[]; ourFault: boolean };

/**
 * Siteverify's answer. It is 200 with `success: false` and `error-codes` for a refused token, too.
 * https://developers.cloudflare.com/turnstile/get-started/server-side-validation/
 */
const SiteverifySchema = z.object({
  success: z.boolean(),
  "error-codes": z.array(z.string()).default([]),
  challenge_ts: z.string().optional(),
  hostname: z.string().optional(),
  action: z.string().optional(),
});

/** Codes that mean our side is misconfigured or siteverify failed, rather than a bad token. */
const OUR_FAULT = new Set(["missing-input-secret", "invalid-input-secret", "bad-request", "internal-error"]);

const PROVIDER = "turnstile";

/**
 * Checks a Turnstile token with one form POST to siteverify (a thin fetch: there is no SDK for the
 * server side, and one request does not need one). A token is single use: a second check of the
 * same token answers `timeout-or-duplicate`. Throws ProviderError when siteverify cannot answer.
 */
export async function verifyTurnstile(check: TurnstileCheck): Promise<TurnstileVerdict> {
  const timeoutMs = check.timeoutMs ?? 5_000;
  const form = new URLSearchParams({ secret: check.secret, response: check.token });
  if (check.remoteIp) form.set("remoteip", check.remoteIp);
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(check.url ?? DEFAULT_TURNSTILE_VERIFY_URL, { method: "POST", body: form, signal: timeout });
  } catch (error) {
    throw new ProviderError(PROVIDER, timeout.aborted ? `no answer within ${timeoutMs} ms` : `network error: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) throw new ProviderError(PROVIDER, `siteverify answered ${response.status}: ${text.slice(0, 200)}`, response.status >= 500 || response.status === 429, response.status);
  const body = SiteverifySchema.safeParse(parseJson(text));
  if (!body.success) throw new ProviderError(PROVIDER, `unexpected siteverify body: ${text.slice(0, 200)}`, true, response.status);
  const verdict = body.data;
  if (verdict.success) return { ok: true, hostname: verdict.hostname ?? null, action: verdict.action ?? null, challengeTs: verdict.challenge_ts ?? null };
  const errorCodes = verdict["error-codes"];
  return { ok: false, errorCodes, ourFault: errorCodes.some((code) => OUR_FAULT.has(code)) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
