import { poolRequestHeaders } from "./auth.ts";
import type { Logger } from "./log.ts";
import type { IncomingMessage } from "./port.ts";

export const WEBHOOK_PATH = "/api/webhook/telegram";

export interface ReplyBody {
  accountId: string;
  messageId: number;
  from: { userId: string; username: string | null; phone: string | null };
  text: string;
  date: string;
}

export interface ReplyPosterOptions {
  secret: string;
  /** Read at each post, so tests can point the pool at a Worker started after it. */
  workerUrl: () => string | undefined;
  log: Logger;
  /** Waits before the 2nd, 3rd… try. Three tries in all by default. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

/**
 * Posts each incoming message to the Worker's Telegram webhook, signed like the Worker's calls
 * to us. A network error or a 5xx is tried again after a pause; a 4xx means the Worker read the
 * request and refused it, so trying again would only repeat the refusal. Three tries with fixed
 * pauses are a few lines: not worth a retry library in the image.
 */
export class ReplyPoster {
  readonly #options: Required<ReplyPosterOptions>;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: ReplyPosterOptions) {
    this.#options = { retryDelaysMs: [1_000, 5_000], timeoutMs: 10_000, ...options };
  }

  post(accountId: string, message: IncomingMessage): void {
    const body: ReplyBody = {
      accountId,
      messageId: message.messageId,
      from: message.from,
      text: message.text,
      date: message.date.toISOString(),
    };
    const delivery = this.#deliver(body).finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
  }

  /** Resolves when every post started so far has been delivered or given up. */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }

  async #deliver(body: ReplyBody): Promise<void> {
    const { log, secret, retryDelaysMs, timeoutMs } = this.#options;
    const base = this.#options.workerUrl();
    const where = { accountId: body.accountId, messageId: body.messageId };
    if (!base) {
      log.warn("reply_dropped_no_worker_url", where);
      return;
    }
    const url = `${base.replace(/\/+$/, "")}${WEBHOOK_PATH}`;
    const raw = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      let outcome: string;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...poolRequestHeaders(secret, { method: "POST", path: WEBHOOK_PATH, body: raw }) },
          body: raw,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) {
          log.info("reply_delivered", { ...where, attempt });
          return;
        }
        if (response.status < 500) {
          log.error("reply_refused", { ...where, attempt, status: response.status });
          return;
        }
        outcome = `status ${response.status}`;
      } catch (error) {
        outcome = error instanceof Error ? error.message : "network error";
      }
      const pause = retryDelaysMs[attempt - 1];
      if (pause === undefined) {
        log.error("reply_undelivered", { ...where, attempts: attempt, last: outcome });
        return;
      }
      log.warn("reply_retry", { ...where, attempt, last: outcome });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
