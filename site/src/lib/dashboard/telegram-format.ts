import { whenLabel } from "./format";
import type { TelegramAccount } from "./telegram-api";

/** How a Telegram account's values read on the page. Pure, so the wording lives in one place. */

const STATUS: Record<string, string> = {
  login_pending: "Waiting for login",
  warming_up: "Warming up",
  active: "Active",
  cooldown: "Cooling down",
  banned: "Banned",
  disabled: "Disabled",
};

// HH:MM on the 24-hour clock whatever the locale: short, and never ambiguous about AM or PM.
const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayAndTime = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

const localDay = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

/** "14:05", "14:05 tomorrow" or "3 Nov, 14:05": a PEER_FLOOD rest lasts a day, so often past midnight. */
export function untilLabel(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "later";
  if (localDay(at) === localDay(now)) return time.format(at);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  return localDay(at) === localDay(tomorrow) ? `${time.format(at)} tomorrow` : dayAndTime.format(at);
}

/** The status badge's words: "Cooling down until 14:05"; an unknown status shows as itself, made readable. */
export function accountStatusLabel(account: Pick<TelegramAccount, "status" | "cooldownUntil">, now?: Date): string {
  if (account.status === "cooldown" && account.cooldownUntil) return `Cooling down until ${untilLabel(account.cooldownUntil, now)}`;
  return STATUS[account.status] ?? account.status.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** "@sandbox_0009 · Sandbox", or "—" before the account has logged in. */
export function accountIdentity(account: Pick<TelegramAccount, "username" | "displayName">): string {
  return [account.username ? `@${account.username.replace(/^@/, "")}` : null, account.displayName].filter(Boolean).join(" · ") || "—";
}

/** Today's sends as words, the same numbers the bar draws: "0 of 5". */
export const sendsLabel = (account: Pick<TelegramAccount, "sentToday" | "allowanceToday">) => `${account.sentToday} of ${account.allowanceToday}`;

/** Why today's allowance is below the limit, said once under the numbers. */
export function allowanceNote(account: Pick<TelegramAccount, "status" | "allowanceToday" | "dailyLimit">): string | null {
  return account.status === "warming_up" && account.allowanceToday < account.dailyLimit ? `warming up to ${account.dailyLimit} a day` : null;
}

/** "just now", "12 min ago", "3 h ago", then the date: when an account last sent, at a glance. */
export function sinceLabel(iso: string | null, now: Date = new Date()): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "Never";
  const minutes = Math.floor((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return whenLabel(iso);
}
