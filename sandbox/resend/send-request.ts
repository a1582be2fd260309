import { z } from "zod";

/** One email as Resend's `POST /emails` takes it, after validation. */
export interface EmailRequest {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
}

export type Validation = { ok: true; email: EmailRequest } | { ok: false; status: number; name: string; message: string };

const ADDRESS = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
/** `email@example.com` or `Name <email@example.com>`, as Resend's `from` error message says. */
const FROM = /^(?:[^<>]*<[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+>|[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+)$/;
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_RECIPIENTS = 50;

const addresses = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

// Unknown fields (attachments, scheduled_at…) are accepted and ignored, as the stand-in does not deliver them.
const EmailSchema = z.object({
  from: z.string(),
  to: addresses,
  subject: z.string(),
  cc: addresses.optional(),
  bcc: addresses.optional(),
  reply_to: addresses.optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

/**
 * Resend answers 422 `missing_required_field` for an absent field and 422 `validation_error` for a
 * bad one, naming the field in backticks the way its messages do.
 */
export function validateEmail(body: unknown): Validation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return invalid("validation_error", "The request body must be a JSON object.");
  }
  for (const field of ["from", "to", "subject"] as const) {
    if (!(field in body)) return { ok: false, status: 422, name: "missing_required_field", message: `Missing \`${field}\` field.` };
  }
  const parsed = EmailSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid("validation_error", `Invalid \`${String(issue?.path[0] ?? "body")}\` field. ${issue?.message ?? ""}`.trim());
  }
  const data = parsed.data;
  if (!FROM.test(data.from.trim())) {
    return invalid(
      "validation_error",
      "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    );
  }
  for (const [field, list] of [["to", data.to], ["cc", data.cc ?? []], ["bcc", data.bcc ?? []], ["reply_to", data.reply_to ?? []]] as const) {
    const bad = list.find((address) => !ADDRESS.test(address.trim()));
    if (bad !== undefined) return invalid("validation_error", `Invalid \`${field}\` field. \`${bad}\` is not a valid email address.`);
  }
  if (data.to.length === 0) return { ok: false, status: 422, name: "missing_required_field", message: "Missing `to` field." };
  if (data.to.length > MAX_RECIPIENTS) return invalid("validation_error", `Too many recipients: \`to\` takes at most ${MAX_RECIPIENTS}.`);
  if (data.subject.trim() === "") return invalid("validation_error", "The `subject` field must not be empty.");
  if (data.html === undefined && data.text === undefined) {
    return { ok: false, status: 422, name: "missing_required_field", message: "Missing `html` or `text` field." };
  }
  if (data.tags?.some((tag) => !TAG_PART.test(tag.name) || !TAG_PART.test(tag.value))) {
    return invalid("validation_error", "Tag names and values can only contain ASCII letters, numbers, underscores, or dashes.");
  }
  return {
    ok: true,
    email: {
      from: data.from.trim(),
      to: data.to.map((a) => a.trim()),
      cc: data.cc ?? [],
      bcc: data.bcc ?? [],
      replyTo: data.reply_to ?? [],
      subject: data.subject,
      html: data.html ?? null,
      text: data.text ?? null,
      headers: data.headers ?? {},
      tags: data.tags ?? [],
    },
  };
}

function invalid(name: string, message: string): Validation {
  return { ok: false, status: 422, name, message };
}
