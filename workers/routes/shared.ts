import { z } from "@hono/zod-openapi";
import { AppError } from "../errors";

/** `?cursor=&limit=`: keyset pagination over sortable ids, newest first. */
export const PageQuery = z.object({
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Opaque cursor from the previous page's nextCursor." }),
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: "Page size, 1–100 (default 50)." }),
});

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  try {
    const id = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    if (/^[a-z]{2,4}_[0-9a-z]{26}$/.test(id)) return id;
  } catch {
    // fall through to the error below
  }
  throw new AppError("validation_failed", "The cursor is not one this API issued.", [{ field: "query.cursor", message: "invalid cursor" }]);
}

export function encodeCursor(id: string): string {
  return btoa(id).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Rows were fetched with limit + 1 so we know whether another page exists. */
export function toPage<T extends { id: string }, R>(rows: T[], limit: number, toApi: (row: T) => R) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toApi), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export const IdParam = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "ld_01jd3x0000000000000000000a" }),
});

export const Timestamp = z.string().openapi({ format: "date-time", example: "2026-11-26T09:00:00.000Z" });

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

/** Error responses every authenticated route may give; routes add their own on top. */
export const COMMON_ERRORS = {
  401: problem("Not signed in, or the key or token is invalid"),
  404: problem("Not found in this organization"),
  422: problem("The request failed validation"),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const NON_BLANK = (max: number) => z.string().trim().min(1).max(max);
