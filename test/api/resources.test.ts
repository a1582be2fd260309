import { describe, expect, it } from "vitest";
import { call, create, jsonOf, signIn } from "./client";

describe("scripts, voices, numbers and channel settings", () => {
  it("create, read, update and delete a script with objection handlers", async () => {
    const owner = await signIn("crud.scripts@example.com");
    const script = await create(owner, "/dashboard/scripts", { name: "Cold intro", content: "Hi {firstName}", objectionHandlers: [{ triggers: ["too expensive", "price"], response: "It pays for itself." }] });
    expect(script).toMatchObject({ name: "Cold intro", objectionHandlers: [{ triggers: ["too expensive", "price"] }] });

    const patched = await jsonOf(await call(`/dashboard/scripts/${script.id}`, { method: "PATCH", as: owner, json: { name: "Warm intro" } }));
    // A PATCH changes only what it names.
    expect(patched).toMatchObject({ name: "Warm intro", content: "Hi {firstName}", objectionHandlers: script.objectionHandlers });
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(script.updatedAt));

    expect((await call(`/dashboard/scripts/${script.id}`, { method: "DELETE", as: owner })).status).toBe(204);
    expect((await call(`/dashboard/scripts/${script.id}`, { as: owner })).status).toBe(404);
  });

  it("keeps voice settings within the values the voice agent supports", async () => {
    const owner = await signIn("crud.voice@example.com");
    const voice = await create(owner, "/dashboard/voice-configs", { name: "Olena", voiceId: "B31Kx7rXmNnYqp1QWHR2", language: "uk-en", personality: "empathetic", speed: 1.1 });
    expect(voice).toMatchObject({ language: "uk-en", personality: "empathetic", speed: 1.1 });
    for (const bad of [{ language: "ru" }, { personality: "rude" }, { speed: 3 }]) {
      expect((await call(`/dashboard/voice-configs/${voice.id}`, { method: "PATCH", as: owner, json: bad })).status).toBe(422);
    }
  });

  it("stores phone numbers as E.164 and refuses one already registered", async () => {
    const owner = await signIn("crud.numbers@example.com");
    const number = await create(owner, "/dashboard/phone-numbers", { number: "+1 (415) 555-0199", label: "US line" });
    expect(number.number).toBe("+14155550199");
    const again = await call("/dashboard/phone-numbers", { method: "POST", as: owner, json: { number: "+14155550199" } });
    expect(again.status).toBe(409);
    expect((await call("/dashboard/phone-numbers", { method: "POST", as: owner, json: { number: "12" } })).status).toBe(422);
  });

  it("validates channel settings per channel, one config per channel", async () => {
    const owner = await signIn("crud.channels@example.com");
    const email = await create(owner, "/dashboard/channel-configs", { channel: "email", config: { fromEmail: "sales@acme.example", fromName: "Acme" } });
    expect(email.config).toMatchObject({ fromEmail: "sales@acme.example", autoReply: false });
    expect((await call("/dashboard/channel-configs", { method: "POST", as: owner, json: { channel: "email", config: { fromEmail: "x@acme.example" } } })).status).toBe(409);
    const bad = await call("/dashboard/channel-configs", { method: "POST", as: owner, json: { channel: "telegram", config: { minDelaySeconds: 100, maxDelaySeconds: 20 } } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await jsonOf(bad))).toContain("body.config.maxDelaySeconds");
    const telegram = await create(owner, "/dashboard/channel-configs", { channel: "telegram", config: {} });
    expect(telegram.config).toEqual({ minDelaySeconds: 30, maxDelaySeconds: 90 });
  });
});

