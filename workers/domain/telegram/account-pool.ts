/**
 * A Telegram user account's health, in plain values: how many DMs it may send today (rising day by
 * day while it warms up), whether it can send now, later or never, and what a flood error does to
 * it. The Worker stores the account; the pacer spaces its sends; this decides.
 */
export const STORED_STATUSES = ["warming_up", "active", "banned", "disabled"] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];
/** What the dashboard shows: the stored status, or a state derived from the row. */
export type ShownStatus = StoredStatus | "cooldown" | "login_pending";

export interface PoolAccount {
  id: string;
  status: StoredStatus | "cooldown";
  loggedIn: boolean;
  /** The owner's ceiling. */
  dailyLimit: number;
  dailySentCount: number;
  dailyCountDate: string | null;
  cooldownUntil: number | null;
  warmupStartedAt: number | null;
  lastSentAt: number | null;
}

/**
 * A new account sends 5 DMs on its first day and 5 more each day after, up to its ceiling: a
 * fresh account that suddenly messages strangers at full rate is what Telegram's spam checks
 * look for. The seed's ceiling was 30 a day.
 */
export const WARM_UP = { firstDay: 5, risePerDay: 5 } as const;
export const DEFAULT_DAILY_LIMIT = 30;
const DAY_MS = 86_400_000;

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const nextUtcMidnight = (ms: number): number => (Math.floor(ms / DAY_MS) + 1) * DAY_MS;

export function sentToday(account: PoolAccount, now: number): number {
  return account.dailyCountDate === utcDay(now) ? account.dailySentCount : 0;
}

/** DMs the account may send today: its ceiling, or less while it warms up. */
export function allowanceToday(account: PoolAccount, now: number): number {
  if (account.status !== "warming_up") return account.dailyLimit;
  const days = Math.max(0, Math.floor((now - (account.warmupStartedAt ?? now)) / DAY_MS));
  return Math.min(account.dailyLimit, WARM_UP.firstDay + WARM_UP.risePerDay * days);
}

export function shownStatus(account: PoolAccount, now: number): ShownStatus {
  if (account.status === "banned" || account.status === "disabled") return account.status;
  if (!account.loggedIn) return "login_pending";
  if (account.cooldownUntil !== null && account.cooldownUntil > now) return "cooldown";
  return account.status === "cooldown" ? "active" : account.status;
}

export type Availability = { kind: "ready"; left: number } | { kind: "later"; at: number; why: string } | { kind: "never"; why: string };

/** Can the account send a DM now; if not, when; or never without a person stepping in. */
export function availability(account: PoolAccount, now: number): Availability {
  const shown = shownStatus(account, now);
  if (shown === "banned") return { kind: "never", why: "banned by Telegram" };
  if (shown === "disabled") return { kind: "never", why: "disabled" };
  if (shown === "login_pending") return { kind: "never", why: "not logged in" };
  if (shown === "cooldown") return { kind: "later", at: account.cooldownUntil!, why: "cooling down" };
  const left = allowanceToday(account, now) - sentToday(account, now);
  if (left <= 0) return { kind: "later", at: nextUtcMidnight(now), why: "today's limit reached" };
  return { kind: "ready", left };
}

/** How a send through the pool ended, as the container reports it. */
export type SendOutcome =
  | { outcome: "sent"; messageId: number; peer: { userId: string; username: string | null } }
  | { outcome: "flood_wait"; seconds: number }
  | { outcome: "peer_flood" }
  | { outcome: "user_not_found" }
  | { outcome: "privacy_restricted" }
  | { outcome: "account_banned" }
  | { outcome: "auth_needed" };

/** The columns to change on the account after an outcome that says it must stop or slow down. */
export interface AccountChanges {
  status?: StoredStatus;
  dailyLimit?: number;
  cooldownUntil?: number;
  warmupStartedAt?: number;
  lastError: string;
  /** Forget the session: Telegram revoked it, so only a new login helps. */
  dropSession?: boolean;
}

/**
 * What a flood or account error does to the account. A flood wait cools it for exactly as long as
 * Telegram asked; PEER_FLOOD (Telegram thinks it spams) halves its ceiling and cools it for a day.
 * Either one during warm-up also holds the allowance where it is for a day instead of rising.
 */
export function accountPenalty(account: PoolAccount, result: SendOutcome, now: number): AccountChanges | null {
  const holdWarmUp = account.status === "warming_up" && account.warmupStartedAt !== null ? { warmupStartedAt: account.warmupStartedAt + DAY_MS } : {};
  switch (result.outcome) {
    case "flood_wait":
      return { cooldownUntil: now + result.seconds * 1000, lastError: `Telegram asked to wait ${result.seconds} s (FLOOD_WAIT)`, ...holdWarmUp };
    case "peer_flood": {
      const lowered = Math.max(1, Math.floor(allowanceToday(account, now) / 2));
      return { dailyLimit: Math.min(account.dailyLimit, lowered), cooldownUntil: now + DAY_MS, lastError: `Telegram flagged the account for spam (PEER_FLOOD): limit lowered to ${lowered} a day, resting 24 h`, ...holdWarmUp };
    }
    case "account_banned":
      return { status: "banned", lastError: "Telegram banned the account" };
    case "auth_needed":
      return { status: "disabled", dropSession: true, lastError: "Telegram ended the session: log the account in again" };
    default:
      return null;
  }
}
