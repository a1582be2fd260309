import { env } from "cloudflare:workers";
import { call, create, jsonOf, type Caller } from "./client";

export const sandbox = (path: string, init?: RequestInit) => fetch(`${env.SANDBOX_URL}${path}`, init);

export async function sentTo(address?: string): Promise<any[]> {
  const res = await sandbox(`/resend/sandbox/sent${address ? `?to=${encodeURIComponent(address)}` : ""}`);
  const body: any = await res.json();
  return Array.isArray(body) ? body : (body.data ?? body.emails ?? body.sent ?? []);
}

export async function setFaults(provider: string, config: Record<string, number>) {
  const res = await sandbox(`/__admin/providers/${provider}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
  if (!res.ok) throw new Error(`fault config refused: ${res.status}`);
}

/** Polls the campaign's progress until `done` holds or the deadline passes. */
export async function waitForProgress(as: Caller, campaignId: string, done: (p: any) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = await jsonOf(await call(`/dashboard/campaigns/${campaignId}/progress`, { as }));
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { results } = await env.DB.prepare("SELECT lead_id, status, step, next_at, note, last_error FROM campaign_leads WHERE campaign_id = ?1 AND status NOT IN ('succeeded', 'failed', 'skipped')").bind(campaignId).all();
  throw new Error(`progress never settled: ${JSON.stringify(last)}; unsettled leads: ${JSON.stringify(results.slice(0, 5))} (now ${Date.now()})`);
}

export async function setPlan(orgId: string, plan: "free" | "starter" | "growth" | "enterprise") {
  await env.DB.prepare("UPDATE organizations SET plan = ?1 WHERE id = ?2").bind(plan, orgId).run();
}

const ALWAYS = { windowStart: "00:00", windowEnd: "23:59", days: [1, 2, 3, 4, 5, 6, 7] };

/** An email campaign with a script and a voice config, over `count` fresh leads. */
export async function emailCampaign(as: Caller, count: number, tag: string, extra: Record<string, unknown> = {}) {
  const script = await create(as, "/dashboard/scripts", { name: "Intro", content: "We help sales teams reach every lead on the right channel.", objectionHandlers: [{ triggers: ["price"], response: "It pays for itself." }] });
  const voice = await create(as, "/dashboard/voice-configs", { name: "Olena", voiceId: "voice1", language: "en", personality: "friendly" });
  const csv = ["first_name,company,email", ...Array.from({ length: count }, (_, i) => `Lead${i},Company ${i},${tag}.${i}@example.com`)].join("\n");
  const imported = await jsonOf(await call("/dashboard/leads/import", { method: "POST", as, headers: { "content-type": "text/csv" }, body: csv }));
  if (imported.chunk.imported !== count) throw new Error(`import: ${JSON.stringify(imported.chunk)}`);
  const campaign = await create(as, "/dashboard/campaigns", { name: `Email ${tag}`, channels: ["email"], scriptId: script.id, voiceConfigId: voice.id, schedule: ALWAYS, ...extra });
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await jsonOf(await call(`/dashboard/leads?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { as }));
    ids.push(...page.items.filter((l: any) => l.email?.startsWith(`${tag}.`)).map((l: any) => l.id));
    cursor = page.nextCursor;
  } while (cursor);
  for (let i = 0; i < ids.length; i += 1000) await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as, json: { leadIds: ids.slice(i, i + 1000) } });
  return { campaign, leadIds: ids };
}

/** Signs a webhook body as Svix does (v1, HMAC-SHA256 of id.timestamp.body with the base64 secret). */
export async function svixHeaders(body: string, { id = `msg_${crypto.randomUUID()}`, timestamp = Math.floor(Date.now() / 1000), secret = env.RESEND_WEBHOOK_SECRET! } = {}) {
  const raw = Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
  return { "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": `v1,${btoa(String.fromCharCode(...mac))}`, "content-type": "application/json" };
}

/** A zone whose local hour right now is within [from, to): tests stay true at any time of day. */
export function zoneWhereHourIs(from: number, to: number): string {
  const zones = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Asia/Kolkata", "Asia/Dubai", "Europe/Kyiv", "Europe/London", "America/Sao_Paulo", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Pago_Pago"];
  const hourIn = (zone: string) => Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "numeric", hourCycle: "h23" }).format(new Date()));
  const zone = zones.find((z) => hourIn(z) >= from && hourIn(z) < to);
  if (!zone) throw new Error(`no test zone has its hour in [${from}, ${to})`);
  return zone;
}

