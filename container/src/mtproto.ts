import { Api, TelegramClient } from "telegram";
import { RPCError } from "telegram/errors/index.js";
import { NewMessage, type NewMessageEvent } from "telegram/events/NewMessage.js";
import { Logger as GramLogger, LogLevel } from "telegram/extensions/Logger.js";
import { generateRandomBigInt, returnBigInt } from "telegram/Helpers.js";
import { computeCheck } from "telegram/Password.js";
import { StringSession } from "telegram/sessions/index.js";
import type { Logger } from "./log.ts";
import {
  InvalidSessionError,
  PeerNotFoundError,
  SignUpRequiredError,
  type ClientFactory,
  type IncomingMessage,
  type Peer,
  type SignInResult,
  type TelegramClientPort,
  type TelegramUser,
} from "./port.ts";

/** Telegram's own service account (login codes, security notices): never a lead's reply. */
const TELEGRAM_SERVICE_USER_ID = "777000";

export interface GramjsOptions {
  apiId: number;
  apiHash: string;
  log: Logger;
  /** Builds the gramjs client; tests pass one whose network calls are intercepted. */
  makeClient?: (session: StringSession, apiId: number, apiHash: string, log?: Logger) => TelegramClient;
}

/** gramjs's warnings and errors, as our JSON log lines instead of its coloured console output. */
class GramjsLogBridge extends GramLogger {
  readonly #log: Logger | undefined;

  constructor(log: Logger | undefined) {
    super(LogLevel.WARN);
    this.#log = log;
  }

  override log(level: LogLevel, message: string): void {
    if (!this.#log) return;
    if (level === LogLevel.ERROR) this.#log.error("gramjs", { message });
    else this.#log.warn("gramjs", { message });
  }
}

/** The client as the pool configures it; tests wrap this one and intercept its network calls. */
export function buildTelegramClient(session: StringSession, apiId: number, apiHash: string, log?: Logger): TelegramClient {
  return new TelegramClient(session, apiId, apiHash, {
    connectionRetries: 3,
    // gramjs sleeps through flood waits up to this many seconds inside invoke(); the Worker
    // schedules around them instead, so every FLOOD_WAIT is thrown at once.
    floodSleepThreshold: 0,
    autoReconnect: true,
    deviceModel: "Noir",
    appVersion: "1.0",
    systemVersion: "Linux",
    langCode: "en",
    baseLogger: new GramjsLogBridge(log),
  });
}

export function gramjsClientFactory(options: GramjsOptions): ClientFactory {
  return () => new GramjsClient(options);
}

/**
 * The real thing: one gramjs TelegramClient over MTProto, with the pool's operations spelled as
 * the TL calls they are (https://core.telegram.org/methods), so what goes on the wire is visible
 * here rather than inside gramjs's convenience helpers.
 */
export class GramjsClient implements TelegramClientPort {
  readonly #options: GramjsOptions;
  #session: StringSession | undefined;
  #client: TelegramClient | undefined;
  #listener: ((message: IncomingMessage) => void) | undefined;
  #login: { phone: string; phoneCodeHash: string } | undefined;

  constructor(options: GramjsOptions) {
    this.#options = options;
  }

  async connect(session: string | null): Promise<void> {
    try {
      this.#session = new StringSession(session ?? "");
    } catch {
      throw new InvalidSessionError();
    }
    const make = this.#options.makeClient ?? buildTelegramClient;
    const client = make(this.#session, this.#options.apiId, this.#options.apiHash, this.#options.log);
    this.#client = client;
    client.addEventHandler((event: NewMessageEvent) => this.#onNewMessage(event), new NewMessage({ incoming: true }));
    // gramjs answers false, rather than throwing, once its connection retries are spent.
    if (!(await client.connect())) throw new Error("Could not reach Telegram's data centre");
    // A signed-in session asks for the update state once: it proves the session is still
    // authorised (AUTH_KEY_UNREGISTERED otherwise) and tells Telegram to push updates to us.
    if (session) await client.invoke(new Api.updates.GetState());
  }

  async disconnect(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    // destroy(), not disconnect(): it also ends gramjs's ping loop and drops the handlers.
    await client?.destroy();
  }

  async resolveUsername(username: string): Promise<Peer> {
    const resolved = await this.#connected().invoke(new Api.contacts.ResolveUsername({ username }));
    if (!(resolved.peer instanceof Api.PeerUser)) throw new PeerNotFoundError(`@${username}`);
    const userId = resolved.peer.userId;
    const user = resolved.users.find((u): u is Api.User => u instanceof Api.User && u.id.equals(userId));
    if (!user) throw new PeerNotFoundError(`@${username}`);
    return toPeer(user);
  }

  async importPhone(phone: string): Promise<Peer> {
    const imported = await this.#connected().invoke(
      new Api.contacts.ImportContacts({
        contacts: [new Api.InputPhoneContact({ clientId: generateRandomBigInt(), phone, firstName: phone, lastName: "" })],
      }),
    );
    const userId = imported.imported[0]?.userId;
    const user = userId && imported.users.find((u): u is Api.User => u instanceof Api.User && u.id.equals(userId));
    if (!user) throw new PeerNotFoundError("The phone number");
    return toPeer(user);
  }

  async sendMessage(peer: Peer, text: string): Promise<number> {
    const randomId = generateRandomBigInt();
    const updates = await this.#connected().invoke(
      new Api.messages.SendMessage({
        peer: new Api.InputPeerUser({ userId: returnBigInt(peer.userId), accessHash: returnBigInt(peer.accessHash) }),
        message: text,
        randomId,
      }),
    );
    // A private-chat send usually comes back as updateShortSentMessage; otherwise the new id is
    // paired with our randomId in updateMessageID (https://core.telegram.org/api/updates).
    if (updates instanceof Api.UpdateShortSentMessage) return updates.id;
    if (updates instanceof Api.Updates || updates instanceof Api.UpdatesCombined) {
      for (const update of updates.updates) {
        if (update instanceof Api.UpdateMessageID && update.randomId?.equals(randomId)) return update.id;
      }
      for (const update of updates.updates) {
        if (update instanceof Api.UpdateNewMessage) return update.message.id;
      }
    }
    throw new Error(`messages.SendMessage answered ${updates.className} without a message id`);
  }

