/** Outcome of normalising one non-empty cell. */
export type FieldResult = { ok: true; value: string } | { ok: false; message: string };

export function accepted(value: string): FieldResult {
  return { ok: true, value };
}

export function rejected(message: string): FieldResult {
  return { ok: false, message };
}
