import { env } from "cloudflare:workers";
import { call, create, jsonOf, type Caller } from "./client";
import { loggedInAccount } from "./telegram-helpers";

/** One org's resource of each kind, and how to read back its state to prove nothing changed. */
export interface Seeded {
  ids: Record<string, string>;
  invitationToken: string;
  apiKey: string;
  leadPhone: string;
}

export async function seedOrg(a: Caller): Promise<Seeded> {
  const script = await create(a, "/dashboard/scripts", { name: "A script", content: "Hello", objectionHandlers: [{ triggers: ["price"], response: "Worth it" }] });
  const voice = await create(a, "/dashboard/voice-configs", { name: "A voice", voiceId: "voiceA1" });
  const number = await create(a, "/dashboard/phone-numbers", { number: "+14155550100", label: "A line" });
  const lead = await create(a, "/dashboard/leads", { firstName: "Olena", phone: "+380671234567", email: "olena@example.com" });
  const campaign = await create(a, "/dashboard/campaigns", { name: "A campaign", channels: ["email", "voice"], scriptId: script.id, voiceConfigId: voice.id });
  const assign = await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as: a, json: { leadIds: [lead.id] } });
  if (assign.status !== 200) throw new Error(`assign failed ${assign.status}`);
  const channel = await create(a, "/dashboard/channel-configs", { channel: "email", config: { fromEmail: "sales@a.example.com" } });
  const key = await create(a, "/dashboard/api-keys", { name: "A key" });
  const invitation = await create(a, "/dashboard/invitations", { email: "newbie@example.com", role: "member" });
  const leadImport = await create(a, "/dashboard/lead-imports", { fileName: "a.csv" });
  const suppression = await create(a, "/dashboard/suppressions", { value: "+380501234567", kind: "do_not_call" });
  const telegram = await loggedInAccount(a, "+380509990001");
  const me = await jsonOf(await call("/dashboard/me", { as: a }));
  // A finished call with its transcript, as a CallSession writes it (placing one needs Twilio).
  const callId = `call_${crypto.randomUUID().replace(/-/g, "").slice(0, 26)}`;
  await env.DB.prepare("INSERT INTO call_logs (id, org_id, lead_id, direction, status, to_number, transcript, metadata, created_at) VALUES (?1, ?2, ?3, 'outbound', 'completed', ?4, ?5, '{}', ?6)")
    .bind(callId, me.org.id, lead.id, "+380671234567", JSON.stringify([{ role: "callee", text: "A's secret", at: 0 }]), Date.now())
    .run();
  return {
    ids: {
      scripts: script.id,
      "voice-configs": voice.id,
      "phone-numbers": number.id,
      leads: lead.id,
      campaigns: campaign.id,
      "channel-configs": channel.id,
      "api-keys": key.id,
      invitations: invitation.id,
      "lead-imports": leadImport.id,
      members: me.user.id,
      suppressions: suppression.id,
      calls: callId,
      "telegram-accounts": telegram.id,
    },
    invitationToken: invitation.token,
    apiKey: key.key,
    leadPhone: "+380671234567",
  };
}

/** Everything org A can see, read as A: any change made by org B shows up as a difference. */
export async function snapshotOrg(a: Caller, seeded: Seeded) {
  const get = async (path: string) => {
    const res = await call(path, { as: a });
    return { status: res.status, body: await res.text() };
  };
  const { ids } = seeded;
  return {
    script: await get(`/dashboard/scripts/${ids.scripts}`),
    voice: await get(`/dashboard/voice-configs/${ids["voice-configs"]}`),
    number: await get(`/dashboard/phone-numbers/${ids["phone-numbers"]}`),
    lead: await get(`/dashboard/leads/${ids.leads}`),
    leads: await get(`/dashboard/leads?limit=100`),
    campaign: await get(`/dashboard/campaigns/${ids.campaigns}`),
    campaignLeads: await get(`/dashboard/campaigns/${ids.campaigns}/leads`),
    channel: await get(`/dashboard/channel-configs/${ids["channel-configs"]}`),
    // lastUsedAt moves whenever the snapshot itself checks the key still works.
    keys: (await get(`/dashboard/api-keys`)).body.replace(/"lastUsedAt":(null|"[^"]*")/g, ""),
    keyWorks: (await call("/dashboard/me", { headers: { authorization: `Bearer ${seeded.apiKey}` } })).status,
    invitations: await get(`/dashboard/invitations`),
    leadImport: await get(`/dashboard/lead-imports/${ids["lead-imports"]}`),
    members: await get(`/dashboard/members`),
    org: await get(`/dashboard/me`),
    audit: await get(`/dashboard/audit-log?limit=100`),
    suppressions: await get(`/dashboard/suppressions?limit=100`),
    progress: await get(`/dashboard/campaigns/${ids.campaigns}/progress`),
    call: await get(`/dashboard/calls/${ids.calls}`),
    usage: await get(`/dashboard/usage`),
    telegramAccounts: await get(`/dashboard/telegram-accounts`),
  };
}
