import * as z from "zod/mini";

/**
 * The dashboard's client for /api/dashboard/*. Calls ride the session cookie
 * (`credentials: "include"`); every answer is parsed before use, and errors arrive as
 * RFC 9457 problem+json, which becomes an `ApiError` carrying the problem's title, detail and
 * field errors. Resource clients (calls, voices, usage…) live beside the views that use them,
 * in `lib/dashboard/*-api.ts`, and build on `request` here.
 */

const FieldError = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

const Problem = z.object({
  title: z.optional(z.string()),
  detail: z.optional(z.string()),
  status: z.optional(z.number()),
  errors: z.optional(z.array(FieldError)),
  requestId: z.optional(z.string()),
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiError";
  }
}

/** The API answered 2xx with a body this page cannot read (an older page against a newer API). */
export class UnexpectedResponseError extends Error {
  constructor(readonly path: string) {
    super(`The answer from ${path} was not in the expected shape.`);
    this.name = "UnexpectedResponseError";
  }
}

const Me = z.object({
  // null when the caller is an API key rather than a person
  user: z.nullable(z.object({ id: z.string(), email: z.nullable(z.string()), name: z.nullable(z.string()) })),
  org: z.object({ id: z.string(), name: z.string(), role: z.enum(["owner", "admin", "member"]) }),
});
export type Me = z.infer<typeof Me>;

export const leadStatuses = ["new", "contacted", "replied", "qualified", "converted", "rejected"] as const;

const Lead = z.object({
  id: z.string(),
  firstName: z.nullable(z.string()),
  lastName: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  email: z.nullable(z.string()),
  telegramUsername: z.nullable(z.string()),
  company: z.nullable(z.string()),
  status: z.enum(leadStatuses),
});
export type Lead = z.infer<typeof Lead>;


const SignedIn = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.nullable(z.string()) }),
  org: z.object({ id: z.string(), name: z.string() }),
});

async function send(path: string, init: RequestInit, accept: string): Promise<Response> {
  const response = await fetch(path, {
    ...init,
    credentials: "include",
    headers: { accept, ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
  });
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => undefined);
  const problem = Problem.safeParse(body);
  const p = problem.success ? problem.data : {};
  throw new ApiError(response.status, p.title || response.statusText || "Request failed", p.detail, p.errors ?? [], p.requestId);
}

/** A JSON request; the answer must parse as `schema`. */
export async function request<T>(schema: z.ZodMiniType<T>, path: string, init: RequestInit = {}): Promise<T> {
  const response = await send(path, init, "application/json");
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new UnexpectedResponseError(path);
  return parsed.data;
}

/** A request whose answer is a media file (e.g. a voice sample); its content type must match `kind`. */
export async function requestBlob(path: string, kind: "audio", init: RequestInit = {}): Promise<Blob> {
  const response = await send(path, init, `${kind}/*`);
  const blob = await response.blob();
  if (!blob.type.startsWith(`${kind}/`) || blob.size === 0) throw new UnexpectedResponseError(path);
  return blob;
}

/**
 * A cursor page whose items are parsed one by one: a row this page cannot read is left out
 * (and logged) instead of blanking the whole list.
 */
export function pageOf<T>(item: z.ZodMiniType<T>) {
  return z.pipe(
    // Lists that are not paged (voices, the account's numbers) have no nextCursor at all.
    z.object({ items: z.array(z.unknown()), nextCursor: z.optional(z.nullable(z.string())) }),
    z.transform(({ items, nextCursor = null }) => {
      const kept: T[] = [];
      for (const raw of items) {
        const parsed = item.safeParse(raw);
        if (parsed.success) kept.push(parsed.data);
        else console.warn("left out a row the dashboard cannot read", parsed.error.issues);
      }
      return { items: kept, nextCursor };
    }),
  );
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Who is signed in, or `null` when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await request(Me, "/api/dashboard/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export type LeadPage = Page<Lead>;

export function fetchLeads(limit: number, cursor?: string | null, search?: string): Promise<LeadPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  if (search) query.set("search", search);
  return request(pageOf(Lead), `/api/dashboard/leads?${query}`);
}

export function fetchLead(id: string): Promise<Lead> {
  return request(Lead, `/api/dashboard/leads/${encodeURIComponent(id)}`);
}

/** The local dev sign-in; the API refuses it outright in production. */
export function devSignIn(email: string, name: string) {
  return request(SignedIn, "/api/auth/dev/sign-in", {
    method: "POST",
    // The name is optional; an empty one is left out rather than refused.
    body: JSON.stringify({ email, ...(name.trim() ? { name: name.trim() } : {}) }),
  });
}
