import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Tenant } from "../context";
import { withUniqueAsConflict } from "../db/constraints";
import { newId, type ID_PREFIXES } from "../db/ids";
import { notFound } from "../errors";
import { requireRole } from "../middleware/tenancy";
import { createRouter } from "./router";
import { COMMON_ERRORS, decodeCursor, IdParam, jsonBody, jsonResponse, listOf, PageQuery, toPage } from "./shared";

type OrgTable = SQLiteTable & { id: SQLiteColumn; orgId: SQLiteColumn; updatedAt?: SQLiteColumn };

export interface CrudContext {
  db: AppEnv["Variables"]["db"];
  tenant: Tenant;
}

/**
 * The five routes of an org-owned resource (list, create, get, update, delete), each with its
 * OpenAPI definition. Every query is scoped by the caller's org; another org's id is a 404.
 */
export interface CrudSpec<Row extends { id: string }, Api, Create extends z.ZodType, Patch extends z.ZodType, Filter extends z.ZodObject, P extends `/${string}`> {
  /** Singular, for messages and OpenAPI: "Script". */
  noun: string;
  tag: string;
  path: P;
  table: OrgTable;
  idKind: keyof typeof ID_PREFIXES;
  api: z.ZodType<Api>;
  create: Create;
  patch: Patch;
  toApi(row: Row): Api;
  toInsert(input: z.output<Create>, ctx: CrudContext): Promise<Record<string, unknown>> | Record<string, unknown>;
  toUpdate(input: z.output<Patch>, ctx: CrudContext, current: Row): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Extra list query parameters and the conditions they add. */
  filter?: { query: Filter; where(query: z.output<Filter>): (SQL | undefined)[] };
  /** What a unique-constraint failure means for this resource. */
  conflict?: string;
  /** Roles allowed to write; reading is open to every member. */
  writeRoles?: Tenant["role"][];
}

/** Hono cannot infer validated inputs through a generic route definition; zod has already checked them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const validated = (c: any, target: "json" | "param" | "query"): any => c.req.valid(target);

const NO_FILTER = z.object({});

export function crudRoutes<Row extends { id: string }, Api, Create extends z.ZodType, Patch extends z.ZodType, P extends `/${string}`, Filter extends z.ZodObject = typeof NO_FILTER>(
  spec: CrudSpec<Row, Api, Create, Patch, Filter, P>,
) {
  const { table, noun, tag, path } = spec;
  const writeGuard: MiddlewareHandler<AppEnv>[] = spec.writeRoles ? [requireRole(...spec.writeRoles)] : [];
  const one = (id: string, orgId: string) => and(eq(table.id, id), eq(table.orgId, orgId));
  const conflict = spec.conflict ?? `This ${noun.toLowerCase()} already exists.`;
  const load = async (ctx: CrudContext, id: string): Promise<Row> => {
    const [row] = (await ctx.db.select().from(table as SQLiteTable).where(one(id, ctx.tenant.orgId)).limit(1)) as Row[];
    if (!row) throw notFound(noun);
    return row;
  };
  const ctxOf = (c: { get(k: "db"): CrudContext["db"]; get(k: "tenant"): Tenant }): CrudContext => ({ db: c.get("db"), tenant: c.get("tenant") });
  const lower = noun.toLowerCase();
  const itemPath = `${path}/{id}` as `${P}/{id}`;

  return createRouter()
    .openapi(
      createRoute({ method: "get", path, tags: [tag], summary: `List ${lower}s`, request: { query: PageQuery.extend((spec.filter?.query ?? NO_FILTER).shape) }, responses: { 200: jsonResponse(listOf(spec.api), `A page of ${lower}s`), ...COMMON_ERRORS } }),
      async (c) => {
        const query = validated(c, "query") as z.output<typeof PageQuery> & z.output<Filter>;
        const after = decodeCursor(query.cursor);
        const conditions = [eq(table.orgId, c.get("tenant").orgId), after ? lt(table.id, after) : undefined, ...(spec.filter?.where(query) ?? [])];
        const rows = (await c.get("db").select().from(table as SQLiteTable).where(and(...conditions)).orderBy(desc(table.id)).limit(query.limit + 1)) as Row[];
        return c.json(toPage(rows, query.limit, spec.toApi), 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path, tags: [tag], summary: `Create a ${lower}`, middleware: writeGuard, request: { body: jsonBody(spec.create) }, responses: { 201: jsonResponse(spec.api, `The new ${lower}`), 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const ctx = ctxOf(c);
        const values = await spec.toInsert(validated(c, "json") as z.output<Create>, ctx);
        const id = newId(spec.idKind);
        const [row] = (await withUniqueAsConflict(ctx.db.insert(table).values({ ...values, id, orgId: ctx.tenant.orgId }).returning(), conflict)) as Row[];
        return c.json(spec.toApi(row!), 201);
      },
    )
    .openapi(
      createRoute({ method: "get", path: itemPath, tags: [tag], summary: `Get a ${lower}`, request: { params: IdParam }, responses: { 200: jsonResponse(spec.api, `The ${lower}`), ...COMMON_ERRORS } }),
      async (c) => c.json(spec.toApi(await load(ctxOf(c), (validated(c, "param") as { id: string }).id)), 200),
    )
    .openapi(
      createRoute({ method: "patch", path: itemPath, tags: [tag], summary: `Update a ${lower}`, middleware: writeGuard, request: { params: IdParam, body: jsonBody(spec.patch) }, responses: { 200: jsonResponse(spec.api, `The updated ${lower}`), 409: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const ctx = ctxOf(c);
        const { id } = validated(c, "param") as { id: string };
        const current = await load(ctx, id);
        const changes = await spec.toUpdate(validated(c, "json") as z.output<Patch>, ctx, current);
        if (table.updatedAt) changes.updatedAt = new Date();
        const [row] = (await withUniqueAsConflict(ctx.db.update(table).set(changes).where(one(id, ctx.tenant.orgId)).returning(), conflict)) as Row[];
        if (!row) throw notFound(noun);
        return c.json(spec.toApi(row), 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: itemPath, tags: [tag], summary: `Delete a ${lower}`, middleware: writeGuard, request: { params: IdParam }, responses: { 204: { description: "Deleted" }, ...COMMON_ERRORS } }),
      async (c) => {
        const ctx = ctxOf(c);
        const deleted = await ctx.db.delete(table).where(one((validated(c, "param") as { id: string }).id, ctx.tenant.orgId)).returning({ id: table.id });
        if (deleted.length === 0) throw notFound(noun);
        return c.body(null, 204);
      },
    );
}
