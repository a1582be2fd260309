import { Api } from "telegram";
import { RPCError, RPCMessageToError } from "telegram/errors/index.js";
import { PeerNotFoundError, type ClientFactory, type IncomingMessage, type Peer, type SignInResult, type TelegramClientPort, type TelegramUser } from "../port.ts";
import { StandInRpcError, type StandInTelegram } from "./telegram.ts";

export function standInClientFactory(telegram: StandInTelegram): ClientFactory {
  return (accountId) => new StandInClient(telegram, accountId);
}

/**
 * A client of the in-process Telegram. It names each call by the TL request the real client
 * sends, and raises Telegram's refusals through gramjs's own RPCMessageToError, so the pool
 * sees exactly the error objects (FloodWaitError with seconds, RPCError with errorMessage) it
 * would see from gramjs.
 */
export class StandInClient implements TelegramClientPort {
  readonly #telegram: StandInTelegram;
  readonly #accountId: string;
  #connected = false;
  #session: string | null = null;
  #login: { phone: string; phoneCodeHash: string } | undefined;
  #listener: ((message: IncomingMessage) => void) | undefined;
  #unlisten: (() => void) | undefined;

  constructor(telegram: StandInTelegram, accountId: string) {
    this.#telegram = telegram;
    this.#accountId = accountId;
  }

  async connect(session: string | null): Promise<void> {
    if (session !== null) {
      this.#call(new Api.updates.GetState(), () => this.#telegram.checkSession(session));
      this.#session = session;
      this.#listen();
    }
    this.#connected = true;
  }

  async disconnect(): Promise<void> {
    this.#connected = false;
    this.#unlisten?.();
    this.#unlisten = undefined;
  }

  async resolveUsername(username: string): Promise<Peer> {
    return this.#call(new Api.contacts.ResolveUsername({ username }), () => this.#telegram.resolveUsername(this.#accountId, username));
  }

  async importPhone(phone: string): Promise<Peer> {
    const peer = this.#call(new Api.contacts.ImportContacts({ contacts: [] }), () => this.#telegram.importPhone(this.#accountId, phone));
    if (!peer) throw new PeerNotFoundError("The phone number");
    return peer;
  }

  async sendMessage(peer: Peer, text: string): Promise<number> {
    return this.#call(new Api.messages.SendMessage({ message: text }), () => this.#telegram.sendMessage(this.#accountId, peer, text));
  }

  async sendCode(phone: string): Promise<void> {
    const phoneCodeHash = this.#call(new Api.auth.SendCode({ phoneNumber: phone }), () => this.#telegram.sendCode(phone));
    this.#login = { phone, phoneCodeHash };
  }

  async signIn(code: string): Promise<SignInResult> {
    const login = this.#login;
    if (!login) throw new Error("signIn before sendCode");
    try {
      const { session, user } = this.#call(new Api.auth.SignIn({ phoneNumber: login.phone }), () =>
        this.#telegram.signIn(login.phone, login.phoneCodeHash, code),
      );
      return { status: "signed_in", user: this.#signedIn(session, user) };
    } catch (error) {
      if (!(error instanceof RPCError) || error.errorMessage !== "SESSION_PASSWORD_NEEDED") throw error;
      return { status: "password_needed", hint: this.#telegram.passwordHint() };
    }
  }

  async checkPassword(password: string): Promise<TelegramUser> {
    const login = this.#login;
    if (!login) throw new Error("checkPassword before sendCode");
    const { session, user } = this.#call(new Api.auth.CheckPassword({}), () => this.#telegram.checkPassword(login.phoneCodeHash, password));
    return this.#signedIn(session, user);
  }

  exportSession(): string {
    if (this.#session === null) throw new Error("exportSession before sign-in");
    return this.#session;
  }

  onIncomingMessage(listener: (message: IncomingMessage) => void): void {
    this.#listener = listener;
  }

  #signedIn(session: string, user: TelegramUser): TelegramUser {
    this.#session = session;
    this.#login = undefined;
    this.#listen();
    return user;
  }

  #listen(): void {
    this.#unlisten?.();
    this.#unlisten = this.#telegram.listen(this.#accountId, (message) => this.#listener?.(message));
  }

  #call<T>(request: Api.AnyRequest, run: () => T): T {
    if (!this.#connected && !(request instanceof Api.updates.GetState)) throw new Error("Cannot send requests while disconnected");
    try {
      return run();
    } catch (error) {
      if (!(error instanceof StandInRpcError)) throw error;
      throw RPCMessageToError(new Api.RpcError({ errorCode: error.errorCode, errorMessage: error.errorMessage }), request);
    }
  }
}
