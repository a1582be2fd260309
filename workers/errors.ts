import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

/** The short list of things that can go wrong, each with its status and title. */
export const PROBLEMS = {
  bad_request: { status: 400, title: "Bad Request" },
  malformed_body: { status: 400, title: "Malformed Request Body" },
  validation_failed: { status: 422, title: "Validation Failed" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not Found" },
  method_not_allowed: { status: 405, title: "Method Not Allowed" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload Too Large" },
  unsupported_media_type: { status: 415, title: "Unsupported Media Type" },
  rate_limited: { status: 429, title: "Too Many Requests" },
  internal: { status: 500, title: "Internal Server Error" },
  /** A provider (Twilio, Resend…) refused or failed; the detail says which and why. */
  upstream_failed: { status: 502, title: "Bad Gateway" },
  not_implemented: { status: 501, title: "Not Implemented" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  /** Where the problem is: "body.name", "query.limit", "header.authorization", "line 12: phone". */
  field: string;
  message: string;
}

/** Thrown anywhere in a request; onError turns it into application/problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);

export function problemResponse(c: Context, code: ProblemCode, detail: string, errors: FieldError[] = [], headers: Record<string, string> = {}) {
  const { status, title } = PROBLEMS[code];
  const requestId = c.get("requestId");
  const body = {
    type: `urn:noir:problem:${code}`,
    title,
    status,
    detail,
    ...(errors.length ? { errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
  return c.body(JSON.stringify(body), status, { ...headers, "content-type": "application/problem+json" });
}

export function fieldErrorsFromZod(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "";
    return {
      field: [target, path, unknownKeys].filter(Boolean).join("."),
      message: issue.message,
    };
  });
}

const HTTP_STATUS_TO_CODE: Partial<Record<number, ProblemCode>> = {
  400: "malformed_body",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** The one place errors become responses; stack traces and SQL go to the log only. */
export function handleError(err: unknown, c: Context) {
  if (err instanceof AppError) return problemResponse(c, err.code, err.detail, err.errors, err.headers);
  if (err instanceof HTTPException) {
    const code = HTTP_STATUS_TO_CODE[err.status] ?? (err.status >= 500 ? "internal" : "bad_request");
    // Hono's own messages (e.g. "Malformed JSON in request body") are safe to show.
    return problemResponse(c, code, err.message || PROBLEMS[code].title);
  }
  const log = c.get("log");
  // Capped: a failed query's message carries its SQL and bound values, which may hold contact data.
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  const stack = err instanceof Error ? err.stack?.split("\n").filter((line) => line.trimStart().startsWith("at ")).slice(0, 8).join("\n") : undefined;
  if (log) log.error("unhandled error", { error: message, stack });
  else console.error(JSON.stringify({ level: "error", msg: "unhandled error", error: message }));
  return problemResponse(c, "internal", "Something went wrong on our side. Quote the request id when you report it.");
}
