import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";

/** A CSV upload's text, from a text/csv body or a multipart form's `file` field. */
export async function readCsv(c: Context<AppEnv>): Promise<string> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("text/csv") || type.startsWith("text/plain")) return c.req.text();
  if (type.startsWith("multipart/form-data")) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (file instanceof File) return file.text();
    throw new AppError("validation_failed", "Attach the CSV as the form field 'file'.", [{ field: "body.file", message: "missing file" }]);
  }
  throw new AppError("unsupported_media_type", "Send the CSV as text/csv or as multipart/form-data with a 'file' field.");
}
