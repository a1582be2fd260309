import { randomBytes } from "node:crypto";
import type { IncomingMessage, Peer, TelegramUser } from "../port.ts";
import {
  accountUser,
  cannedReply,
  CODE_FLOOD_SECONDS,
  EXPIRED_LOGIN_CODE,
  LOGIN_CODE,
  lookUpLoginPhone,
  lookUpPhone,
  lookUpUsername,
  TWO_FACTOR_HINT,
  TWO_FACTOR_PASSWORD,
  type DirectoryUser,
} from "./directory.ts";
import { SessionMint } from "./sessions.ts";

/** What Telegram answers on failure: an error code and its RPC error string. */
export class StandInRpcError extends Error {
  readonly errorCode: number;
  readonly errorMessage: string;

  constructor(errorCode: number, errorMessage: string) {
    super(errorMessage);
    this.name = "StandInRpcError";
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
  }
}

export interface Behaviour {
  /** A send sooner than this after the account's previous send gets FLOOD_WAIT_<remaining>. */
  minGapSeconds: number;
  /** Sends beyond this many in a UTC day get PEER_FLOOD (Telegram's spam limit). */
  dailyPeerFloodAfter: number;
  /** Accounts (pool accountIds) Telegram has banned: every call gets USER_DEACTIVATED_BAN. */
  banned: string[];
  /** How long a lead who answers takes to answer. */
  replyDelayMs: number;
}

export const DEFAULT_BEHAVIOUR: Behaviour = { minGapSeconds: 20, dailyPeerFloodAfter: 50, banned: [], replyDelayMs: 2_000 };

export interface SentRecord {
  messageId: number;
  to: { userId: string; username: string | null; phone: string | null };
  text: string;
  at: string;
}

interface AccountState {
  lastSentAt: number | null;
  day: string;
  sentToday: number;
  nextMessageId: number;
  sent: SentRecord[];
  listeners: Set<(message: IncomingMessage) => void>;
}

interface PendingCode {
  phone: string;
  twoFactor: boolean;
  passwordNeeded: boolean;
}

/**
 * An in-process Telegram, as much of it as the pool touches: a directory of made-up users
 * (directory.ts), the per-account flood limits, message ids, replies from leads, and logins
 * with codes and two-step verification. Keyed by the pool's accountId, which the stand-in's
 * clients are made with, so the control routes can speak of accounts as the Worker does.
 */