describe("leads", () => {
  it("normalise contacts on create and edit, and refuse a duplicate contact", async () => {
    const owner = await signIn("crud.leads@example.com");
    const lead = await create(owner, "/dashboard/leads", { firstName: "Iryna", phone: "067 555 44 33", telegramUsername: "https://t.me/Iryna_Sales" });
    expect(lead).toMatchObject({ phone: "+380675554433", telegramUsername: "iryna_sales", status: "new" });
    const dup = await call("/dashboard/leads", { method: "POST", as: owner, json: { phone: "+380675554433" } });
    expect(dup.status).toBe(409);
    const edited = await jsonOf(await call(`/dashboard/leads/${lead.id}`, { method: "PATCH", as: owner, json: { status: "qualified", email: "IRYNA@EXAMPLE.COM" } }));
    expect(edited).toMatchObject({ status: "qualified", email: "iryna@example.com", phone: "+380675554433" });
    const bad = await call(`/dashboard/leads/${lead.id}`, { method: "PATCH", as: owner, json: { phone: null, telegramUsername: null, email: null } });
    expect(bad.status).toBe(422);
  });

  it("page through a list with cursors, newest first, with search and status filters", async () => {
    const owner = await signIn("crud.paging@example.com");
    for (let i = 0; i < 7; i++) await create(owner, "/dashboard/leads", { firstName: `P${i}`, email: `p${i}@example.com`, company: i % 2 ? "Odd Co" : "Even 100% Co" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await jsonOf(await call(`/dashboard/leads?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { as: owner }));
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((l: any) => l.firstName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["P6", "P5", "P4", "P3", "P2", "P1", "P0"]);

    const odd = await jsonOf(await call("/dashboard/leads?search=odd", { as: owner }));
    expect(odd.items).toHaveLength(3);
    // "%" is a literal character in a search, not a wildcard.
    expect((await jsonOf(await call(`/dashboard/leads?search=${encodeURIComponent("100%")}`, { as: owner }))).items).toHaveLength(4);
    expect((await jsonOf(await call(`/dashboard/leads?search=${encodeURIComponent("0%_")}`, { as: owner }))).items).toHaveLength(0);
    expect((await jsonOf(await call("/dashboard/leads?status=qualified", { as: owner }))).items).toHaveLength(0);
  });
});

describe("campaigns", () => {
  it("default to the quiet-hours window, order channels by priority, and take leads", async () => {
    const owner = await signIn("crud.campaigns@example.com");
    const script = await create(owner, "/dashboard/scripts", { name: "S" });
    const campaign = await create(owner, "/dashboard/campaigns", { name: "Q4", scriptId: script.id, channels: ["email", "telegram"], channelPriority: ["telegram", "email"] });
    expect(campaign).toMatchObject({ status: "draft", schedule: { windowStart: "09:00", windowEnd: "20:00", days: [1, 2, 3, 4, 5] }, channelPriority: ["telegram", "email"] });

    const mismatch = await call(`/dashboard/campaigns/${campaign.id}`, { method: "PATCH", as: owner, json: { channelPriority: ["voice", "email"] } });
    expect(mismatch.status).toBe(422);
    const badWindow = await call(`/dashboard/campaigns/${campaign.id}`, { method: "PATCH", as: owner, json: { schedule: { windowStart: "21:00", windowEnd: "09:00", days: [1] } } });
    expect(badWindow.status).toBe(422);

    const lead1 = await create(owner, "/dashboard/leads", { email: "c1@example.com" });
    const lead2 = await create(owner, "/dashboard/leads", { email: "c2@example.com" });
    const assign = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as: owner, json: { leadIds: [lead1.id, lead2.id, lead1.id, "ld_missing"] } }));
    expect(assign).toEqual({ assigned: 2, alreadyAssigned: 0, notFound: ["ld_missing"] });
    const again = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "POST", as: owner, json: { leadIds: [lead1.id] } }));
    expect(again).toEqual({ assigned: 0, alreadyAssigned: 1, notFound: [] });

    const listed = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { as: owner }));
    expect(listed.items.map((l: any) => l.assignment.status)).toEqual(["pending", "pending"]);

    // A lead may be in two campaigns at once.
    const other = await create(owner, "/dashboard/campaigns", { name: "Other", channels: ["email"] });
    expect((await jsonOf(await call(`/dashboard/campaigns/${other.id}/leads`, { method: "POST", as: owner, json: { leadIds: [lead1.id] } }))).assigned).toBe(1);

    // Many at once: D1 allows 100 bound parameters a statement, the API takes up to 1,000 ids.
    const bulk = await jsonOf(await call("/dashboard/leads/import", { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: ["email", ...Array.from({ length: 250 }, (_, i) => `bulk${i}@example.com`)].join("\n") }));
    expect(bulk.chunk.imported).toBe(250);
    const bulkIds: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await jsonOf(await call(`/dashboard/leads?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { as: owner }));
      bulkIds.push(...page.items.filter((l: any) => l.email?.startsWith("bulk")).map((l: any) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    const bulkAssign = await call(`/dashboard/campaigns/${other.id}/leads`, { method: "POST", as: owner, json: { leadIds: bulkIds } });
    expect(bulkAssign.status).toBe(200);
    expect((await jsonOf(bulkAssign)).assigned).toBe(250);

    const removed = await jsonOf(await call(`/dashboard/campaigns/${campaign.id}/leads`, { method: "DELETE", as: owner, json: { leadIds: [lead2.id] } }));
    expect(removed).toEqual({ removed: 1 });

    // Deleting a lead or script with history never fails: assignments go with the lead, the campaign keeps going without the script.
    expect((await call(`/dashboard/leads/${lead1.id}`, { method: "DELETE", as: owner })).status).toBe(204);
    expect((await call(`/dashboard/scripts/${script.id}`, { method: "DELETE", as: owner })).status).toBe(204);
    expect((await jsonOf(await call(`/dashboard/campaigns/${campaign.id}`, { as: owner }))).scriptId).toBeNull();
    expect((await call(`/dashboard/campaigns/${campaign.id}`, { method: "DELETE", as: owner })).status).toBe(204);
  });
});
