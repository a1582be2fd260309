import { FloodTestPhoneWaitError, FloodWaitError, RPCError, SlowModeWaitError } from "telegram/errors/index.js";
import { InvalidSessionError, PeerNotFoundError } from "./port.ts";

/**
 * Telegram's errors → the pool's answers, one table for both clients. The error names are
 * Telegram's RPC error strings (https://core.telegram.org/api/errors and each method's page);
 * gramjs raises them as `RPCError.errorMessage`, and FLOOD_WAIT_X as `FloodWaitError.seconds`.
 * Anything not listed here is unexpected: the caller answers 502 and logs it.
 */
export type SendFailure =
  | { outcome: "flood_wait"; seconds: number }
  | { outcome: "peer_flood" }
  | { outcome: "user_not_found" }
  | { outcome: "privacy_restricted" }
  | { outcome: "account_banned" }
  | { outcome: "auth_needed" };

export type SendOutcome = { outcome: "sent"; messageId: number; peer: { userId: string; username: string | null } } | SendFailure;

const SEND_FAILURES: Record<string, SendFailure> = {
  PEER_FLOOD: { outcome: "peer_flood" },
  USERNAME_NOT_OCCUPIED: { outcome: "user_not_found" },
  USERNAME_INVALID: { outcome: "user_not_found" },
  PEER_ID_INVALID: { outcome: "user_not_found" },
  INPUT_USER_DEACTIVATED: { outcome: "user_not_found" },
  USER_PRIVACY_RESTRICTED: { outcome: "privacy_restricted" },
  // The lead accepts messages from contacts or Premium users only, or has blocked us.
  PRIVACY_PREMIUM_REQUIRED: { outcome: "privacy_restricted" },
  USER_IS_BLOCKED: { outcome: "privacy_restricted" },
  USER_DEACTIVATED_BAN: { outcome: "account_banned" },
  USER_DEACTIVATED: { outcome: "account_banned" },
  PHONE_NUMBER_BANNED: { outcome: "account_banned" },
  AUTH_KEY_UNREGISTERED: { outcome: "auth_needed" },
  AUTH_KEY_INVALID: { outcome: "auth_needed" },
  AUTH_KEY_PERM_EMPTY: { outcome: "auth_needed" },
  SESSION_REVOKED: { outcome: "auth_needed" },
  SESSION_EXPIRED: { outcome: "auth_needed" },
};

/** Seconds to wait, for every flavour of FLOOD_WAIT gramjs raises. */
export function floodSeconds(error: unknown): number | null {
  if (error instanceof FloodWaitError || error instanceof FloodTestPhoneWaitError || error instanceof SlowModeWaitError) {
    return Math.max(1, error.seconds);
  }
  return null;
}

export function sendFailure(error: unknown): SendFailure | null {
  const seconds = floodSeconds(error);
  if (seconds !== null) return { outcome: "flood_wait", seconds };
  if (error instanceof InvalidSessionError) return { outcome: "auth_needed" };
  if (error instanceof PeerNotFoundError) return { outcome: "user_not_found" };
  if (error instanceof RPCError) return SEND_FAILURES[error.errorMessage] ?? null;
  return null;
}

export type AddFailure = { status: "phone_invalid" } | { status: "flood_wait"; seconds: number };

const ADD_FAILURES: Record<string, AddFailure> = {
  PHONE_NUMBER_INVALID: { status: "phone_invalid" },
  PHONE_NUMBER_BANNED: { status: "phone_invalid" },
  // Too many codes asked for this number; Telegram gives no wait, so try again tomorrow.
  PHONE_NUMBER_FLOOD: { status: "flood_wait", seconds: 24 * 60 * 60 },
};

export function addFailure(error: unknown): AddFailure | null {
  const seconds = floodSeconds(error);
  if (seconds !== null) return { status: "flood_wait", seconds };
  if (error instanceof RPCError) return ADD_FAILURES[error.errorMessage] ?? null;
  return null;
}

export type VerifyFailure = { status: "code_invalid" } | { status: "code_expired" } | { status: "password_invalid" };

const VERIFY_FAILURES: Record<string, VerifyFailure> = {
  PHONE_CODE_INVALID: { status: "code_invalid" },
  PHONE_CODE_EMPTY: { status: "code_invalid" },
  PHONE_CODE_EXPIRED: { status: "code_expired" },
  PASSWORD_HASH_INVALID: { status: "password_invalid" },
};

export function verifyFailure(error: unknown): VerifyFailure | null {
  if (error instanceof RPCError) return VERIFY_FAILURES[error.errorMessage] ?? null;
  return null;
}

/** The account itself can no longer be used: drop its client rather than keep it connected. */
export function accountIsUnusable(failure: SendFailure): boolean {
  return failure.outcome === "auth_needed" || failure.outcome === "account_banned";
}

/** For logs: Telegram's error string, or the error's name. */
export function errorCode(error: unknown): string {
  if (error instanceof RPCError) return error.errorMessage;
  if (error instanceof Error) return error.name;
  return "unknown";
}

/** For logs of unexpected failures: gramjs's messages name the TL request, never its arguments. */
export function errorDetail(error: unknown): string | undefined {
  return error instanceof Error ? error.message.slice(0, 300) : undefined;
}

/** Thrown for a failure this table does not know; the route answers 502 and nothing is remembered. */
export class UnexpectedTelegramError extends Error {
  readonly code: string;

  constructor(code: string) {
    super(`Telegram failed unexpectedly (${code})`);
    this.name = "UnexpectedTelegramError";
    this.code = code;
  }
}
