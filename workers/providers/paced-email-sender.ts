import { ProviderError, type EmailSender, type OutboundEmail } from "./ports";

/** The account's word on sending now: yes, or not before `retryAt` (epoch ms). */
export type SendTurn = { ok: true } | { ok: false; retryAt: number };

export interface SendTurns {
  /** Asked for each email: the account's rate and, when the sending domain has one, its own pace. */
  ask(email: OutboundEmail): Promise<SendTurn>;
}

/** The longest a send waits for its turn in-process before handing the lead back to the queue. */
const MAX_WAIT_MS = 30_000;

/**
 * Every email to Resend asks the account's pacer right before it goes, so the account's 2 requests
 * a second hold in every one-second window, not just on average: the queue delivers messages in
 * bunches and the consumer sends a bunch side by side. Campaign sends, auto-replies and test sends
 * all go through here, since they share the one account.
 */
export function pacedEmailSender(sender: EmailSender, turns: SendTurns, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): EmailSender {
  return {
    async send(email, idempotencyKey, signal) {
      const started = Date.now();
      for (;;) {
        const turn = await turns.ask(email);
        if (turn.ok) break;
        if (turn.retryAt - started > MAX_WAIT_MS) {
          const seconds = Math.max(1, Math.ceil((turn.retryAt - Date.now()) / 1000));
          throw new ProviderError("resend", `the account's send rate is taken for the next ${seconds} s`, true, 429, seconds);
        }
        // A little jitter keeps the senders woken by the same refusal from asking all at once.
        await sleep(Math.max(0, turn.retryAt - Date.now()) + Math.floor(Math.random() * 25));
        if (signal?.aborted) throw signal.reason;
      }
      return sender.send(email, idempotencyKey, signal);
    },
  };
}
