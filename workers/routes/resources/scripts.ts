import { z } from "@hono/zod-openapi";
import { scripts } from "../../../drizzle/schema";
import { crudRoutes } from "../crud";
import { iso, NON_BLANK, Timestamp } from "../shared";

const ObjectionHandler = z.strictObject({
  triggers: z.array(NON_BLANK(200)).min(1).max(20).openapi({ example: ["too expensive", "price"] }),
  response: NON_BLANK(2000).openapi({ example: "I hear you. Most teams pay for it from the first closed deal." }),
});

const Script = z
  .object({
    id: z.string(),
    name: z.string(),
    content: z.string(),
    objectionHandlers: z.array(ObjectionHandler),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Script");

const fields = {
  name: NON_BLANK(200),
  content: z.string().max(20_000),
  objectionHandlers: z.array(ObjectionHandler).max(50),
};
const ScriptCreate = z.strictObject({ ...fields, content: fields.content.default(""), objectionHandlers: fields.objectionHandlers.default([]) });
// No defaults in a PATCH: a field left out stays as it is.
const ScriptPatch = z.strictObject(fields).partial();

type Row = typeof scripts.$inferSelect;

export const scriptRoutes = crudRoutes({
  noun: "Script",
  tag: "Scripts",
  path: "/scripts",
  table: scripts,
  idKind: "script",
  api: Script,
  create: ScriptCreate,
  patch: ScriptPatch,
  toApi: (r: Row) => ({ id: r.id, name: r.name, content: r.content, objectionHandlers: r.objectionHandlers, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! }),
  toInsert: (input) => input,
  toUpdate: (input) => input,
});
