/**
 * Resend's error body: `{ statusCode, message, name }`, where `name` is the error type.
 * https://resend.com/docs/api-reference/errors
 */
export function resendError(status: number, name: string, message: string, headers?: Record<string, string>): Response {
  return Response.json({ statusCode: status, message, name }, { status, ...(headers ? { headers } : {}) });
}

/** Injected failures read as Resend's own: a rate limit names its wait, a 5xx is an application error. */
export function resendFaultResponse(status: number): Response {
  if (status === 429) {
    return resendError(429, "rate_limit_exceeded", "Too many requests. You can only make 5 requests per second.", {
      "retry-after": "1",
    });
  }
  if (status >= 500) return resendError(status, "application_error", "An unexpected error occurred.");
  return resendError(status, "sandbox_injected_fault", "Injected by the Noir sandbox");
}
