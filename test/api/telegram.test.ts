import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openSession } from "../../workers/domain/telegram/session-seal";
import { call, jsonOf, signIn } from "./client";
import { sentTo, setPlan, waitForProgress } from "./engine-helpers";
import { loggedInAccount, poolHeaders, sentByAccount, standIn, telegramCampaign } from "./telegram-helpers";

const accountRow = (id: string) => env.DB.prepare("SELECT * FROM telegram_accounts WHERE id = ?1").bind(id).first<any>();

describe("Telegram accounts", () => {
  it("logs an account in with the code, and with the 2FA password when Telegram asks, keeping its session sealed", async () => {
    const owner = await signIn("tg.login@example.com");
    const added = await jsonOf(await call("/dashboard/telegram-accounts", { method: "POST", as: owner, json: { phone: "+380501110009" } }));
    expect(added).toMatchObject({ status: "code_sent", account: { status: "login_pending", phone: "+380501110009" } });
    const id = added.account.id;

    const wrong = await jsonOf(await call(`/dashboard/telegram-accounts/${id}/verify`, { method: "POST", as: owner, json: { code: "99999" } }));
    expect(wrong.status).toBe("code_invalid");
    const asked = await jsonOf(await call(`/dashboard/telegram-accounts/${id}/verify`, { method: "POST", as: owner, json: { code: "12345" } }));
    expect(asked.status).toBe("password_needed");
    const bad = await jsonOf(await call(`/dashboard/telegram-accounts/${id}/verify`, { method: "POST", as: owner, json: { password: "guess" } }));
    expect(bad.status).toBe("password_invalid");
    const done = await jsonOf(await call(`/dashboard/telegram-accounts/${id}/verify`, { method: "POST", as: owner, json: { password: "sandbox-2fa" } }));
    expect(done).toMatchObject({ status: "signed_in", account: { status: "warming_up", loggedIn: true, allowanceToday: 5, dailyLimit: 30, sentToday: 0 } });
    expect(done.account.username).toMatch(/^sandbox_/);
    expect(JSON.stringify(done)).not.toMatch(/session/i);

    // At rest: sealed with AES-GCM under the deployment's key, bound to this account's id.
    const row = await accountRow(id);
    expect(row.session_ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    const session = await openSession(row.session_ciphertext, id, env.TELEGRAM_SESSION_KEY!);
    expect(session.length).toBeGreaterThan(10);
    expect(row.session_ciphertext).not.toContain(session);
    const otherKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    await expect(openSession(row.session_ciphertext, id, otherKey)).rejects.toThrow(/does not open with TELEGRAM_SESSION_KEY/);
    await expect(openSession(row.session_ciphertext, "tga_someone_else", env.TELEGRAM_SESSION_KEY!)).rejects.toThrow(/does not open/);
  });

  it("refuses numbers Telegram does not know and bad codes with a clear problem, and keeps accounts to their org", async () => {
    const owner = await signIn("tg.refuse@example.com");
    const invalid = await call("/dashboard/telegram-accounts", { method: "POST", as: owner, json: { phone: "+380501230000" } });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-type")).toContain("application/problem+json");
    expect((await invalid.json<any>()).errors).toEqual([{ field: "body.phone", message: expect.any(String) }]);
    // A number Telegram refused leaves no half-made account behind.
    expect((await jsonOf(await call("/dashboard/telegram-accounts", { as: owner }))).items).toEqual([]);
    expect((await call("/dashboard/telegram-accounts", { method: "POST", as: owner, json: { phone: "not a phone" } })).status).toBe(422);
    const account = await loggedInAccount(owner, "+380501230001");
    const badCode = await call(`/dashboard/telegram-accounts/${account.id}/verify`, { method: "POST", as: owner, json: { code: "12ab" } });
    expect(badCode.status).toBe(422);

    const stranger = await signIn("tg.stranger@example.com");
    expect((await call(`/dashboard/telegram-accounts/${account.id}`, { method: "PATCH", as: stranger, json: { dailyLimit: 50 } })).status).toBe(404);
    expect((await call(`/dashboard/telegram-accounts/${account.id}`, { method: "DELETE", as: stranger })).status).toBe(404);
    expect((await jsonOf(await call("/dashboard/telegram-accounts", { as: stranger }))).items).toEqual([]);
  });

  it("lets the owner set the daily limit, disable and remove an account", async () => {
    const owner = await signIn("tg.manage@example.com");
    const account = await loggedInAccount(owner, "+380501240001");
    const limited = await jsonOf(await call(`/dashboard/telegram-accounts/${account.id}`, { method: "PATCH", as: owner, json: { dailyLimit: 3 } }));
    expect(limited).toMatchObject({ dailyLimit: 3, allowanceToday: 3 });
    const disabled = await jsonOf(await call(`/dashboard/telegram-accounts/${account.id}`, { method: "PATCH", as: owner, json: { enabled: false } }));
    expect(disabled.status).toBe("disabled");
    const back = await jsonOf(await call(`/dashboard/telegram-accounts/${account.id}`, { method: "PATCH", as: owner, json: { enabled: true } }));
    expect(back.status).toBe("warming_up");
    expect((await call(`/dashboard/telegram-accounts/${account.id}`, { method: "DELETE", as: owner })).status).toBe(204);
    expect(await accountRow(account.id)).toBeNull();
  });
});

describe.concurrent("a Telegram campaign", () => {
  it("spreads DMs over the org's accounts, fewest sent first, each account pausing between sends, and counts them once", async ({ expect }) => {
    const owner = await signIn("tg.campaign@example.com");
    await setPlan(owner.orgId, "starter");
    const a = await loggedInAccount(owner, "+380502220001");
    const b = await loggedInAccount(owner, "+380502220002");
    const { campaign } = await telegramCampaign(owner, ["Ann,tg_ann_lead,", "Bo,tg_bo_lead,", "Cy,tg_cy_lead,", "Di,tg_di_lead,"]);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 30_000);
    expect(done.counts).toMatchObject({ total: 4, succeeded: 4 });

    const sent = await sentByAccount();
    // Both accounts share the work (fewest-sent-first itself: account-turns.test.ts); a turn the
    // queue bunched with another is handed back and may land on either account.
    expect(sent[a.id]!.length).toBeGreaterThanOrEqual(1);
    expect(sent[b.id]!.length).toBeGreaterThanOrEqual(1);
    expect(sent[a.id]!.length + sent[b.id]!.length).toBe(4);
    const to = [...sent[a.id]!, ...sent[b.id]!].map((m) => m.to.username).sort();
    expect(to).toEqual(["tg_ann_lead", "tg_bo_lead", "tg_cy_lead", "tg_di_lead"]);
    // TELEGRAM_GAP_SECONDS is 0.2–0.4 here (30–90 s in production): no account sends twice within
    // it, less the 10% a late queue delivery may take off.
    for (const id of [a.id, b.id]) {
      const times = sent[id]!.map((m) => Date.parse(m.at)).sort((x, y) => x - y);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(170);
    }
    // The DM is written for a chat, not an email: no subject, and it is what the lead received.
    const { results } = await env.DB.prepare("SELECT content, subject, metadata FROM messages WHERE org_id = ?1 AND channel = 'telegram' AND direction = 'outbound'").bind(owner.orgId).all<any>();
    expect(results).toHaveLength(4);
    expect(results.every((m) => m.subject === null)).toBe(true);
    // Written as a chat message: it greets the lead by name and carries no email sign-off.
    for (const m of results) expect(m.content).toMatch(/^Hi (Ann|Bo|Cy|Di)!/);
    expect(results.some((m) => /Best regards/.test(m.content))).toBe(false);
    expect(results.map((m) => m.content).sort()).toEqual([...sent[a.id]!, ...sent[b.id]!].map((m) => m.text).sort());
    const accounts = (await jsonOf(await call("/dashboard/telegram-accounts", { as: owner }))).items;
    expect(accounts.map((x: any) => x.sentToday).sort()).toEqual([sent[a.id]!.length, sent[b.id]!.length].sort());
    const usage = await jsonOf(await call("/dashboard/usage", { as: owner }));
    expect(JSON.stringify(usage)).toMatch(/"telegram_messages"|telegramMessages/);
    const telegramUsed = await env.DB.prepare("SELECT used FROM usage_counters WHERE org_id = ?1 AND metric = 'telegram_messages'").bind(owner.orgId).first<number>("used");
    expect(telegramUsed).toBe(4);
  }, 30_000);

  it("falls back to email for a lead Telegram cannot reach, and when the org has no account that can send", async ({ expect }) => {
    const owner = await signIn("tg.fallback@example.com");
    await setPlan(owner.orgId, "starter");
    await loggedInAccount(owner, "+380502330001");
    const { campaign } = await telegramCampaign(owner, ["Gone,missing_lead_1,gone.tg@example.com", "Shy,private_lead_1,shy.tg@example.com", "Ok,reachable_lead_1,ok.tg@example.com"]);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    expect((await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 30_000)).counts).toMatchObject({ succeeded: 3 });
    expect(await sentTo("gone.tg@example.com")).toHaveLength(1);
    expect(await sentTo("shy.tg@example.com")).toHaveLength(1);
    expect(await sentTo("ok.tg@example.com")).toHaveLength(0);

    const lonely = await signIn("tg.noaccount@example.com");
    await setPlan(lonely.orgId, "starter");
    const run = await telegramCampaign(lonely, ["Solo,solo_lead_1,solo.tg@example.com"]);
    await call(`/dashboard/campaigns/${run.campaign.id}/execute`, { method: "POST", as: lonely });
    expect((await waitForProgress(lonely, run.campaign.id, (p) => p.status === "completed", 30_000)).counts).toMatchObject({ succeeded: 1 });
    expect(await sentTo("solo.tg@example.com")).toHaveLength(1);
  }, 60_000);

  it("holds a warming-up account to today's allowance: the rest wait for tomorrow instead of failing", async ({ expect }) => {
    const owner = await signIn("tg.warmup@example.com");
    await setPlan(owner.orgId, "starter");
    const account = await loggedInAccount(owner, "+380502440001");
    const rows = Array.from({ length: 7 }, (_, i) => `W${i},warm_lead_${i},`);
    const { campaign } = await telegramCampaign(owner, rows);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    await waitForProgress(owner, campaign.id, (p) => p.counts.succeeded === 5, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await sentByAccount())[account.id]).toHaveLength(5);
    const tomorrow = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;
    const waiting = async () => (await env.DB.prepare("SELECT status, next_at FROM campaign_leads WHERE campaign_id = ?1 AND status != 'succeeded'").bind(campaign.id).all<any>()).results;
    // A lead handed back a moment ago (its account had just sent) settles on tomorrow at the runner's next pass.
    await expect.poll(waiting, { timeout: 10_000 }).toEqual([{ status: "pending", next_at: tomorrow }, { status: "pending", next_at: tomorrow }]);
    const progress = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/progress`, { as: owner }));
    expect(progress.counts).toMatchObject({ failed: 0, succeeded: 5 });
  }, 40_000);

  it("takes a banned account out of the pool and sends through another, never twice to the same lead", async ({ expect }) => {
    const owner = await signIn("tg.banned@example.com");
    await setPlan(owner.orgId, "starter");
    const doomed = await loggedInAccount(owner, "+380502550001");
    const healthy = await loggedInAccount(owner, "+380502550002");
    const behaviour: any = await (await standIn("/behaviour")).json();
    await standIn("/behaviour", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ banned: [...behaviour.banned, doomed.id] }) });
    const { campaign } = await telegramCampaign(owner, ["X1,ban_lead_1,", "X2,ban_lead_2,", "X3,ban_lead_3,"]);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    expect((await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 30_000)).counts).toMatchObject({ succeeded: 3 });
    const sent = await sentByAccount();
    expect(sent[doomed.id] ?? []).toHaveLength(0);
    expect(sent[healthy.id]!.map((m) => m.to.username).sort()).toEqual(["ban_lead_1", "ban_lead_2", "ban_lead_3"]);
    const accounts = (await jsonOf(await call("/dashboard/telegram-accounts", { as: owner }))).items;
    expect(accounts.find((x: any) => x.id === doomed.id)).toMatchObject({ status: "banned", lastError: expect.stringContaining("banned") });
  }, 30_000);
});

describe("a DM whose fate is unknown", () => {
  it("is never sent again from another account: with the account that may have sent it gone, the lead falls back", async () => {
    const owner = await signIn("tg.unknown@example.com");
    await setPlan(owner.orgId, "starter");
    const gone = await loggedInAccount(owner, "+380502990001");
    const other = await loggedInAccount(owner, "+380502990002");
    const { campaign, leads } = await telegramCampaign(owner, ["Una,unknown_lead_1,una.tg@example.com"]);
    // A crash after the pool was asked, before the answer was recorded: the outbox still says "sending" through `gone`.
    await env.DB.prepare("INSERT INTO dispatch_outbox (idempotency_key, org_id, campaign_id, lead_id, step, channel, state, payload, message_id, attempts, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, 'telegram', 'sending', ?5, ?6, 1, ?7, ?7)")
      .bind(`${campaign.id}:${leads[0].id}:0:telegram`, owner.orgId, campaign.id, leads[0].id, JSON.stringify({ text: "Hi Una!", to: "unknown_lead_1", accountId: gone.id }), "msg_01unknownfate0000000000000", Date.now())
      .run();
    expect((await call(`/dashboard/telegram-accounts/${gone.id}`, { method: "DELETE", as: owner })).status).toBe(204);
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    expect((await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 30_000)).counts).toMatchObject({ succeeded: 1 });
    expect((await sentByAccount())[other.id] ?? []).toHaveLength(0);
    expect(await sentTo("una.tg@example.com")).toHaveLength(1);
  }, 30_000);
});

describe("Telegram replies from the pool", () => {
  const PATH = "/api/webhook/telegram";
  const post = async (body: string, headers: Record<string, string>) => call(PATH.replace("/api", ""), { method: "POST", headers, body });

  it("refuses unsigned, wrongly signed and stale posts, and bad bodies with field errors", async () => {
    const body = JSON.stringify({ accountId: "tga_x", messageId: 1, from: { userId: "1", username: "x", phone: null }, text: "hi", date: new Date().toISOString() });
    expect((await post(body, { "content-type": "application/json" })).status).toBe(401);
    expect((await post(body, await poolHeaders(PATH, body, { secret: "not-the-shared-secret-at-all" }))).status).toBe(401);
    expect((await post(body, await poolHeaders(PATH, body, { timestamp: Math.floor(Date.now() / 1000) - 600 }))).status).toBe(401);
    const tampered = await poolHeaders(PATH, body);
    expect((await post(body.replace("hi", "ho"), tampered)).status).toBe(401);
    const bad = JSON.stringify({ accountId: "tga_x", messageId: -1, text: 5 });
    const refused = await post(bad, await poolHeaders(PATH, bad));
    expect(refused.status).toBe(422);
    expect((await refused.json<any>()).errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(["body.messageId", "body.text", "body.from"]));
  });

  it("marks the lead replied so its follow-up never goes, and a 'stop' suppresses it everywhere; a repeat changes nothing", async () => {
    const owner = await signIn("tg.reply@example.com");
    await setPlan(owner.orgId, "starter");
    const account = await loggedInAccount(owner, "+380502660001");
    // The follow-up is due 3 s after the first DM: time enough to reply to it.
    const steps = [{ delayMinutes: 0, channels: null, stopOnReply: true }, { delayMinutes: 0.05, channels: null, stopOnReply: true }];
    const { campaign, leads } = await telegramCampaign(owner, ["Rita,rita_lead_1,", "Sam,sam_lead_1,"], { steps });
    await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
    let sent: any[] = [];
    for (let i = 0; i < 100 && sent.length < 2; i++) {
      sent = (await sentByAccount())[account.id] ?? [];
      await new Promise((r) => setTimeout(r, 50));
    }
    const { results } = await env.DB.prepare("SELECT lead_id, metadata FROM messages WHERE org_id = ?1 AND channel = 'telegram'").bind(owner.orgId).all<any>();
    const rita = leads.find((l) => l.telegramUsername === "rita_lead_1");
    const ritaPeer = JSON.parse(results.find((m) => m.lead_id === rita.id).metadata).peerUserId;
    const reply = JSON.stringify({ accountId: account.id, messageId: 9001, from: { userId: ritaPeer, username: "rita_lead_1", phone: null }, text: "Interesting, tell me more", date: new Date().toISOString() });
    const applied = await jsonOf(await post(reply, await poolHeaders(PATH, reply)));
    expect(applied).toEqual({ received: true, duplicate: false, applied: "reply" });
    expect(await jsonOf(await post(reply, await poolHeaders(PATH, reply)))).toMatchObject({ duplicate: true });

    const done = await waitForProgress(owner, campaign.id, (p) => p.status === "completed", 30_000);
    expect(done.counts.total).toBe(2);
    const toRita = ((await sentByAccount())[account.id] ?? []).filter((m) => m.to.username === "rita_lead_1");
    expect(toRita).toHaveLength(1);
    const lead = await jsonOf(await call(`/dashboard/leads/${rita.id}`, { as: owner }));
    expect(lead.status).toBe("replied");
    const timeline = await jsonOf(await call(`/dashboard/leads/${rita.id}/messages`, { as: owner }));
    expect(JSON.stringify(timeline)).toContain("Interesting, tell me more");

    const sam = leads.find((l) => l.telegramUsername === "sam_lead_1");
    const stop = JSON.stringify({ accountId: account.id, messageId: 9002, from: { userId: "424242", username: "sam_lead_1", phone: null }, text: "STOP, don't write to me", date: new Date().toISOString() });
    expect(await jsonOf(await post(stop, await poolHeaders(PATH, stop)))).toMatchObject({ applied: "reply (opt-out)" });
    const suppressed = await env.DB.prepare("SELECT value FROM suppressions WHERE org_id = ?1 AND lead_id = ?2").bind(owner.orgId, sam.id).all<any>();
    expect(suppressed.results.map((r) => r.value)).toContain("sam_lead_1");
  }, 30_000);
});

// After the concurrent campaigns above: these change the stand-in's flood rules for every account.
describe("Telegram's flood limits", () => {
  const setBehaviour = (change: Record<string, unknown>) => standIn("/behaviour", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(change) });

  it("rests an account exactly as long as FLOOD_WAIT says, and the lead waits instead of failing", async () => {
    const owner = await signIn("tg.floodwait@example.com");
    await setPlan(owner.orgId, "starter");
    const account = await loggedInAccount(owner, "+380502770001");
    await setBehaviour({ minGapSeconds: 3600 });
    try {
      const { campaign } = await telegramCampaign(owner, ["F1,flood_lead_1,", "F2,flood_lead_2,"]);
      await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
      await waitForProgress(owner, campaign.id, (p) => p.counts.succeeded === 1, 20_000);
      let shown: any;
      for (let i = 0; i < 100 && shown?.status !== "cooldown"; i++) {
        shown = (await jsonOf(await call("/dashboard/telegram-accounts", { as: owner }))).items[0];
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(shown).toMatchObject({ id: account.id, status: "cooldown", lastError: expect.stringContaining("FLOOD_WAIT") });
      const rest = Date.parse(shown.cooldownUntil) - Date.now();
      expect(rest).toBeGreaterThan(3_500_000);
      expect(rest).toBeLessThanOrEqual(3_600_000);
      // Handed back at once, the lead then waits for the account's rest to end (the org's only account).
      const waiting = () => env.DB.prepare("SELECT status, next_at FROM campaign_leads WHERE campaign_id = ?1 AND status != 'succeeded'").bind(campaign.id).first<any>();
      await expect.poll(async () => (await waiting())?.next_at ?? 0, { timeout: 10_000 }).toBeGreaterThan(Date.now() + 3_500_000);
      expect((await waiting()).status).toBe("pending");
      expect((await sentByAccount())[account.id]).toHaveLength(1);
    } finally {
      await setBehaviour({ minGapSeconds: 0 });
    }
  }, 30_000);

  it("on PEER_FLOOD halves the account's limit and rests it a day", async () => {
    const owner = await signIn("tg.peerflood@example.com");
    await setPlan(owner.orgId, "starter");
    const account = await loggedInAccount(owner, "+380502880001");
    await setBehaviour({ dailyPeerFloodAfter: 0 });
    try {
      const { campaign } = await telegramCampaign(owner, ["P1,peer_lead_1,"]);
      await call(`/dashboard/campaigns/${campaign.id}/execute`, { method: "POST", as: owner });
      let shown: any;
      for (let i = 0; i < 150 && shown?.status !== "cooldown"; i++) {
        shown = (await jsonOf(await call("/dashboard/telegram-accounts", { as: owner }))).items[0];
        await new Promise((r) => setTimeout(r, 100));
      }
      // A first-day account may send 5; PEER_FLOOD halves that into its ceiling.
      expect(shown).toMatchObject({ id: account.id, status: "cooldown", dailyLimit: 2, lastError: expect.stringContaining("PEER_FLOOD") });
      expect(Date.parse(shown.cooldownUntil) - Date.now()).toBeGreaterThan(86_000_000);
      expect((await sentByAccount())[account.id] ?? []).toHaveLength(0);
    } finally {
      await setBehaviour({ dailyPeerFloodAfter: 50 });
    }
  }, 30_000);
});
