import { createHmac } from "node:crypto";

/** Where Resend posts events, and the endpoint's signing secret (`whsec_<base64>`). */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** The envelope of every Resend webhook: https://resend.com/docs/webhooks/event-types */
export interface ResendEvent {
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

export interface WebhookDelivery {
  svixId: string;
  type: string;
  url: string;
  body: string;
  /** The receiver's status, or null when the request itself failed (`error` says why). */
  status: number | null;
  error: string | null;
  at: string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * Svix's scheme, written with node:crypto so the Worker's Web Crypto verifier is checked against
 * an independent implementation: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` keyed with
 * the base64-decoded secret. https://docs.svix.com/receiving/verifying-payloads/how-manual
 */
export function signSvix(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * Posts events one at a time, in the order they happened, as Svix does for one endpoint. A failed
 * delivery is logged, not retried: tests read the log instead of waiting out a retry schedule.
 */
export class WebhookOutbox {
  #target: WebhookTarget | null = null;
  #chain: Promise<void> = Promise.resolve();
  #log: WebhookDelivery[] = [];
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #closing = new AbortController();

  constructor(random: () => number, now: () => number) {
    this.#random = random;
    this.#now = now;
  }

  get target(): WebhookTarget | null {
    return this.#target;
  }

  setTarget(target: WebhookTarget | null): void {
    this.#target = target;
  }

  /** Queued for the target configured now; dropped when none is, as with no endpoint in Resend. */
  enqueue(event: ResendEvent): void {
    const target = this.#target;
    if (target === null) return;
    const svixId = `msg_2${Array.from({ length: 26 }, () => BASE62[Math.floor(this.#random() * 62)]).join("")}`;
    this.#chain = this.#chain.then(() => this.#deliver(target, svixId, event));
  }

  /** Resolves once every event queued so far has been delivered or has failed. */
  settled(): Promise<void> {
    return this.#chain;
  }

  deliveries(): WebhookDelivery[] {
    return this.#log.map((delivery) => ({ ...delivery }));
  }

  close(): Promise<void> {
    this.#closing.abort();
    return this.#chain;
  }

  async #deliver(target: WebhookTarget, svixId: string, event: ResendEvent): Promise<void> {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(this.#now() / 1000);
    const entry: WebhookDelivery = {
      svixId,
      type: event.type,
      url: target.url,
      body,
      status: null,
      error: null,
      at: new Date(this.#now()).toISOString(),
    };
    this.#log.push(entry);
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Svix-Webhooks/1.0 (sandbox)",
          "svix-id": svixId,
          "svix-timestamp": String(timestamp),
          "svix-signature": signSvix(target.secret, svixId, timestamp, body),
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.#closing.signal]),
      });
      entry.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
  }
}
