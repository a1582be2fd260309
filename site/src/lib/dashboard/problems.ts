import { ApiError, UnexpectedResponseError } from "../api";

/**
 * Turns whatever went wrong into one sentence a user can act on. The API's problem details are
 * already written for people ("This month's voice minutes are used up…"), so they are used as
 * they stand; what the status alone says is filled in here, and a server fault carries its
 * request id so support can find it in the logs.
 */
export function plainWords(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => e.message).filter((m) => !error.detail?.includes(m));
    const detail = error.detail ? [error.detail, ...fields].join(" — ") : undefined;
    switch (true) {
      case error.status === 401:
        return "Your session has ended. Sign in again on the dashboard.";
      case error.status === 403:
        return detail ?? "Your role in this organization cannot do this. Ask an owner or admin.";
      case error.status >= 500:
        return `${detail ?? "Noir had a problem on its side."} Try again in a moment.${error.requestId ? ` (Reference ${error.requestId})` : ""}`;
      default:
        return detail ?? `${error.title} (${error.status}).`;
    }
  }
  if (error instanceof UnexpectedResponseError) return "Noir answered in a way this page does not understand. Reload the page to get the latest version.";
  if (error instanceof TypeError) return "Noir could not be reached. Check your connection and try again.";
  return "Something unexpected happened. Try again.";
}

/** The field errors of a 422 for one request field ("body.to"), for marking that input. */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.field === field)?.message;
}

/** `true` when the API said this thing (by its noun, "Phone number") does not exist in the org. */
export function isMissing(error: unknown, noun: string): boolean {
  return error instanceof ApiError && error.status === 404 && (error.detail ?? "").startsWith(noun);
}