  async sendCode(phone: string): Promise<void> {
    const sent = await this.#connected().invoke(
      new Api.auth.SendCode({ phoneNumber: phone, apiId: this.#options.apiId, apiHash: this.#options.apiHash, settings: new Api.CodeSettings({}) }),
    );
    if (!(sent instanceof Api.auth.SentCode)) throw new Error("auth.SendCode signed in without a code");
    this.#login = { phone, phoneCodeHash: sent.phoneCodeHash };
  }

  async signIn(code: string): Promise<SignInResult> {
    if (!this.#login) throw new Error("signIn before sendCode");
    const client = this.#connected();
    try {
      const authorization = await client.invoke(
        new Api.auth.SignIn({ phoneNumber: this.#login.phone, phoneCodeHash: this.#login.phoneCodeHash, phoneCode: code }),
      );
      if (authorization instanceof Api.auth.AuthorizationSignUpRequired) throw new SignUpRequiredError();
      return { status: "signed_in", user: await this.#signedIn(authorization.user) };
    } catch (error) {
      if (!(error instanceof RPCError) || error.errorMessage !== "SESSION_PASSWORD_NEEDED") throw error;
      const password = await client.invoke(new Api.account.GetPassword());
      return { status: "password_needed", hint: password.hint ?? null };
    }
  }

  async checkPassword(password: string): Promise<TelegramUser> {
    const client = this.#connected();
    // SRP parameters are single-use: fetch them fresh for every attempt (https://core.telegram.org/api/srp).
    const params = await client.invoke(new Api.account.GetPassword());
    const check = await computeCheck(params, password);
    const authorization = await client.invoke(new Api.auth.CheckPassword({ password: check }));
    if (authorization instanceof Api.auth.AuthorizationSignUpRequired) throw new SignUpRequiredError();
    return this.#signedIn(authorization.user);
  }

  /** The new session starts its update state, so replies to this account reach us from now on. */
  async #signedIn(user: Api.TypeUser): Promise<TelegramUser> {
    await this.#connected().invoke(new Api.updates.GetState());
    return toUser(user);
  }

  exportSession(): string {
    const session = this.#session?.save();
    if (!session) throw new Error("The client holds no authorisation key to export");
    return session;
  }

  onIncomingMessage(listener: (message: IncomingMessage) => void): void {
    this.#listener = listener;
  }

  #connected(): TelegramClient {
    if (!this.#client) throw new Error("The client is not connected");
    return this.#client;
  }

  async #onNewMessage(event: NewMessageEvent): Promise<void> {
    const message = event.message;
    if (message.out || !(message.peerId instanceof Api.PeerUser)) return;
    const fromId = message.senderId?.toString() ?? message.peerId.userId.toString();
    if (fromId === TELEGRAM_SERVICE_USER_ID) return;
    let sender: Api.TypeUser | undefined;
    try {
      const found = await message.getSender();
      if (found instanceof Api.User || found instanceof Api.UserEmpty) sender = found;
    } catch (error) {
      // Short updates carry no user object; the id alone still identifies the lead.
      this.#options.log.warn("reply_sender_unknown", { error: error instanceof Error ? error.name : "unknown" });
    }
    if (sender instanceof Api.User && sender.bot) return;
    const user = sender instanceof Api.User ? sender : undefined;
    this.#listener?.({
      messageId: message.id,
      from: { userId: fromId, username: user ? usernameOf(user) : null, phone: user?.phone ? `+${user.phone}` : null },
      text: message.message ?? "",
      date: new Date(message.date * 1000),
    });
  }
}

function usernameOf(user: Api.User): string | null {
  if (user.username) return user.username;
  for (const name of user.usernames ?? []) if (name.active) return name.username;
  return null;
}

function toPeer(user: Api.User): Peer {
  return { userId: user.id.toString(), accessHash: user.accessHash?.toString() ?? "0", username: usernameOf(user) };
}

function toUser(user: Api.TypeUser): TelegramUser {
  if (!(user instanceof Api.User)) return { id: user.id.toString(), username: null, firstName: null, phone: null };
  return { id: user.id.toString(), username: usernameOf(user), firstName: user.firstName ?? null, phone: user.phone ? `+${user.phone}` : null };
}
