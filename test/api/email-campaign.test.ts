import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, create, jsonOf, signIn } from "./client";
import { emailCampaign, sentTo, setPlan, svixHeaders, waitForProgress } from "./engine-helpers";

describe("an email campaign", () => {
  it("writes each lead its own email, sends it once with one-click unsubscribe, logs it and counts usage", async () => {
    const owner = await signIn("email.run@example.com");
    await create(owner, "/dashboard/channel-configs", { channel: "email", config: { fromEmail: "sales@acme.example", fromName: "Acme Sales" } });
    const { campaign } = await emailCampaign(owner, 12, "run");
    expect((await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner })).status).toBe(202);
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    expect(done.counts).toEqual({ total: 12, processed: 12, succeeded: 12, failed: 0, skipped: 0 });

    const sent = await sentTo("run.3@example.com");
    expect(sent).toHaveLength(1);
    const email = sent[0];
    expect(email.from).toBe("Acme Sales <sales@acme.example>");
    // Written from the lead and the script, never the prompt itself.
    expect(`${email.subject}\n${email.text}`).toContain("Lead3");
    expect(email.text).not.toMatch(/You are|system prompt|Instructions/i);
    expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email.headers["List-Unsubscribe"]).toMatch(/<http:\/\/localhost:8787\/api\/unsubscribe\/[^>]+>/);
    expect(email.replyTo[0]).toMatch(/^reply\+.+@reply\.noir\.test$/);

    const rows = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE campaign_id = ? AND direction = 'outbound' AND status = 'sent'").bind(campaign.id).first<{ n: number }>();
    expect(rows?.n).toBe(12);
    const usage = await env.DB.prepare("SELECT used FROM usage_counters WHERE org_id = ? AND metric = 'emails'").bind(owner.orgId).first<{ used: number }>();
    expect(usage?.used).toBe(12);
    const leads = await jsonOf(await call("/dashboard/leads?status=contacted&limit=100", { as: owner }));
    expect(leads.items).toHaveLength(12);
  }, 60_000);

  it("pauses at the plan's monthly limit with a reason, and carries on after an upgrade without resending", async () => {
    const owner = await signIn("email.limit@example.com");
    // The free plan allows 50 emails a month.
    const { campaign } = await emailCampaign(owner, 55, "limit");
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const paused = await waitForProgress(owner, campaign.id, (p) => p.status === "paused");
    expect(paused.pausedReason).toContain("Monthly limit reached");
    // Sends already under way finish; nothing goes out past the limit.
    await waitForProgress(owner, campaign.id, (p) => p.counts.succeeded === 50, 20_000);
    const campaignRow = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}`, { as: owner }));
    expect(campaignRow).toMatchObject({ status: "paused", pausedReason: expect.stringContaining("free plan") });

    await setPlan(owner.orgId, "starter");
    expect((await call(`/dashboard/campaigns/${campaign.id}/resume`, { method: "POST", as: owner })).status).toBe(202);
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    expect(done.counts).toMatchObject({ total: 55, processed: 55, succeeded: 55 });
    const sent = (await sentTo()).filter((e: any) => e.to[0].startsWith("limit."));
    expect(sent).toHaveLength(55);
    expect(new Set(sent.map((e: any) => e.to[0])).size).toBe(55);
  }, 90_000);
});

describe("Resend webhooks", () => {
  async function sentMessage(tag: string) {
    const owner = await signIn(`hooks.${tag}@example.com`);
    const { campaign } = await emailCampaign(owner, 1, `hook${tag}`);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    const message = await env.DB.prepare("SELECT * FROM messages WHERE campaign_id = ?").bind(campaign.id).first<Record<string, any>>();
    return { owner, message: message! };
  }
  const post = (body: string, headers: Record<string, string>) => call("/webhook/resend", { method: "POST", headers, body });

  it("refuses missing, wrong and stale signatures, and ignores a replayed delivery", async () => {
    const { message } = await sentMessage("sig");
    const body = JSON.stringify({ type: "email.delivered", created_at: new Date().toISOString(), data: { email_id: message.provider_message_id } });
    expect((await post(body, { "content-type": "application/json" })).status).toBe(401);
    expect((await post(body, await svixHeaders(body, { secret: "whsec_" + btoa("not the secret at all!") }))).status).toBe(401);
    expect((await post(body, await svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(401);
    const tampered = await svixHeaders(body);
    expect((await post(body.replace("delivered", "bounced"), tampered)).status).toBe(401);

    const headers = await svixHeaders(body);
    const first = await jsonOf(await post(body, headers));
    expect(first).toMatchObject({ duplicate: false, applied: "delivered" });
    const replay = await jsonOf(await post(body, headers));
    expect(replay).toMatchObject({ duplicate: true });
  }, 30_000);

  it("records a bounce and suppresses the lead on every channel", async () => {
    const { owner, message } = await sentMessage("bounce");
    const body = JSON.stringify({ type: "email.bounced", created_at: new Date().toISOString(), data: { email_id: message.provider_message_id } });
    expect((await post(body, await svixHeaders(body))).status).toBe(200);
    const row = await env.DB.prepare("SELECT status FROM messages WHERE id = ?").bind(message.id).first<{ status: string }>();
    expect(row?.status).toBe("bounced");
    const list = await jsonOf(await call("/dashboard/suppressions", { as: owner }));
    expect(list.items).toEqual([expect.objectContaining({ kind: "bounce", value: "hookbounce.0@example.com" })]);
  }, 30_000);

  it("matches a reply by its signed address, marks the lead replied, and a 'stop' reply suppresses it", async () => {
    const { owner, message } = await sentMessage("reply");
    const sent = await sentTo("hookreply.0@example.com");
    const replyTo = sent[0].replyTo[0];
    const inbound = await fetch(`${env.SANDBOX_URL}/resend/sandbox/inbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "hookreply.0@example.com", to: [replyTo], subject: "Re: hello", text: "Please stop emailing me.\n\nOn Tue, Acme wrote:\n> unsubscribe link here" }) });
    const { id } = (await inbound.json()) as { id: string };
    const body = JSON.stringify({ type: "email.received", created_at: new Date().toISOString(), data: { email_id: id, to: [replyTo], from: "hookreply.0@example.com" } });
    const res = await jsonOf(await post(body, await svixHeaders(body)));
    expect(res.applied).toBe("reply (opt-out)");
    const lead = await jsonOf(await call(`/dashboard/leads/${message.lead_id}`, { as: owner }));
    expect(lead.status).toBe("replied");
    const timeline = await env.DB.prepare("SELECT direction, parent_id FROM messages WHERE lead_id = ? ORDER BY created_at").bind(message.lead_id).all<{ direction: string; parent_id: string | null }>();
    expect(timeline.results).toEqual([{ direction: "outbound", parent_id: null }, { direction: "inbound", parent_id: message.id }]);
    const shown = await jsonOf(await call(`/dashboard/leads/${message.lead_id}/messages`, { as: owner }));
    expect(shown.items.map((m: any) => [m.direction, m.content?.slice(0, 24)])).toEqual([["inbound", "Please stop emailing me."], ["outbound", expect.any(String)]]);
    expect((await jsonOf(await call("/dashboard/suppressions", { as: owner }))).items[0]).toMatchObject({ kind: "opt_out" });
  }, 30_000);

  it("ignores a reply to an address we did not sign, so no other org's lead can be touched", async () => {
    const body = JSON.stringify({ type: "email.received", created_at: new Date().toISOString(), data: { email_id: "nope" } });
    const forged = await fetch(`${env.SANDBOX_URL}/resend/sandbox/inbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "x@example.com", to: ["reply+org_forged.msg_forged.AAAA@reply.noir.test"], subject: "hi", text: "stop" }) });
    const { id } = (await forged.json()) as { id: string };
    const real = body.replace("nope", id);
    expect((await jsonOf(await post(real, await svixHeaders(real)))).applied).toBe("no reply address of ours");
  });
});

describe("the unsubscribe link", () => {
  it("shows a confirmation on GET and suppresses on the one-click POST; a tampered token is 404", async () => {
    const owner = await signIn("unsub.owner@example.com");
    const { campaign } = await emailCampaign(owner, 1, "unsub");
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    const [email] = await sentTo("unsub.0@example.com");
    const url = new URL(/<([^>]+)>/.exec(email.headers["List-Unsubscribe"])![1]!);
    const page = await call(url.pathname.replace(/^\/api/, ""));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<form method=\"post\"");
    expect((await jsonOf(await call("/dashboard/suppressions", { as: owner }))).items).toHaveLength(0);

    const oneClick = await call(url.pathname.replace(/^\/api/, ""), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect((await jsonOf(await call("/dashboard/suppressions", { as: owner }))).items[0]).toMatchObject({ kind: "opt_out", value: "unsub.0@example.com" });
    expect((await call(url.pathname.replace(/^\/api/, "").slice(0, -3) + "xyz")).status).toBe(404);
  }, 30_000);
});
