import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, jsonOf, signIn } from "./client";
import { emailCampaign, sentTo, setPlan, svixHeaders, waitForProgress } from "./engine-helpers";

describe("follow-up steps and the contact policy", () => {
  it("sends the follow-up after its delay, but not to a lead who replied", async () => {
    const owner = await signIn("seq.reply@example.com");
    await setPlan(owner.orgId, "enterprise");
    // Step two waits 12 s: long enough for a reply to land first.
    const steps = [{ delayMinutes: 0, channels: null, stopOnReply: true }, { delayMinutes: 0.2, channels: ["email"], stopOnReply: true }];
    const { campaign } = await emailCampaign(owner, 2, "seqreply", { steps });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const deadline = Date.now() + 20_000;
    while ((await sentTo("seqreply.0@example.com")).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [first] = await sentTo("seqreply.0@example.com");
    const inbound = await fetch(`${env.SANDBOX_URL}/resend/sandbox/inbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "seqreply.0@example.com", to: [first.replyTo[0]], subject: "Re: hi", text: "Sounds interesting, tell me more." }) });
    const { id } = (await inbound.json()) as { id: string };
    const body = JSON.stringify({ type: "email.received", created_at: new Date().toISOString(), data: { email_id: id } });
    expect((await jsonOf(await call("/webhook/resend", { method: "POST", headers: await svixHeaders(body), body }))).applied).toBe("reply");

    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 60_000);
    expect(done.counts).toMatchObject({ total: 2, processed: 2, succeeded: 2 });
    expect(await sentTo("seqreply.0@example.com")).toHaveLength(1);
    expect(await sentTo("seqreply.1@example.com")).toHaveLength(2);
  }, 90_000);

  it("touches a lead at most N times a day across steps, deferring the rest rather than dropping it", async () => {
    const owner = await signIn("seq.cap@example.com");
    await setPlan(owner.orgId, "enterprise");
    await call("/dashboard/org", { method: "PATCH", as: owner, json: { maxTouchesPerDay: 2 } });
    const steps = [0, 1, 2].map(() => ({ delayMinutes: 0, channels: null, stopOnReply: false }));
    const { campaign, leadIds } = await emailCampaign(owner, 1, "seqcap", { steps });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const deadline = Date.now() + 30_000;
    let assignment: any;
    while (Date.now() < deadline) {
      assignment = (await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { as: owner }))).items[0].assignment;
      if (assignment.step === 2 && assignment.note) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(assignment).toMatchObject({ status: "pending", step: 2, note: "contact limit for this lead" });
    expect(Date.parse(assignment.nextAt)).toBeGreaterThan(Date.now() + 20 * 3600 * 1000);
    expect(await sentTo("seqcap.0@example.com")).toHaveLength(2);
    const lead = await jsonOf(await call(`/dashboard/leads/${leadIds[0]}`, { as: owner }));
    expect(lead.status).toBe("contacted");
  }, 60_000);

  it("streams progress over a hibernating WebSocket", async () => {
    const owner = await signIn("seq.socket@example.com");
    const { campaign } = await emailCampaign(owner, 3, "seqws");
    const res = await call(`/dashboard/campaigns/${campaign.id}/progress`, { as: owner, headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const socket = res.webSocket!;
    socket.accept();
    const updates: any[] = [];
    const completed = new Promise<void>((resolve) => {
      socket.addEventListener("message", (event) => {
        const update = JSON.parse(String(event.data));
        updates.push(update);
        if (update.status === "completed") resolve();
      });
    });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    await Promise.race([completed, new Promise((_, reject) => setTimeout(() => reject(new Error(`no completion: ${JSON.stringify(updates)}`)), 30_000))]);
    expect(updates.at(-1).counts).toMatchObject({ total: 3, processed: 3, succeeded: 3 });
    expect(updates.map((u) => u.counts.processed)).toEqual([...updates.map((u) => u.counts.processed)].sort((a, b) => a - b));
    socket.close();
    // Another org cannot listen in.
    const stranger = await signIn("seq.stranger@example.com");
    expect((await call(`/dashboard/campaigns/${campaign.id}/progress`, { as: stranger, headers: { upgrade: "websocket" } })).status).toBe(404);
  }, 60_000);
});

describe("the suppression list", () => {
  it("imports and exports as CSV, normalising contacts and refusing bad rows with their line", async () => {
    const owner = await signIn("supp.csv@example.com");
    const csv = "value,kind,reason\n+380 67 555 0000,do_not_call,asked\nOPT@Example.com,opt_out,\nnot a contact!,manual,\n@tg_user_x,,\n";
    const result = await jsonOf(await call("/dashboard/suppressions/import", { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: csv }));
    expect(result).toMatchObject({ added: 3, alreadyListed: 0, invalid: [expect.objectContaining({ line: 4 })] });
    const again = await jsonOf(await call("/dashboard/suppressions/import", { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: csv }));
    expect(again.alreadyListed).toBe(3);
    const exported = await (await call("/dashboard/suppressions/export.csv", { as: owner })).text();
    expect(exported.split(/\r?\n/)[0]).toBe("value,kind,channel,reason,created_at");
    for (const value of ["+380675550000", "opt@example.com", "tg_user_x"]) expect(exported).toContain(value);
  });
});
