import { randomUUID } from "node:crypto";
import type { SocketRefusal } from "../harness/provider";

/**
 * Deepgram's error body: `{ err_code, err_msg, request_id }`
 * (https://developers.deepgram.com/reference/errors), with the request id also in the
 * `dg-request-id` header. A refused `/v1/listen` handshake adds `dg-error` with the reason
 * (Deepgram changelog, 2022-11-08), e.g. 400 `dg-error: Invalid 'utterance_end_ms' value of '999'.`
 */
export function deepgramErrorBody(errCode: string, errMsg: string, requestId: string): { err_code: string; err_msg: string; request_id: string } {
  return { err_code: errCode, err_msg: errMsg, request_id: requestId };
}

export function deepgramError(status: number, errCode: string, errMsg: string): Response {
  const requestId = randomUUID();
  return Response.json(deepgramErrorBody(errCode, errMsg, requestId), {
    status,
    headers: { "dg-request-id": requestId, "dg-error": headerValue(errMsg) },
  });
}

/** The HTTP answer to a `/v1/listen` handshake Deepgram turns down (the socket never opens). */
export function deepgramRefusal(status: number, errCode: string, errMsg: string, requestId: string, dgError: string = errMsg): SocketRefusal {
  return {
    refuse: status,
    headers: { "content-type": "application/json", "dg-request-id": requestId, "dg-error": headerValue(dgError) },
    body: JSON.stringify(deepgramErrorBody(errCode, errMsg, requestId)),
  };
}

/** Injected failures as Deepgram's own. */
export function deepgramFaultResponse(status: number): Response {
  if (status === 401) return deepgramError(401, "INVALID_AUTH", "Invalid credentials.");
  if (status === 429) return deepgramError(429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later.");
  if (status >= 500) return deepgramError(status, "INTERNAL_SERVER_ERROR", "An internal server error occurred.");
  return deepgramError(status, "SANDBOX_INJECTED_FAULT", "Injected by the Noir sandbox.");
}

/**
 * A header value from text that may echo the query: printable ASCII only, so a value with a line
 * break or non-Latin letters can neither split the response nor upset the client's parser.
 */
function headerValue(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?");
}
