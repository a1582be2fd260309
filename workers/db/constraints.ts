import { AppError, type FieldError } from "../errors";

/** D1 reports constraint failures as plain errors; map unique violations to a 409 for the caller. */
export async function withUniqueAsConflict<T>(work: Promise<T>, detail: string, errors: FieldError[] = []): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const text = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
    if (text.includes("UNIQUE constraint failed")) throw new AppError("conflict", detail, errors);
    throw err;
  }
}
