import { sql } from "drizzle-orm";
import { check, integer, text, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

/** Sortable string ids (ULIDs with a type prefix) are generated in the Worker, see workers/db/ids.ts. */
export const id = () => text("id").primaryKey();

export const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/** A CHECK that a text column holds one of a fixed set of values (SQLite has no enums). */
export function oneOf(name: string, column: AnySQLiteColumn, values: readonly string[]) {
  const list = values.map((v) => `'${v}'`).join(", ");
  return check(name, sql`${column} IN (${sql.raw(list)})`);
}
