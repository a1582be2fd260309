/**
 * The one interface the pool speaks to Telegram through. Two implementations: `mtproto.ts`
 * (gramjs, the real MTProto network) and `stand-in/` (an in-process Telegram for dev and tests).
 *
 * Lifecycle: the pool creates one client per account, calls `connect(session)` once, then any
 * number of lookups and sends, then `disconnect()`. A login client is connected with `null`
 * (a fresh, unauthorised session), then `sendCode` → `signIn` → (maybe) `checkPassword`, and
 * `exportSession()` hands back the session string to keep.
 *
 * Failures are thrown as gramjs errors (`RPCError` with Telegram's `errorMessage`,
 * `FloodWaitError` with `seconds`) or the two errors below; `outcomes.ts` turns them into
 * answers, so both implementations are judged by one mapping.
 */
export interface Peer {
  userId: string;
  /** MTProto's per-account access hash for the user; "0" where the stand-in has none. */
  accessHash: string;
  username: string | null;
}

export interface TelegramUser {
  id: string;
  username: string | null;
  firstName: string | null;
  /** E.164, with the "+" Telegram leaves off. */
  phone: string | null;
}

export interface IncomingMessage {
  messageId: number;
  from: { userId: string; username: string | null; phone: string | null };
  text: string;
  date: Date;
}

export type SignInResult = { status: "signed_in"; user: TelegramUser } | { status: "password_needed"; hint: string | null };

export interface TelegramClientPort {
  /** `null` starts a fresh session for a login. Throws `InvalidSessionError` for a string that is no session. */
  connect(session: string | null): Promise<void>;
  disconnect(): Promise<void>;
  resolveUsername(username: string): Promise<Peer>;
  /** Finds the Telegram user behind a phone number (by importing it as a contact). */
  importPhone(phone: string): Promise<Peer>;
  /** Returns the new message's id. */
  sendMessage(peer: Peer, text: string): Promise<number>;
  sendCode(phone: string): Promise<void>;
  signIn(code: string): Promise<SignInResult>;
  checkPassword(password: string): Promise<TelegramUser>;
  exportSession(): string;
  /** New private messages from users to this account (not our own, not groups or channels). */
  onIncomingMessage(listener: (message: IncomingMessage) => void): void;
}

/** Makes a client for one account; the stand-in keys its per-account behaviour by `accountId`. */
export type ClientFactory = (accountId: string) => TelegramClientPort;

/** The session string cannot be read as a session at all. */
export class InvalidSessionError extends Error {
  constructor() {
    super("The session string is not a session");
    this.name = "InvalidSessionError";
  }
}

/** The username or phone belongs to no user we can write to (a channel, nobody on Telegram). */
export class PeerNotFoundError extends Error {
  constructor(what: string) {
    super(`${what} is not a Telegram user`);
    this.name = "PeerNotFoundError";
  }
}

/** The phone number has no Telegram account; creating one is out of the pool's scope. */
export class SignUpRequiredError extends Error {
  constructor() {
    super("This phone number has no Telegram account yet");
    this.name = "SignUpRequiredError";
  }
}
