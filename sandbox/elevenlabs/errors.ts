/**
 * ElevenLabs' error shapes. HTTP: `{"detail": {"status": "<id>", "message": "…"}}`, e.g. 401
 * `invalid_api_key`, 404 `voice_not_found`; request validation is FastAPI's 422
 * `{"detail": [{type, loc, msg, input}]}`. The stream-input socket sends
 * `{"message", "error", "code": 1008}` and then closes with 1008 and the message as the reason.
 */

export function elevenLabsError(status: number, id: string, message: string, headers?: Record<string, string>): Response {
  return Response.json({ detail: { status: id, message } }, { status, ...(headers ? { headers } : {}) });
}

/** FastAPI's request-validation answer. */
export function validationError(loc: (string | number)[], msg: string, input: unknown, type = "value_error"): Response {
  return Response.json({ detail: [{ type, loc, msg, input }] }, { status: 422 });
}

export const MISSING_KEY_MESSAGE = "Neither authorization header nor xi-api-key received, please provide one.";
export const INVALID_KEY_MESSAGE = "Invalid API key";

export function voiceNotFoundMessage(voiceId: string): string {
  return `A voice with the voice_id ${voiceId} was not found.`;
}

/** Injected failures read as ElevenLabs' own. */
export function elevenLabsFaultResponse(status: number): Response {
  if (status === 401) return elevenLabsError(401, "invalid_api_key", INVALID_KEY_MESSAGE);
  if (status === 429) {
    return elevenLabsError(
      429,
      "too_many_concurrent_requests",
      "Your account has reached its concurrency limit. Please try again shortly.",
      { "retry-after": "1" },
    );
  }
  if (status >= 500) return elevenLabsError(status, "internal_server_error", "We are sorry, something went wrong. You are not charged for this request.");
  return elevenLabsError(status, "sandbox_injected_fault", "Injected by the Noir sandbox");
}

/** An error on the stream-input socket: what it sends before closing with 1008. */
export interface SocketError {
  error: string;
  message: string;
}

/** Close reasons are at most 123 bytes; ElevenLabs cuts its message there (mid-word). */
export function closeReason(message: string): string {
  const bytes = new TextEncoder().encode(message);
  if (bytes.length <= 123) return message;
  // Drop a partial UTF-8 sequence at the cut.
  let end = 123;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
