import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/**
 * Every error answer is application/problem+json (RFC 9457): {type, title, status, detail,
 * errors?}. Handlers throw `PoolError`; `app.onError` is the one place that writes it, so a
 * stack trace or a Telegram error body never reaches the caller.
 */
export const PROBLEMS = {
  invalid_body: { status: 400, title: "Bad Request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  not_found: { status: 404, title: "Not Found" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload Too Large" },
  unprocessable: { status: 422, title: "Unprocessable Content" },
  rate_limited: { status: 429, title: "Too Many Requests" },
  internal: { status: 500, title: "Internal Server Error" },
  upstream_failed: { status: 502, title: "Bad Gateway" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  /** Dotted path into the body: "to.username", "text". */
  path: string;
  message: string;
}

export class PoolError extends Error {
  readonly code: ProblemCode;
  readonly errors: FieldError[];
  readonly headers: Record<string, string>;

  constructor(code: ProblemCode, detail: string, errors: FieldError[] = [], headers: Record<string, string> = {}) {
    super(detail);
    this.name = "PoolError";
    this.code = code;
    this.errors = errors;
    this.headers = headers;
  }
}

export function problem(c: Context, code: ProblemCode, detail: string, errors: FieldError[] = [], headers: Record<string, string> = {}) {
  const { status, title } = PROBLEMS[code];
  const body = { type: `urn:noir:problem:${code}`, title, status, detail, ...(errors.length ? { errors } : {}) };
  return c.body(JSON.stringify(body), status, { ...headers, "content-type": "application/problem+json" });
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(body)", message: issue.message }));
}

/** Parses a raw JSON body against a schema, or throws the 400 that says which fields are wrong. */
export function parseBody<S extends z.ZodType>(schema: S, rawBody: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new PoolError("invalid_body", "The body is not valid JSON.");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new PoolError("invalid_body", "The body does not match the schema.", fieldErrors(result.error));
  return result.data;
}
