import { z } from "zod";
import type { EmailPrompt } from "./email-prompt";

/**
 * What we ask the model for (`response_format: json_schema`, strict). Written out rather than
 * generated: strict mode accepts a subset of JSON Schema (no length bounds), which the zod schema
 * below then enforces on the answer.
 */
export const DRAFT_JSON_SCHEMA = {
  name: "email_draft",
  strict: true,
  schema: {
    type: "object",
    properties: {
      subject: { type: "string", description: "One line, under 80 characters." },
      body: { type: "string", description: "The plain-text email body, ready to send." },
    },
    required: ["subject", "body"],
    additionalProperties: false,
  },
} as const;

const ModelDraftSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(1)
    .max(150)
    .refine((subject) => !/[\r\n]/.test(subject), "the subject spans lines"),
  body: z.string().trim().min(20).max(5_000),
});

export type ModelDraft = { ok: true; subject: string; text: string } | { ok: false; reason: string };

const PLACEHOLDER = /\{\{[^}]*\}\}|\[(?:first[ _]?name|last[ _]?name|name|company|your name|ім['’]я|компанія)\]/i;
const PREAMBLE = /^(?:sure|certainly|of course|here is|here's|as an ai)\b/i;

/**
 * Reads the model's answer and refuses what must not reach a lead: not our JSON, a placeholder
 * left unfilled, chatter around the email, or any line of our own prompt (the seed's mistake).
 */
export function readModelDraft(content: string | null | undefined, prompt: EmailPrompt): ModelDraft {
  if (!content) return { ok: false, reason: "empty answer" };
  let json: unknown;
  try {
    // Some models fence JSON even in JSON mode.
    json = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
  } catch {
    return { ok: false, reason: "answer is not JSON" };
  }
  const parsed = ModelDraftSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `answer does not fit the draft schema: ${parsed.error.issues[0]?.message}` };
  const { subject, body } = parsed.data;
  const whole = `${subject}\n${body}`;
  if (promptLines(prompt).some((line) => whole.toLowerCase().includes(line))) {
    return { ok: false, reason: "the prompt leaked into the email" };
  }
  if (PLACEHOLDER.test(whole)) return { ok: false, reason: "unfilled placeholder" };
  if (PREAMBLE.test(body)) return { ok: false, reason: "commentary around the email" };
  return { ok: true, subject, text: body };
}

/**
 * Lines that only our prompt contains: every rule, and every label line of the facts. Quoted lines
 * (`> …`, the script and the thread) are left out: using the script's substance is the point.
 */
function promptLines(prompt: EmailPrompt): string[] {
  const rules = prompt.system.split("\n").filter((line) => line.length >= 24);
  const labels = prompt.user.split("\n").filter((line) => !line.startsWith(">") && line.length >= 12);
  return [...rules, ...labels].map((line) => line.trim().toLowerCase());
}
