import type { Logger } from "./log.ts";
import { accountIsUnusable, errorCode, errorDetail, sendFailure, UnexpectedTelegramError, type SendOutcome } from "./outcomes.ts";
import type { Pool } from "./pool.ts";
import { TtlCache } from "./ttl-cache.ts";

export interface SendRequest {
  accountId: string;
  session: string;
  to: { username: string } | { phone: string };
  text: string;
  idempotencyKey: string;
}

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_MAX_KEYS = 50_000;

/**
 * One message to one lead: find the account's client, find the lead (cached per account), send.
 *
 * Idempotency: a key that already sent returns that first answer for 24 hours, and a repeat
 * that arrives while the first is still in flight waits for it. Answers that sent nothing
 * (flood_wait, user_not_found…) are not remembered, so the Worker can try the same key again
 * after the wait without being told "flood_wait" for a day.
 */
export class Sender {
  readonly #pool: Pool;
  readonly #log: Logger;
  readonly #sent = new TtlCache<string, SendOutcome>({ maxEntries: IDEMPOTENCY_MAX_KEYS, ttlMs: IDEMPOTENCY_TTL_MS });
  readonly #inFlight = new Map<string, Promise<SendOutcome>>();

  constructor(pool: Pool, log: Logger) {
    this.#pool = pool;
    this.#log = log;
  }

  send(request: SendRequest): Promise<SendOutcome> {
    const remembered = this.#sent.get(request.idempotencyKey);
    if (remembered) return Promise.resolve(remembered);
    const running = this.#inFlight.get(request.idempotencyKey);
    if (running) return running;
    const attempt = this.#sendOnce(request)
      .then((outcome) => {
        if (outcome.outcome === "sent") this.#sent.set(request.idempotencyKey, outcome);
        return outcome;
      })
      .finally(() => this.#inFlight.delete(request.idempotencyKey));
    this.#inFlight.set(request.idempotencyKey, attempt);
    return attempt;
  }

  async #sendOnce(request: SendRequest): Promise<SendOutcome> {
    const { accountId } = request;
    let account;
    try {
      account = await this.#pool.acquire(accountId, request.session);
    } catch (error) {
      return this.#failed(accountId, error);
    }
    const peerKey = "username" in request.to ? `u:${request.to.username.toLowerCase()}` : `p:${request.to.phone}`;
    try {
      let peer = account.peers.get(peerKey);
      if (!peer) {
        peer = "username" in request.to ? await account.client.resolveUsername(request.to.username) : await account.client.importPhone(request.to.phone);
        account.peers.set(peerKey, peer);
      }
      const messageId = await account.client.sendMessage(peer, request.text);
      account.sentSinceConnect += 1;
      this.#pool.touch(account);
      this.#log.info("message_sent", { accountId, messageId });
      return { outcome: "sent", messageId, peer: { userId: peer.userId, username: peer.username } };
    } catch (error) {
      // A lead who changed or dropped their username must be looked up afresh next time.
      account.peers.delete(peerKey);
      const outcome = this.#failed(accountId, error);
      if (accountIsUnusable(outcome)) await this.#pool.forgetIfCurrent(account);
      else this.#pool.touch(account);
      return outcome;
    }
  }

  #failed(accountId: string, error: unknown): Exclude<SendOutcome, { outcome: "sent" }> {
    const failure = sendFailure(error);
    if (!failure) {
      this.#log.error("send_failed_unexpectedly", { accountId, error: errorCode(error), message: errorDetail(error) });
      throw new UnexpectedTelegramError(errorCode(error));
    }
    this.#log.info("send_not_delivered", { accountId, outcome: failure.outcome, ...("seconds" in failure ? { seconds: failure.seconds } : {}) });
    return failure;
  }
}
