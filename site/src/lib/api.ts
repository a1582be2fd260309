import * as z from "zod/mini";

/**
 * The dashboard's client for /api/dashboard/*. Calls ride the session cookie
 * (`credentials: "include"`); every answer is parsed before use, and errors arrive as
 * RFC 9457 problem+json, which becomes an `ApiError` carrying the problem's title and detail.
 */

const Problem = z.object({
  title: z.optional(z.string()),
  detail: z.optional(z.string()),
  status: z.optional(z.number()),
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiError";
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

const LeadPage = z.object({ items: z.array(Lead), nextCursor: z.nullable(z.string()) });
export type LeadPage = z.infer<typeof LeadPage>;

const SignedIn = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.nullable(z.string()) }),
  org: z.object({ id: z.string(), name: z.string() }),
});

async function call<T>(schema: z.ZodMiniType<T>, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    credentials: "include",
    headers: { accept: "application/json", ...init.headers },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = Problem.safeParse(body);
    const title = (problem.success && problem.data.title) || response.statusText || "Request failed";
    throw new ApiError(response.status, title, problem.success ? problem.data.detail : undefined);
  }
  return schema.parse(body);
}

/** Who is signed in, or `null` when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await call(Me, "/api/dashboard/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function fetchLeads(limit: number, cursor?: string | null): Promise<LeadPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  return call(LeadPage, `/api/dashboard/leads?${query}`);
}

/** The local dev sign-in; the API refuses it outright in production. */
export function devSignIn(email: string, name: string) {
  return call(SignedIn, "/api/auth/dev/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    // The name is optional; an empty one is left out rather than refused.
    body: JSON.stringify({ email, ...(name.trim() ? { name: name.trim() } : {}) }),
  });
}
