import { z } from "zod";
import { ProviderError } from "../ports";

export const PROVIDER = "elevenlabs";
export const DEFAULT_ELEVENLABS_BASE_URL = "https://api.elevenlabs.io";

/**
 * ElevenLabs' HTTP errors: `{"detail": {"status": "<id>", "message"}}`, or FastAPI's request
 * validation `{"detail": [{loc, msg, type}]}` (422).
 */
const ErrorBody = z.object({
  detail: z.union([
    z.object({ status: z.string(), message: z.string() }),
    z.array(z.object({ msg: z.string(), loc: z.array(z.union([z.string(), z.number()])).optional() })),
  ]),
});

/** 429 (concurrency or rate limit) and 5xx pass; any other 4xx (key, voice, model) fails the same way again. */
export function httpError(status: number, text: string, retryAfter: string | null): ProviderError {
  const body = ErrorBody.safeParse(parseJson(text));
  let what = text.slice(0, 200) || "no body";
  if (body.success) {
    const detail = body.data.detail;
    what = Array.isArray(detail) ? detail.map((d) => `${d.loc?.join(".") ?? "request"}: ${d.msg}`).join("; ") : `${detail.status}: ${detail.message}`;
  }
  const wait = Number(retryAfter);
  const retryAfterSeconds = retryAfter !== null && retryAfter !== "" && Number.isFinite(wait) && wait >= 0 ? Math.ceil(wait) : undefined;
  return new ProviderError(PROVIDER, `${status} ${what}`, status === 429 || status >= 500, status, retryAfterSeconds);
}

/** `https://…` without a trailing slash; a `ws(s)://` base is accepted and turned into http(s). */
export function normaliseBaseUrl(baseUrl: string | undefined): string {
  return (baseUrl ?? DEFAULT_ELEVENLABS_BASE_URL).replace(/^ws(s?):\/\//, "http$1://").replace(/\/+$/, "");
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
