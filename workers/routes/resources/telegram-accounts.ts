import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { telegramAccounts } from "../../../drizzle/schema";
import type { AppEnv } from "../../context";
import { auditEntry } from "../../db/audit";
import { newId } from "../../db/ids";
import { poolAccountOf, type TelegramAccountRow } from "../../db/telegram-accounts";
import { createPhoneNormaliser, toPhoneRegion } from "../../domain/lead-import/phone";
import { allowanceToday, DEFAULT_DAILY_LIMIT, sentToday, shownStatus } from "../../domain/telegram/account-pool";
import { sealSession } from "../../domain/telegram/session-seal";
import { AppError, notFound } from "../../errors";
import { requireRole } from "../../middleware/tenancy";
import { ProviderError } from "../../providers/ports";
import type { LoginStep } from "../../providers/telegram/pool-client";
import { telegramProviders, type TelegramProviders } from "../../providers/telegram-registry";
import { createRouter } from "../router";
import { COMMON_ERRORS, IdParam, iso, jsonBody, jsonResponse, Timestamp } from "../shared";

const STATUSES = ["login_pending", "warming_up", "active", "cooldown", "banned", "disabled"] as const;

const TelegramAccount = z
  .object({
    id: z.string(),
    phone: z.string(),
    username: z.string().nullable(),
    displayName: z.string().nullable(),
    status: z.enum(STATUSES).openapi({ description: "cooldown while a flood wait or PEER_FLOOD rest lasts; login_pending until the code (and 2FA password) is verified" }),
    loggedIn: z.boolean().openapi({ description: "Whether the pool holds a session for it: a disabled account that Telegram logged out needs a new login, not just enabling" }),
    sentToday: z.number().int(),
    allowanceToday: z.number().int().openapi({ description: "DMs it may send today: its daily limit, or less while warming up" }),
    dailyLimit: z.number().int(),
    cooldownUntil: Timestamp.nullable(),
    lastSentAt: Timestamp.nullable(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi("TelegramAccount");

const Login = z.object({
  status: z.enum(["code_sent", "password_needed", "signed_in", "code_invalid", "code_expired", "password_invalid"]),
  hint: z.string().nullable().optional().openapi({ description: "The 2FA password's hint, when Telegram has one" }),
  account: TelegramAccount,
});

const AddAccount = z.strictObject({ phone: z.string().trim().min(5).max(32) });
const Verify = z.strictObject({ code: z.string().trim().regex(/^\d{4,8}$/, "the login code Telegram sent: 4 to 8 digits").optional(), password: z.string().min(1).max(256).optional() }).refine((b) => b.code !== undefined || b.password !== undefined, { message: "give the code, or the 2FA password when asked", path: ["code"] });
const Patch = z.strictObject({
  dailyLimit: z.number().int().min(1).max(200).optional(),
  enabled: z.boolean().optional().openapi({ description: "false disables the account; true puts a disabled one back to work (warming up again)" }),
});

function toApi(row: TelegramAccountRow, now: number) {
  const account = poolAccountOf(row);
  return {
    id: row.id,
    phone: row.phone,
    username: row.username,
    displayName: row.displayName,
    status: shownStatus(account, now),
    loggedIn: account.loggedIn,
    sentToday: sentToday(account, now),
    allowanceToday: allowanceToday(account, now),
    dailyLimit: row.dailyLimit,
    cooldownUntil: account.cooldownUntil !== null && account.cooldownUntil > now ? iso(row.cooldownUntil) : null,
    lastSentAt: iso(row.lastSentAt),
    lastError: row.lastError,
    createdAt: iso(row.createdAt)!,
  };
}

function pool(c: Context<AppEnv>): TelegramProviders {
  const telegram = telegramProviders(c.env);
  if (!telegram) throw new AppError("conflict", "Telegram is not set up on this deployment (TELEGRAM_POOL_SECRET and TELEGRAM_SESSION_KEY).");
  return telegram;
}

async function loadAccount(c: Context<AppEnv>, id: string): Promise<TelegramAccountRow> {
  const [row] = await c.get("db").select().from(telegramAccounts).where(and(eq(telegramAccounts.id, id), eq(telegramAccounts.orgId, c.get("tenant").orgId))).limit(1);
  if (!row) throw notFound("Telegram account");
  return row;
}

/** Pool failures reach the user as a 502 with the pool's reason, never a stack trace. */
async function fromPool<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError) throw new AppError("upstream_failed", `The Telegram pool could not do that: ${error.message}.`);
    throw error;
  }
}

