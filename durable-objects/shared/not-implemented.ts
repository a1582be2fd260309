/**
 * An honest answer from a Durable Object whose behaviour lands in a later issue: 501 as an
 * RFC 9457 problem, so a caller sees what is missing instead of a fake success.
 */
export function notImplemented(detail: string): Response {
  return Response.json(
    { type: "about:blank", title: "Not Implemented", status: 501, detail },
    { status: 501, headers: { "content-type": "application/problem+json" } },
  );
}
