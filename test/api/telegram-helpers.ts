import { env } from "cloudflare:workers";
import { call, create, jsonOf, type Caller } from "./client";

/** The Telegram pool's stand-in control panel (container/README.md). */
export const standIn = (path: string, init?: RequestInit) => fetch(`${env.TELEGRAM_POOL_URL}/sandbox/telegram${path}`, init);

/** What each pool account sent, per the stand-in: `{ [accountId]: [{ to, text, at, … }] }`. */
export async function sentByAccount(): Promise<Record<string, { to: { username: string | null }; text: string; at: string }[]>> {
  const body: any = await (await standIn("/sent")).json();
  return body.accounts;
}

/** Adds an account and logs it in with the stand-in's code (and 2FA password for phones ending in 9). */
export async function loggedInAccount(as: Caller, phone: string): Promise<any> {
  const added = await create(as, "/dashboard/telegram-accounts", { phone });
  let step = await jsonOf(await call(`/dashboard/telegram-accounts/${added.account.id}/verify`, { method: "POST", as, json: { code: "12345" } }));
  if (step.status === "password_needed") step = await jsonOf(await call(`/dashboard/telegram-accounts/${added.account.id}/verify`, { method: "POST", as, json: { password: "sandbox-2fa" } }));
  if (step.status !== "signed_in") throw new Error(`login: ${JSON.stringify(step)}`);
  return step.account;
}

const ALWAYS = { windowStart: "00:00", windowEnd: "23:59", days: [1, 2, 3, 4, 5, 6, 7] };

/** A campaign over fresh leads given as CSV rows of `first_name,telegram,email`. */
export async function telegramCampaign(as: Caller, rows: string[], extra: Record<string, unknown> = {}) {
  const imported = await jsonOf(await call("/dashboard/leads/import", { method: "POST", as, headers: { "content-type": "text/csv" }, body: ["first_name,telegram,email", ...rows].join("\n") }));
  if (imported.chunk.imported !== rows.length) throw new Error(`import: ${JSON.stringify(imported.chunk)}`);
  const leads: any[] = (await jsonOf(await call("/dashboard/leads?limit=100", { as }))).items;
  const campaign = await create(as, "/dashboard/campaigns", { name: "Telegram", channels: ["telegram", "email"], channelPriority: ["telegram", "email"], schedule: ALWAYS, ...extra });
  await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as, json: { leadIds: leads.map((l) => l.id) } });
  return { campaign, leads };
}

/** Signs a body as the pool does: hex HMAC-SHA256 of `timestamp.METHOD.path.body`. */
export async function poolHeaders(path: string, body: string, { timestamp = Math.floor(Date.now() / 1000), secret = env.TELEGRAM_POOL_SECRET! } = {}) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.POST.${path}.${body}`)));
  return { "x-noir-timestamp": String(timestamp), "x-noir-signature": [...mac].map((b) => b.toString(16).padStart(2, "0")).join(""), "content-type": "application/json" };
}
