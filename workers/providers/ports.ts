/**
 * What the engine needs from the outside world. Each port has one real adapter that speaks the
 * provider's wire protocol to a configurable base URL (the sandbox locally), chosen in
 * registry.ts. Domain and queue code depend on these interfaces only.
 */

/** A provider refused or failed. `retryable` decides between trying again and the next channel. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** When the provider (or our own pacing) said how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type EmailKind = "initial" | "followup" | "final" | "reply";

/** Everything the writer may use; it must never be sent to the lead as is. */
export interface EmailBrief {
  kind: EmailKind;
  /** Where the text goes: an email (the default) or a Telegram direct message, which is shorter and has no sign-off block. */
  medium?: "email" | "telegram";
  language: "uk" | "en" | "uk-en" | "de" | "pl" | "fr" | "es";
  personality: "professional" | "friendly" | "assertive" | "empathetic" | "casual";
  script: { name: string; content: string; objectionHandlers: { triggers: string[]; response: string }[] } | null;
  lead: { firstName: string | null; lastName: string | null; company: string | null };
  sender: { name: string; company: string };
  /** For follow-ups and replies: the thread so far, oldest first. */
  thread?: { from: "us" | "lead"; subject: string | null; text: string }[];
}

export interface EmailDraft {
  subject: string;
  /** Plain text body; the sender renders the HTML from it. */
  text: string;
  /** "llm" when the model wrote it, "fallback" when the template did because the model failed. */
  source: "llm" | "fallback";
}

export interface EmailWriter {
  write(brief: EmailBrief, signal?: AbortSignal): Promise<EmailDraft>;
}

export interface OutboundEmail {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  tags?: Record<string, string>;
}

export interface EmailSender {
  /** Sends once per idempotency key: a repeat with the same key never sends a second email. */
  send(email: OutboundEmail, idempotencyKey: string, signal?: AbortSignal): Promise<{ providerMessageId: string }>;
}
