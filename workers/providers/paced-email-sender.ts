import { ProviderError, type EmailSender } from "./ports";

/** This send's turn on the provider account: wait `waitMs` then send, or come back later. */
export type SendTurn = { ok: true; waitMs: number } | { ok: false; retryAfterMs: number };

export interface SendTurns {
  next(): Promise<SendTurn>;
}

/**
 * Every email to Resend waits for its own instant on the account's schedule, so the account's
 * 2 requests a second hold for any one-second window, not just on average: the queue delivers
 * messages in bunches and the consumer sends a bunch side by side. Campaign sends, auto-replies
 * and test sends all go through here, since they share the one account.
 */
export function pacedEmailSender(sender: EmailSender, turns: SendTurns, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): EmailSender {
  return {
    async send(email, idempotencyKey, signal) {
      const turn = await turns.next();
      if (!turn.ok) {
        const seconds = Math.ceil(turn.retryAfterMs / 1000);
        throw new ProviderError("resend", `the account's send rate is booked for the next ${seconds} s`, true, 429, seconds);
      }
      if (turn.waitMs > 0) await sleep(turn.waitMs);
      if (signal?.aborted) throw signal.reason;
      return sender.send(email, idempotencyKey, signal);
    },
  };
}
