/**
 * Clerk's error body: `{ errors: [{ message, long_message, code }], clerk_trace_id }`.
 * https://clerk.com/docs/errors/overview — the SDK reads `errors[].code`.
 */
export function clerkError(status: number, code: string, message: string, longMessage = message): Response {
  return Response.json(
    { errors: [{ message, long_message: longMessage, code }], clerk_trace_id: "sandbox" },
    { status },
  );
}

/** Injected failures look like Clerk's own outage answers. */
export function clerkFaultResponse(status: number): Response {
  return clerkError(status, "sandbox_injected_fault", "Injected by the Noir sandbox");
}
