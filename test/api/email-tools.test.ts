import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, create, jsonOf, signIn, withBearer } from "./client";
import { emailCampaign, sentTo, setPlan, svixHeaders, waitForProgress } from "./engine-helpers";

describe("email tools from the dashboard", () => {
  it("drafts an email for a lead and script without sending anything", async () => {
    const owner = await signIn("tools.generate@example.com");
    const script = await create(owner, "/dashboard/scripts", { name: "Pitch", content: "We cut onboarding time in half." });
    const lead = await create(owner, "/dashboard/leads", { firstName: "Marta", company: "Lviv Labs", email: "marta@example.com" });
    const res = await call("/dashboard/email/generate", { method: "POST", as: owner, json: { kind: "followup", leadId: lead.id, scriptId: script.id } });
    expect(res.status).toBe(200);
    const draft = await jsonOf(res);
    expect(draft.source).toBe("llm");
    expect(`${draft.subject} ${draft.text}`).toContain("Marta");
    expect(await sentTo("marta@example.com")).toEqual([]);
    expect((await call("/dashboard/email/generate", { method: "POST", as: owner, json: { kind: "weekly" } })).status).toBe(422);
  });

  it("sends a test only to the signed-in user's own address: no open relay", async () => {
    const owner = await signIn("tools.self@example.com");
    const res = await call("/dashboard/email/test", { method: "POST", as: owner, json: {} });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).to).toBe("tools.self@example.com");
    const [email] = await sentTo("tools.self@example.com");
    expect(email.subject).toMatch(/^\[Test\]/);
    // There is no field to name another recipient, and keys have no inbox.
    expect((await call("/dashboard/email/test", { method: "POST", as: owner, json: { to: "victim@example.com" } })).status).toBe(422);
    expect(await sentTo("victim@example.com")).toEqual([]);
    const { key } = await create(owner, "/dashboard/api-keys", { name: "k" });
    expect((await call("/dashboard/email/test", { method: "POST", as: withBearer(key), json: {} })).status).toBe(403);
    const usage = await env.DB.prepare("SELECT used FROM usage_counters WHERE org_id = ? AND metric = 'emails'").bind(owner.orgId).first<{ used: number }>();
    expect(usage?.used).toBe(1);
  });
});

describe("AI auto-replies", () => {
  async function reply(replyTo: string, from: string, text: string) {
    const inbound = await fetch(`${env.SANDBOX_URL}/resend/sandbox/inbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from, to: [replyTo], subject: "Re: hello", text }) });
    const { id } = (await inbound.json()) as { id: string };
    const body = JSON.stringify({ type: "email.received", created_at: new Date().toISOString(), data: { email_id: id } });
    return (await jsonOf(await call("/webhook/resend", { method: "POST", headers: await svixHeaders(body), body }))).applied as string;
  }

  it("answer within the thread when turned on, at most three a lead a day, and never after an opt-out", async () => {
    const owner = await signIn("tools.auto@example.com");
    await setPlan(owner.orgId, "enterprise");
    await create(owner, "/dashboard/channel-configs", { channel: "email", config: { fromEmail: "sales@acme.example", autoReply: true } });
    const { campaign } = await emailCampaign(owner, 1, "auto");
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    await waitForProgress(owner, campaign.id, (p) => p.status === "completed");
    const [first] = await sentTo("auto.0@example.com");
    const replyTo = first.replyTo[0];

    expect(await reply(replyTo, "auto.0@example.com", "What does it cost?")).toBe("reply (auto-replied)");
    const answers = await sentTo("auto.0@example.com");
    expect(answers).toHaveLength(2);
    const answer = await env.DB.prepare("SELECT parent_id, json_extract(metadata, '$.autoReply') AS auto FROM messages WHERE direction = 'outbound' AND parent_id IS NOT NULL").first<{ parent_id: string; auto: number }>();
    expect(answer?.auto).toBe(1);

    expect(await reply(replyTo, "auto.0@example.com", "And the setup?")).toBe("reply (auto-replied)");
    expect(await reply(replyTo, "auto.0@example.com", "Any discounts?")).toBe("reply (auto-replied)");
    expect(await reply(replyTo, "auto.0@example.com", "One more thing")).toBe("reply");
    expect(await sentTo("auto.0@example.com")).toHaveLength(4);

    expect(await reply(replyTo, "auto.0@example.com", "Stop")).toBe("reply (opt-out)");
    expect(await sentTo("auto.0@example.com")).toHaveLength(4);
  }, 60_000);
});
