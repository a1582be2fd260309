import type { Logger } from "./log.ts";
import { errorCode, errorDetail } from "./outcomes.ts";
import type { ClientFactory, Peer, TelegramClientPort } from "./port.ts";
import type { ReplyPoster } from "./replies.ts";
import { TtlCache } from "./ttl-cache.ts";

/** A resolved username or phone stays good for a day; Telegram asks clients not to re-resolve often. */
const PEER_TTL_MS = 24 * 60 * 60 * 1000;
const PEERS_PER_ACCOUNT = 10_000;

export interface LiveAccount {
  readonly accountId: string;
  readonly session: string;
  readonly client: TelegramClientPort;
  state: "connecting" | "connected";
  ready: Promise<void>;
  connectedAt: Date | null;
  lastUsedAt: Date | null;
  sentSinceConnect: number;
  readonly peers: TtlCache<string, Peer>;
  idleTimer: NodeJS.Timeout | undefined;
}

export interface PoolOptions {
  createClient: ClientFactory;
  replies: ReplyPoster;
  log: Logger;
  /** A client with no send and no incoming message for this long is disconnected. */
  idleDisconnectMs: number;
}

/**
 * The live Telegram clients, one per account, connected on first use from the session the
 * Worker sends along and kept connected (that is how replies are heard) until idle, replaced
 * when the session changes, or dropped when Telegram says the account is unusable.
 */
export class Pool {
  readonly #accounts = new Map<string, LiveAccount>();
  readonly #options: PoolOptions;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#accounts.size;
  }

  list(): LiveAccount[] {
    return [...this.#accounts.values()];
  }

  /** The connected client for this account and session, connecting it if need be. */
  async acquire(accountId: string, session: string): Promise<LiveAccount> {
    const existing = this.#accounts.get(accountId);
    if (existing && existing.session === session) {
      await existing.ready;
      return existing;
    }
    if (existing) {
      this.#options.log.info("session_replaced", { accountId });
      await this.forget(accountId);
    }
    const client = this.#options.createClient(accountId);
    const account = this.#track(accountId, session, client, "connecting");
    account.ready = client.connect(session).then(
      () => {
        account.state = "connected";
        account.connectedAt = new Date();
        this.#options.log.info("client_connected", { accountId });
      },
      async (error: unknown) => {
        this.#options.log.warn("client_connect_failed", { accountId, error: errorCode(error), message: errorDetail(error) });
        if (this.#accounts.get(accountId) === account) await this.forget(accountId);
        throw error;
      },
    );
    await account.ready;
    return account;
  }

  /** Takes over a client that is already connected and signed in (a login that just finished). */
  async adopt(accountId: string, session: string, client: TelegramClientPort): Promise<void> {
    if (this.#accounts.has(accountId)) await this.forget(accountId);
    const account = this.#track(accountId, session, client, "connected");
    account.connectedAt = new Date();
  }

  /** Marks the account as just used: it stays connected for another idle period. */
  touch(account: LiveAccount): void {
    account.lastUsedAt = new Date();
    this.#armIdleTimer(account);
  }

  async forget(accountId: string): Promise<boolean> {
    const account = this.#accounts.get(accountId);
    if (!account) return false;
    this.#accounts.delete(accountId);
    clearTimeout(account.idleTimer);
    try {
      await account.client.disconnect();
    } catch (error) {
      this.#options.log.warn("client_disconnect_failed", { accountId, error: errorCode(error) });
    }
    return true;
  }

  /** Forgets the account only if `account` is still the live one (a newer session may have replaced it). */
  async forgetIfCurrent(account: LiveAccount): Promise<void> {
    if (this.#accounts.get(account.accountId) === account) await this.forget(account.accountId);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#accounts.keys()].map((accountId) => this.forget(accountId)));
  }

  #track(accountId: string, session: string, client: TelegramClientPort, state: LiveAccount["state"]): LiveAccount {
    const account: LiveAccount = {
      accountId,
      session,
      client,
      state,
      ready: Promise.resolve(),
      connectedAt: null,
      lastUsedAt: null,
      sentSinceConnect: 0,
      peers: new TtlCache({ maxEntries: PEERS_PER_ACCOUNT, ttlMs: PEER_TTL_MS }),
      idleTimer: undefined,
    };
    client.onIncomingMessage((message) => {
      if (this.#accounts.get(accountId) !== account) return;
      this.#armIdleTimer(account);
      this.#options.replies.post(accountId, message);
    });
    this.#accounts.set(accountId, account);
    this.#armIdleTimer(account);
    return account;
  }

  #armIdleTimer(account: LiveAccount): void {
    clearTimeout(account.idleTimer);
    account.idleTimer = setTimeout(() => {
      if (this.#accounts.get(account.accountId) !== account) return;
      this.#options.log.info("client_idle_disconnect", { accountId: account.accountId });
      void this.forget(account.accountId);
    }, this.#options.idleDisconnectMs);
    account.idleTimer.unref();
  }
}
