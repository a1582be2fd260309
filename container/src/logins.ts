import type { Logger } from "./log.ts";
import { addFailure, errorCode, errorDetail, floodSeconds, UnexpectedTelegramError, verifyFailure, type AddFailure, type VerifyFailure } from "./outcomes.ts";
import type { Pool } from "./pool.ts";
import { SignUpRequiredError, type ClientFactory, type TelegramClientPort, type TelegramUser } from "./port.ts";
import { PoolError } from "./problem.ts";

/** How long a half-finished login (code sent, not yet entered) is held. */
const LOGIN_TTL_MS = 10 * 60 * 1000;

export type AddResult = { status: "code_sent" } | AddFailure;
export type VerifyResult =
  | { status: "password_needed"; hint: string | null }
  | { status: "signed_in"; session: string; user: TelegramUser }
  | VerifyFailure;

interface PendingLogin {
  accountId: string;
  client: TelegramClientPort;
  stage: "code" | "password";
  startedAt: Date;
  busy: boolean;
  timer: NodeJS.Timeout;
}

/**
 * Adding an account: send the login code to the phone, then take the code (and the 2FA
 * password if the account has one). The half-logged-in client is held here, keyed by account,
 * because Telegram ties the code to that connection's phoneCodeHash. Signed in, the client moves
 * into the pool already connected, so replies to that account are heard from then on.
 */
export class Logins {
  readonly #pending = new Map<string, PendingLogin>();
  readonly #createClient: ClientFactory;
  readonly #pool: Pool;
  readonly #log: Logger;

  constructor(options: { createClient: ClientFactory; pool: Pool; log: Logger }) {
    this.#createClient = options.createClient;
    this.#pool = options.pool;
    this.#log = options.log;
  }

  get size(): number {
    return this.#pending.size;
  }

  list(): { accountId: string; startedAt: Date }[] {
    return [...this.#pending.values()].map(({ accountId, startedAt }) => ({ accountId, startedAt }));
  }

  async add(accountId: string, phone: string): Promise<AddResult> {
    await this.forget(accountId);
    const client = this.#createClient(accountId);
    try {
      await client.connect(null);
      await client.sendCode(phone);
    } catch (error) {
      await disconnectQuietly(client);
      const failure = addFailure(error);
      if (failure) {
        this.#log.info("login_code_not_sent", { accountId, status: failure.status });
        return failure;
      }
      this.#log.error("login_code_failed", { accountId, error: errorCode(error), message: errorDetail(error) });
      throw new UnexpectedTelegramError(errorCode(error));
    }
    const timer = setTimeout(() => {
      this.#log.info("login_expired", { accountId });
      void this.forget(accountId);
    }, LOGIN_TTL_MS);
    timer.unref();
    this.#pending.set(accountId, { accountId, client, stage: "code", startedAt: new Date(), busy: false, timer });
    this.#log.info("login_code_sent", { accountId });
    return { status: "code_sent" };
  }

  async verify(accountId: string, input: { code?: string | undefined; password?: string | undefined }): Promise<VerifyResult> {
    const login = this.#pending.get(accountId);
    if (!login) throw new PoolError("not_found", "There is no login in progress for this account; start one with POST /api/accounts/add.");
    if (login.busy) throw new PoolError("conflict", "A verification for this account is already in progress.");
    login.busy = true;
    try {
      return await this.#step(login, input);
    } finally {
      login.busy = false;
    }
  }

  async #step(login: PendingLogin, input: { code?: string | undefined; password?: string | undefined }): Promise<VerifyResult> {
    const { accountId, client } = login;
    try {
      if (login.stage === "code") {
        if (input.code === undefined) throw new PoolError("unprocessable", "The login code is needed.", [{ path: "code", message: "Required until the code has been accepted" }]);
        const result = await client.signIn(input.code);
        if (result.status === "password_needed") {
          login.stage = "password";
          this.#log.info("login_password_needed", { accountId });
          return result;
        }
        return await this.#signedIn(login, result.user);
      }
      if (input.password === undefined) {
        throw new PoolError("unprocessable", "This account has two-step verification: the password is needed.", [{ path: "password", message: "Required" }]);
      }
      return await this.#signedIn(login, await client.checkPassword(input.password));
    } catch (error) {
      if (error instanceof PoolError) throw error;
      const failure = verifyFailure(error);
      if (failure) {
        // An expired code cannot be retried: the login starts again from add.
        if (failure.status === "code_expired") await this.forget(accountId);
        this.#log.info("login_not_verified", { accountId, status: failure.status });
        return failure;
      }
      const seconds = floodSeconds(error);
      if (seconds !== null) {
        throw new PoolError("rate_limited", `Telegram asks to wait ${seconds} seconds before trying again.`, [], { "retry-after": String(seconds) });
      }
      if (error instanceof SignUpRequiredError) {
        await this.forget(accountId);
        throw new PoolError("conflict", "This phone number has no Telegram account; sign it up in a Telegram app first.");
      }
      this.#log.error("login_verify_failed", { accountId, error: errorCode(error), message: errorDetail(error) });
      throw new UnexpectedTelegramError(errorCode(error));
    }
  }

  async #signedIn(login: PendingLogin, user: TelegramUser): Promise<VerifyResult> {
    const session = login.client.exportSession();
    this.#pending.delete(login.accountId);
    clearTimeout(login.timer);
    await this.#pool.adopt(login.accountId, session, login.client);
    this.#log.info("login_signed_in", { accountId: login.accountId });
    return { status: "signed_in", session, user };
  }

  async forget(accountId: string): Promise<boolean> {
    const login = this.#pending.get(accountId);
    if (!login) return false;
    this.#pending.delete(accountId);
    clearTimeout(login.timer);
    await disconnectQuietly(login.client);
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#pending.keys()].map((accountId) => this.forget(accountId)));
  }
}

async function disconnectQuietly(client: TelegramClientPort): Promise<void> {
  try {
    await client.disconnect();
  } catch {
    // Already gone: nothing to release.
  }
}
