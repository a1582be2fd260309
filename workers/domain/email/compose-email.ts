import type { EmailDraft, OutboundEmail } from "../../providers/ports";
import { renderEmailHtml } from "./render-html";
import { footerFor, listUnsubscribeHeaders, type EmailLanguage } from "./unsubscribe-footer";

export interface ComposeEmailInput {
  draft: Pick<EmailDraft, "subject" | "text">;
  /** `Name <address@domain>` from the org's channel config. */
  from: string;
  to: string;
  language: EmailLanguage;
  /** `https://…/u/<signUnsubscribeToken(…)>`, and optionally a mailto for mail-only clients. */
  unsubscribe: { url: string; mailto?: string };
  /** The signed per-message `reply+…@` address, so a reply finds its message. */
  replyTo?: string;
  tags?: Record<string, string>;
}

/** The one place a draft becomes a sendable email: text + HTML with the footer, and the headers. */
export function composeOutboundEmail(input: ComposeEmailInput): OutboundEmail {
  const footer = footerFor(input.language);
  const body = input.draft.text.replace(/\r\n?/g, "\n").trim();
  return {
    from: input.from,
    to: input.to,
    ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    subject: singleLine(input.draft.subject),
    text: `${body}\n\n--\n${footer.note} ${footer.unsubscribe}: ${input.unsubscribe.url}`,
    html: renderEmailHtml({ text: body, language: input.language, unsubscribeUrl: input.unsubscribe.url }),
    headers: listUnsubscribeHeaders(input.unsubscribe),
    ...(input.tags === undefined ? {} : { tags: input.tags }),
  };
}

/** A subject is one header line: a newline in it would start a header of the sender's choosing. */
function singleLine(subject: string): string {
  return subject.replace(/[\r\n\t]+/g, " ").replace(/\s{2,}/g, " ").trim();
}
