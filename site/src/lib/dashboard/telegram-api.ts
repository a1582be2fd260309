import * as z from "zod/mini";
import { request } from "../api";

/**
 * /api/dashboard/telegram-accounts: the org's Telegram sending accounts, their login (code, then
 * the 2FA password when the account has one), daily limit, disable/enable and removal. A status
 * the API adds later is kept as a plain string so the account still shows; a row that cannot be
 * read at all is left out (and logged) rather than blanking the table.
 */
export const ACCOUNT_STATUSES = ["login_pending", "warming_up", "active", "cooldown", "banned", "disabled"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** The API's bounds for PATCH {dailyLimit}. */
export const DAILY_LIMIT = { min: 1, max: 200 } as const;

const orNull = <T>(schema: z.ZodMiniType<T>) => z.catch(z.nullable(schema), null);

const TelegramAccount = z.object({
  id: z.string(),
  phone: z.string(),
  username: orNull(z.string()),
  displayName: orNull(z.string()),
  status: z.string(),
  sentToday: z.number(),
  allowanceToday: z.number(),
  dailyLimit: z.number(),
  cooldownUntil: orNull(z.string()),
  lastSentAt: orNull(z.string()),
  lastError: orNull(z.string()),
  createdAt: z.string(),
});
export type TelegramAccount = z.infer<typeof TelegramAccount>;

const AccountList = z.pipe(
  z.object({ items: z.array(z.unknown()) }),
  z.transform(({ items }) => {
    const kept: TelegramAccount[] = [];
    for (const raw of items) {
      const parsed = TelegramAccount.safeParse(raw);
      if (parsed.success) kept.push(parsed.data);
      else console.warn("left out a Telegram account the dashboard cannot read", parsed.error.issues);
    }
    return kept;
  }),
);

/** Where a login stands after each step; the wrong-code and wrong-password answers are retryable. */
const LoginStep = z.object({
  status: z.enum(["code_sent", "password_needed", "signed_in", "code_invalid", "code_expired", "password_invalid"]),
  hint: z.catch(z.optional(z.nullable(z.string())), null),
  account: TelegramAccount,
});
export type LoginStep = z.infer<typeof LoginStep>;

const base = "/api/dashboard/telegram-accounts";
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Not paged: an org holds a handful of accounts. */
export function fetchTelegramAccounts(): Promise<TelegramAccount[]> {
  return request(AccountList, base);
}

/** Starts a login: Telegram sends a code to the account's Telegram app. */
export function startTelegramLogin(phone: string): Promise<LoginStep> {
  return request(LoginStep, base, { method: "POST", body: JSON.stringify({ phone }) });
}

export function verifyTelegramLogin(id: string, answer: { code: string } | { password: string }): Promise<LoginStep> {
  return request(LoginStep, `${one(id)}/verify`, { method: "POST", body: JSON.stringify(answer) });
}

export function updateTelegramAccount(id: string, change: { dailyLimit?: number; enabled?: boolean }): Promise<TelegramAccount> {
  return request(TelegramAccount, one(id), { method: "PATCH", body: JSON.stringify(change) });
}

export async function removeTelegramAccount(id: string): Promise<void> {
  await request(z.unknown(), one(id), { method: "DELETE" });
}
