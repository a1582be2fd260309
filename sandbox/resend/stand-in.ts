import { randomBytes } from "node:crypto";
import type { EmailRequest } from "./send-request";
import { WebhookOutbox, type ResendEvent, type WebhookDelivery, type WebhookTarget } from "./webhook-outbox";

export type LastEvent = "sent" | "delivered" | "bounced" | "complained" | "suppressed";

export interface SentEmail extends EmailRequest {
  id: string;
  idempotencyKey: string | null;
  createdAt: string;
  lastEvent: LastEvent;
}

export interface InboundEmailInput {
  from: string;
  to: string | string[];
  subject: string;
  text?: string;
  html?: string;
  cc?: string[];
  /** E.g. `In-Reply-To`, as a reply carries it. */
  headers?: Record<string, string>;
}

/** What `GET /emails/receiving/:id` returns, as Resend stores an inbound email. */
export interface ReceivedEmail {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  messageId: string;
  createdAt: string;
}

export interface ResendStandInOptions {
  random: () => number;
  now?: () => number;
}

export interface ResendStandIn {
  /** A key for `.dev.vars`; the stand-in accepts any `re_…` bearer key. */
  readonly apiKey: string;
  /** Signs webhooks when a target is set without its own secret. */
  readonly webhookSecret: string;
  /** Emails accepted so far, oldest first; `to` filters by recipient. */
  sent(filter?: { to?: string }): SentEmail[];
  email(id: string): SentEmail | undefined;
  clearSent(): void;
  /** Where events go (null stops them); returns the target in force, secret included. */
  setWebhook(target: { url: string; secret?: string } | null): WebhookTarget | null;
  webhookTarget(): WebhookTarget | null;
  /** An email arriving at our inbound domain: stored, and announced as `email.received`. */
  receive(input: InboundEmailInput): ReceivedEmail;
  receivedEmail(id: string): ReceivedEmail | undefined;
  deliveries(): WebhookDelivery[];
  /** Resolves when every webhook queued so far has been delivered (or has failed). */
  settled(): Promise<void>;
  /** For the routes: records validated emails and queues their delivery events. */
  accept(emails: EmailRequest[], idempotencyKey: string | null): SentEmail[];
  close(): Promise<void>;
}

/**
 * The outcome Resend's test addresses simulate (https://resend.com/docs/dashboard/emails/send-test-emails),
 * by local part at any domain and with `+label` allowed: `bounced@…`, `complained@…`, `suppressed@…`.
 */
function outcomeFor(recipients: string[]): LastEvent {
  const locals = recipients.map((address) => address.split("@")[0]?.split("+")[0]?.toLowerCase() ?? "");
  if (locals.some((l) => l === "suppressed")) return "suppressed";
  if (locals.some((l) => l === "bounced" || l === "bounce")) return "bounced";
  if (locals.some((l) => l === "complained" || l === "complaint")) return "complained";
  return "delivered";
}

const EVENTS: Record<LastEvent, LastEvent[]> = {
  sent: ["sent"],
  delivered: ["sent", "delivered"],
  bounced: ["sent", "bounced"],
  complained: ["sent", "delivered", "complained"],
  suppressed: ["suppressed"],
};

export function createResendStandIn({ random, now = Date.now }: ResendStandInOptions): ResendStandIn {
  const outbox = new WebhookOutbox(random, now);
  const webhookSecret = `whsec_${randomBytes(24).toString("base64")}`;
  let sent: SentEmail[] = [];
  const received = new Map<string, ReceivedEmail>();
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
    hex[12] = "4";
    hex[16] = "89ab"[Math.floor(random() * 4)] ?? "8";
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  const iso = () => new Date(now()).toISOString();

  function announce(email: SentEmail): void {
    for (const step of EVENTS[outcomeFor(email.to)]) {
      email.lastEvent = step;
      const data: Record<string, unknown> = {
        created_at: email.createdAt,
        email_id: email.id,
        message_id: `<${email.id}@sandbox.resend.dev>`,
        from: email.from,
        to: email.to,
        subject: email.subject,
        tags: Object.fromEntries(email.tags.map((tag) => [tag.name, tag.value])),
      };
      if (step === "bounced") {
        data.bounce = { type: "Permanent", subType: "General", message: "The recipient's mail server rejected the email: no such mailbox." };
      }
      if (step === "suppressed") {
        data.suppressed = { type: "OnAccountSuppressionList", message: "The recipient is on the account's suppression list." };
      }
      outbox.enqueue({ type: `email.${step}`, created_at: iso(), data } satisfies ResendEvent);
    }
  }

  return {
    apiKey: `re_sandbox_${randomBytes(12).toString("hex")}`,
    webhookSecret,
    sent: (filter) =>
      sent.filter((email) => filter?.to === undefined || email.to.includes(filter.to)).map((email) => structuredClone(email)),
    email: (id) => {
      const email = sent.find((candidate) => candidate.id === id);
      return email && structuredClone(email);
    },
    clearSent: () => {
      sent = [];
    },
    setWebhook(target) {
      outbox.setTarget(target === null ? null : { url: target.url, secret: target.secret ?? webhookSecret });
      return outbox.target;
    },
    webhookTarget: () => outbox.target,
    receive(input) {
      const email: ReceivedEmail = {
        id: uuid(),
        from: input.from,
        to: Array.isArray(input.to) ? input.to : [input.to],
        cc: input.cc ?? [],
        subject: input.subject,
        text: input.text ?? null,
        html: input.html ?? null,
        headers: input.headers ?? {},
        messageId: `<${uuid()}@mail.sandbox.test>`,
        createdAt: iso(),
      };
      received.set(email.id, email);
      outbox.enqueue({
        type: "email.received",
        created_at: iso(),
        data: {
          email_id: email.id,
          created_at: email.createdAt,
          from: email.from,
          to: email.to,
          cc: email.cc,
          bcc: [],
          received_for: email.to,
          message_id: email.messageId,
          subject: email.subject,
          attachments: [],
        },
      });
      return email;
    },
    receivedEmail: (id) => received.get(id),
    deliveries: () => outbox.deliveries(),
    settled: () => outbox.settled(),
    accept(emails, idempotencyKey) {
      const accepted = emails.map((request) => {
        const email: SentEmail = { ...request, id: uuid(), idempotencyKey, createdAt: iso(), lastEvent: "sent" };
        sent.push(email);
        return email;
      });
      for (const email of accepted) announce(email);
      return accepted;
    },
    close: () => outbox.close(),
  };
}