export class StandInTelegram {
  readonly #mint: SessionMint;
  readonly #initial: Behaviour;
  readonly #now: () => number;
  #behaviour: Behaviour;
  readonly #accounts = new Map<string, AccountState>();
  readonly #codes = new Map<string, PendingCode>();
  readonly #users = new Map<string, DirectoryUser>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: { secret: string; behaviour?: Partial<Behaviour>; now?: () => number }) {
    this.#mint = new SessionMint(options.secret);
    this.#initial = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
    this.#behaviour = { ...this.#initial };
    this.#now = options.now ?? Date.now;
  }

  get behaviour(): Behaviour {
    return { ...this.#behaviour, banned: [...this.#behaviour.banned] };
  }

  setBehaviour(change: Partial<Behaviour>): Behaviour {
    this.#behaviour = { ...this.#behaviour, ...change };
    return this.behaviour;
  }

  /** Back to the behaviour it started with; forgets sends, flood counters, codes and pending replies. */
  reset(): void {
    this.#behaviour = { ...this.#initial };
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#codes.clear();
    for (const account of this.#accounts.values()) {
      Object.assign(account, { lastSentAt: null, sentToday: 0, sent: [] });
    }
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  sent(): Record<string, SentRecord[]> {
    const byAccount: Record<string, SentRecord[]> = {};
    for (const [accountId, account] of this.#accounts) if (account.sent.length) byAccount[accountId] = [...account.sent];
    return byAccount;
  }

  // --- sessions and updates -------------------------------------------------------------

  /** updates.getState on a session: fine for our own sessions, AUTH_KEY_UNREGISTERED otherwise. */
  checkSession(session: string): void {
    if (!this.#mint.read(session)) throw new StandInRpcError(401, "AUTH_KEY_UNREGISTERED");
  }

  listen(accountId: string, listener: (message: IncomingMessage) => void): () => void {
    const account = this.#account(accountId);
    account.listeners.add(listener);
    return () => account.listeners.delete(listener);
  }

  /** A lead writes to the account. Returns whether a connected client was there to hear it. */
  deliverFrom(accountId: string, user: DirectoryUser, text: string): { delivered: boolean; messageId: number } {
    const account = this.#account(accountId);
    const messageId = account.nextMessageId++;
    const message: IncomingMessage = {
      messageId,
      from: { userId: user.userId, username: user.username, phone: user.phone },
      text,
      date: new Date(Math.floor(this.#now() / 1000) * 1000),
    };
    for (const listener of account.listeners) listener(message);
    return { delivered: account.listeners.size > 0, messageId };
  }

  // --- leads ------------------------------------------------------------------------------

  resolveUsername(accountId: string, username: string): Peer {
    this.#refuseBanned(accountId);
    const found = lookUpUsername(username);
    if (found.kind === "invalid") throw new StandInRpcError(400, "USERNAME_INVALID");
    if (found.kind === "not_occupied") throw new StandInRpcError(400, "USERNAME_NOT_OCCUPIED");
    return this.#remember(found.user);
  }

  /** The user behind a lead's phone, or null (contacts.importContacts imports nobody). */
  importPhone(accountId: string, phone: string): Peer | null {
    this.#refuseBanned(accountId);
    const user = lookUpPhone(phone);
    return user ? this.#remember(user) : null;
  }

  sendMessage(accountId: string, peer: Peer, text: string): number {
    this.#refuseBanned(accountId);
    const user = this.#users.get(peer.userId);
    if (!user || user.accessHash !== peer.accessHash) throw new StandInRpcError(400, "PEER_ID_INVALID");
    const account = this.#account(accountId);
    const now = this.#now();
    const today = new Date(now).toISOString().slice(0, 10);
    if (account.day !== today) Object.assign(account, { day: today, sentToday: 0 });
    if (account.sentToday >= this.#behaviour.dailyPeerFloodAfter) throw new StandInRpcError(400, "PEER_FLOOD");
    const { minGapSeconds } = this.#behaviour;
    if (account.lastSentAt !== null && now - account.lastSentAt < minGapSeconds * 1000) {
      const remaining = Math.ceil((account.lastSentAt + minGapSeconds * 1000 - now) / 1000);
      throw new StandInRpcError(420, `FLOOD_WAIT_${remaining}`);
    }
    if (!user.acceptsStrangers) throw new StandInRpcError(403, "USER_PRIVACY_RESTRICTED");
    const messageId = account.nextMessageId++;
    account.lastSentAt = now;
    account.sentToday += 1;
    account.sent.push({
      messageId,
      to: { userId: user.userId, username: user.username, phone: user.phone },
      text,
      at: new Date(now).toISOString(),
    });
    if (user.replies) this.#replyLater(accountId, user, account.sent.filter((s) => s.to.userId === user.userId).length - 1);
    return messageId;
  }

  /** A lead by username, for the control route that injects replies. */
  leadByUsername(username: string): DirectoryUser | null {
    const found = lookUpUsername(username);
    return found.kind === "user" ? found.user : null;
  }

  // --- logins -----------------------------------------------------------------------------

  sendCode(phone: string): string {
    const found = lookUpLoginPhone(phone);
    if (found.kind === "invalid") throw new StandInRpcError(400, "PHONE_NUMBER_INVALID");
    if (found.kind === "flood") throw new StandInRpcError(420, `FLOOD_WAIT_${CODE_FLOOD_SECONDS}`);
    const phoneCodeHash = randomBytes(8).toString("hex");
    this.#codes.set(phoneCodeHash, { phone, twoFactor: found.twoFactor, passwordNeeded: false });
    return phoneCodeHash;
  }

  signIn(phone: string, phoneCodeHash: string, code: string): { session: string; user: TelegramUser } {
    const pending = this.#codes.get(phoneCodeHash);
    if (!pending || pending.phone !== phone || code === EXPIRED_LOGIN_CODE) throw new StandInRpcError(400, "PHONE_CODE_EXPIRED");
    if (code !== LOGIN_CODE) throw new StandInRpcError(400, "PHONE_CODE_INVALID");
    if (pending.twoFactor) {
      pending.passwordNeeded = true;
      throw new StandInRpcError(401, "SESSION_PASSWORD_NEEDED");
    }
    this.#codes.delete(phoneCodeHash);
    return this.#authorize(phone);
  }

  passwordHint(): string {
    return TWO_FACTOR_HINT;
  }

  checkPassword(phoneCodeHash: string, password: string): { session: string; user: TelegramUser } {
    const pending = this.#codes.get(phoneCodeHash);
    if (!pending?.passwordNeeded) throw new StandInRpcError(401, "AUTH_KEY_UNREGISTERED");
    if (password !== TWO_FACTOR_PASSWORD) throw new StandInRpcError(400, "PASSWORD_HASH_INVALID");
    this.#codes.delete(phoneCodeHash);
    return this.#authorize(pending.phone);
  }

  // ---------------------------------------------------------------------------------------

  #authorize(phone: string): { session: string; user: TelegramUser } {
    return { session: this.#mint.issue({ phone }), user: accountUser(phone) };
  }

  #refuseBanned(accountId: string): void {
    if (this.#behaviour.banned.includes(accountId)) throw new StandInRpcError(400, "USER_DEACTIVATED_BAN");
  }

  #remember(user: DirectoryUser): Peer {
    this.#users.set(user.userId, user);
    return { userId: user.userId, accessHash: user.accessHash, username: user.username };
  }

  #replyLater(accountId: string, user: DirectoryUser, nth: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.deliverFrom(accountId, user, cannedReply(user.userId, nth));
    }, this.#behaviour.replyDelayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  #account(accountId: string): AccountState {
    let account = this.#accounts.get(accountId);
    if (!account) {
      account = { lastSentAt: null, day: "", sentToday: 0, nextMessageId: 1, sent: [], listeners: new Set() };
      this.#accounts.set(accountId, account);
    }
    return account;
  }
}