/** What a login step means for the user: an error they can fix in the form, or the next step. */
function loginProblem(step: LoginStep): AppError | null {
  if (step.status === "phone_invalid") return new AppError("validation_failed", "Telegram does not know this phone number.", [{ field: "body.phone", message: "not a Telegram account's number" }]);
  if (step.status === "flood_wait") return new AppError("rate_limited", `Telegram asks to wait ${step.seconds} s before another login code.`, [], { "retry-after": String(step.seconds) });
  return null;
}

/**
 * The org's Telegram accounts: add one (Telegram sends a login code), verify the code and the 2FA
 * password, see each account's health and today's count, set its daily limit, disable, remove.
 * Members may look; owners and admins change them.
 */
export function telegramAccountRoutes() {
  const guard = [requireRole("owner", "admin")];
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/telegram-accounts", tags: ["Telegram"], summary: "The org's Telegram accounts with their health and today's sends", responses: { 200: jsonResponse(z.object({ items: z.array(TelegramAccount) }), "Accounts"), ...COMMON_ERRORS } }),
      async (c) => {
        const rows = await c.get("db").select().from(telegramAccounts).where(eq(telegramAccounts.orgId, c.get("tenant").orgId)).orderBy(telegramAccounts.id);
        const now = Date.now();
        return c.json({ items: rows.map((r) => toApi(r, now)) }, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/telegram-accounts", tags: ["Telegram"], summary: "Add an account: Telegram sends a login code to the phone's Telegram app", middleware: guard, request: { body: jsonBody(AddAccount) }, responses: { 201: jsonResponse(Login, "Code sent; verify it next"), 403: COMMON_ERRORS[401], 409: COMMON_ERRORS[422], 429: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const telegram = pool(c);
        const { orgId, defaultRegion } = c.get("tenant");
        const phone = createPhoneNormaliser(toPhoneRegion(defaultRegion))(c.req.valid("json").phone);
        if (!phone.ok) throw new AppError("validation_failed", "The phone number is not valid.", [{ field: "body.phone", message: phone.message }]);
        const db = c.get("db");
        const [existing] = await db.select().from(telegramAccounts).where(and(eq(telegramAccounts.orgId, orgId), eq(telegramAccounts.phone, phone.value))).limit(1);
        if (existing?.sessionCiphertext) throw new AppError("conflict", "This account is already logged in.");
        const row = existing ?? (await db.insert(telegramAccounts).values({ id: newId("telegramAccount"), orgId, phone: phone.value, status: "warming_up", dailyLimit: DEFAULT_DAILY_LIMIT }).returning())[0]!;
        try {
          const problem = loginProblem(await fromPool(() => telegram.pool.startLogin(row.id, phone.value)));
          if (problem) throw problem;
        } catch (error) {
          // A number Telegram refused, a login it asked to wait for, or a pool that failed leaves no account behind.
          if (!existing) await db.delete(telegramAccounts).where(and(eq(telegramAccounts.id, row.id), eq(telegramAccounts.orgId, orgId)));
          throw error;
        }
        await auditEntry(db, orgId, c.get("principal"), "telegram_account.login_started", { type: "telegram_account", id: row.id }, { phone: phone.value });
        return c.json({ status: "code_sent" as const, account: toApi(row, Date.now()) }, 201);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/telegram-accounts/{id}/verify", tags: ["Telegram"], summary: "Verify the login code, then the 2FA password if Telegram asks for it", middleware: guard, request: { params: IdParam, body: jsonBody(Verify) }, responses: { 200: jsonResponse(Login, "The next step, or signed in"), 403: COMMON_ERRORS[401], 409: COMMON_ERRORS[422], 502: COMMON_ERRORS[422], ...COMMON_ERRORS } }),
      async (c) => {
        const telegram = pool(c);
        const row = await loadAccount(c, c.req.valid("param").id);
        if (row.sessionCiphertext) throw new AppError("conflict", "This account is already logged in.");
        const body = c.req.valid("json");
        const step = await fromPool(() => telegram.pool.verifyLogin(row.id, { ...(body.code ? { code: body.code } : {}), ...(body.password ? { password: body.password } : {}) }));
        if (step.status === "no_login") throw new AppError("conflict", "No login is waiting for this account (codes expire after 10 minutes): add it again for a new code.");
        const problem = loginProblem(step);
        if (problem) throw problem;
        if (step.status !== "signed_in") return c.json({ status: step.status as Exclude<typeof step.status, "signed_in" | "phone_invalid" | "flood_wait">, hint: "hint" in step ? step.hint : null, account: toApi(row, Date.now()) }, 200);
        const now = new Date();
        const [updated] = await c.get("db").update(telegramAccounts).set({
          sessionCiphertext: await sealSession(step.session, row.id, telegram.sessionKey),
          telegramUserId: step.user.id,
          username: step.user.username,
          displayName: step.user.firstName,
          status: "warming_up",
          warmupStartedAt: now,
          cooldownUntil: null,
          lastError: null,
        }).where(and(eq(telegramAccounts.id, row.id), eq(telegramAccounts.orgId, row.orgId))).returning();
        await auditEntry(c.get("db"), row.orgId, c.get("principal"), "telegram_account.logged_in", { type: "telegram_account", id: row.id });
        return c.json({ status: "signed_in" as const, hint: null, account: toApi(updated!, now.getTime()) }, 200);
      },
    )
    .openapi(
      createRoute({ method: "patch", path: "/telegram-accounts/{id}", tags: ["Telegram"], summary: "Set the daily limit, or disable and re-enable the account", middleware: guard, request: { params: IdParam, body: jsonBody(Patch) }, responses: { 200: jsonResponse(TelegramAccount, "Updated"), 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const row = await loadAccount(c, c.req.valid("param").id);
        const body = c.req.valid("json");
        const enable = body.enabled === true && row.status === "disabled";
        if (enable && !row.sessionCiphertext) throw new AppError("conflict", "The account is logged out: add it again to log in.");
        const [updated] = await c.get("db").update(telegramAccounts).set({
          ...(body.dailyLimit !== undefined ? { dailyLimit: body.dailyLimit } : {}),
          ...(body.enabled === false && row.status !== "banned" ? { status: "disabled" as const } : {}),
          // Back from a pause it warms up again: an account idle for a while should not burst.
          ...(enable ? { status: "warming_up" as const, warmupStartedAt: new Date(), lastError: null } : {}),
        }).where(and(eq(telegramAccounts.id, row.id), eq(telegramAccounts.orgId, row.orgId))).returning();
        if (body.enabled === false) await telegramProviders(c.env)?.pool.forget(row.id).catch(() => undefined);
        await auditEntry(c.get("db"), row.orgId, c.get("principal"), "telegram_account.updated", { type: "telegram_account", id: row.id }, body);
        return c.json(toApi(updated!, Date.now()), 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: "/telegram-accounts/{id}", tags: ["Telegram"], summary: "Remove the account and forget its session", middleware: guard, request: { params: IdParam }, responses: { 204: { description: "Removed" }, 403: COMMON_ERRORS[401], ...COMMON_ERRORS } }),
      async (c) => {
        const row = await loadAccount(c, c.req.valid("param").id);
        await c.get("db").delete(telegramAccounts).where(and(eq(telegramAccounts.id, row.id), eq(telegramAccounts.orgId, row.orgId)));
        // The pool holds no copy worth keeping; one it cannot reach now ends with its idle timeout.
        await telegramProviders(c.env)?.pool.forget(row.id).catch(() => undefined);
        await auditEntry(c.get("db"), row.orgId, c.get("principal"), "telegram_account.removed", { type: "telegram_account", id: row.id }, { phone: row.phone });
        return c.body(null, 204);
      },
    );
}
