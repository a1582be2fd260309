import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo, type SeedResult } from "../../scripts/seed.mjs";
import { startStack, type RunningStack } from "../../scripts/stack/index.mjs";
import { launchBrowser } from "./support/chromium";
import { freePort } from "./support/free-port";

// For a human look after a run; nothing asserts on pixels.
const SCREENSHOTS = {
  landing: "/tmp/noir-landing.png",
  dashboard: "/tmp/noir-dashboard.png",
  voice: "/tmp/noir-voice.png",
  calls: "/tmp/noir-calls.png",
  callDetail: "/tmp/noir-call-detail.png",
  callsError: "/tmp/noir-calls-error.png",
  telegram: "/tmp/noir-telegram.png",
};

/** The sandbox's Twilio callee that answers, listens and books a meeting (sandbox/twilio/README.md). */
const INTERESTED = "+14155550100";
/** One of the numbers the sandbox's Twilio account holds from the start, free for any org. */
const ACCOUNT_NUMBER = "+14155550001";
/**
 * The Telegram stand-in's login rules (container/src/stand-in/directory.ts): every phone logs in
 * with 12345, phones ending 9 then ask for the 2FA password, phones ending 0000 are not Telegram's.
 */
const TG_2FA_PHONE = "+380501234569";
const TG_REFUSED_PHONE = "+380501230000";

/** The sandbox's ElevenLabs voices (sandbox/elevenlabs/voices.ts). */
const ADA = "sbxAdaEn9Kd1Fg6Jm3Qw";

// The real stack as `npm start` runs it — built Worker under wrangler dev, local D1, sandbox,
// seeded through the API — on its own ports and state dir, driven by a real Chromium.
describe("the site in a browser", () => {
  let stack: RunningStack;
  let seeded: SeedResult;
  let persistTo: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;

  beforeAll(async () => {
    persistTo = await mkdtemp(join(tmpdir(), "noir-state-"));
    stack = await startStack({ port: await freePort(), inspectorPort: await freePort(), persistTo, sandboxPort: 0, build: false, quiet: true });
    seeded = await seedDemo(stack.url, { log: () => {} });
    browser = await launchBrowser();
    context = browser.context;
    console.log(`[browser tests] migrations ${stack.timings.migrationsMs} ms, wrangler dev ready ${stack.timings.devReadyMs} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (persistTo) await rm(persistTo, { recursive: true, force: true });
  });

  /** Waits until the element with this id has keyboard focus (evaluated in the page). */
  const focusOn = (page: Page, id: string) => page.waitForFunction(`document.activeElement?.id === ${JSON.stringify(id)}`);

  /**
   * Opens a page and collects its script errors; the signed-out 401 is expected, not one, and so
   * are the failed responses a test provokes (`expected`: the statuses it asks for).
   */
  async function open(path: string, expected: number[] = []): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    const allowed = new RegExp(`status of (${[401, ...expected].join("|")})`);
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !allowed.test(message.text())) problems.push(message.text());
    });
    const response = await page.goto(new URL(path, stack.url).href);
    expect(response?.status()).toBe(200);
    return { page, problems };
  }

  it("the landing page shows the pitch, the three channels and the four plans", async () => {
    const { page, problems } = await open("/");
    await expect(page.locator("h1").textContent()).resolves.toBe("AI agents that sound human. Sell like pros.");
    const channels = await page.locator("#channels h3").allTextContents();
    expect(channels).toEqual(["Telegram", "Voice", "Email"]);
    const prices = await page.locator("#pricing [data-plan] .amount").allTextContents();
    expect(prices).toEqual(["$0", "$40", "$99", "$299"]);
    await page.screenshot({ path: SCREENSHOTS.landing, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a visitor signs in from the keyboard alone and sees the demo org's leads", async () => {
    expect(seeded.skipped).toBe(false);
    const { page, problems } = await open("/dashboard");

    // Signed out: the form appears with focus in the email field.
    await page.locator("#sign-in").waitFor({ state: "visible" });
    await focusOn(page, "sign-in-email");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("demo@noir.local");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Demo Owner");
    await page.keyboard.press("Tab");
    await page.locator("#sign-in button[type=submit]:focus").waitFor();
    await page.keyboard.press("Enter");

    // The page reloads signed in: org, role, then the first page of leads.
    await page.locator("#workspace").waitFor({ state: "visible" });
    await expect(page.locator("#org-name").textContent()).resolves.toBe(seeded.org.name);
    await expect(page.locator("[data-role]").textContent()).resolves.toBe("owner");
    const rows = page.locator("#leads-table tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(20);
    await expect(page.locator("[data-leads-count]").textContent()).resolves.toBe("(20+ leads)");

    // "Load more" from the keyboard brings the rest of the seeded leads.
    await page.locator("[data-leads-more]").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(seeded.imported?.imported ?? 40);
    await expect(page.locator("[data-leads-more]").isHidden()).resolves.toBe(true);
    // The button is gone, and focus went somewhere sensible rather than to <body>.
    await focusOn(page, "leads-title");
    const table = await page.locator("#leads-table").textContent();
    for (const company of ["Kyiv Dental Group", "Warszawa Software", "Kharkiv EdTech"]) expect(table).toContain(company);

    await page.screenshot({ path: SCREENSHOTS.dashboard, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
  // The voice-agent pages below continue in the signed-in context of the test above, in order:
  // the org starts with no calls and no phone number, gets both, then the API is made to fail.

  /** The text of an element, trimmed; "" when it has none. */
  const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? "").trim();

  it("an org with no calls sees the empty state, and a test call with no phone number to call from is refused in plain words", async () => {
    const { page, problems } = await open("/dashboard/calls", [404]);
    await page.locator("#calls [data-state=empty]").waitFor({ state: "visible" });
    await expect(text(page, "#calls [data-state=empty]")).resolves.toMatch(/^No calls yet/);
    await expect(page.locator("#calls table").isHidden()).resolves.toBe(true);
    await page.locator("#usage figure").waitFor({ state: "visible" });
    await expect(page.locator("#usage figure").getAttribute("data-used-seconds")).resolves.toBe("0");
    await expect(text(page, "#usage [data-headline]")).resolves.toBe("0 of 10 voice minutes used (0%)");

    // The form says up front that a number is missing, and the API's refusal is put the same way.
    await page.locator("#test-call form").waitFor({ state: "visible" });
    await expect(page.locator("#test-call-from").isDisabled()).resolves.toBe(true);
    await expect(page.locator("[data-hint=number]").isVisible()).resolves.toBe(true);
    await page.locator("#test-call-to").focus();
    await page.keyboard.type(INTERESTED);
    await page.keyboard.press("Enter");
    await page.locator("#test-call [data-form-error]").waitFor({ state: "visible" });
    await expect(text(page, "#test-call [data-form-error]")).resolves.toBe("Your organization has no active phone number to call from. Add one under Voice setup, then try again.");
    await expect(page.locator("#test-call [data-form-error]").getAttribute("role")).resolves.toBe("alert");
    await page.locator("#test-call button[type=submit]:focus").waitFor();

    // Calling a lead instead: the picker offers the leads that have a phone number.
    await page.locator("#test-call input[value=number]").focus();
    await page.keyboard.press("ArrowRight");
    await page.locator("#test-call-lead option", { hasText: "Olena Kovalenko — +380671234567" }).waitFor({ state: "attached" });
    await expect(page.locator("#test-call-to").isHidden()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the voice picker lists the account's voices, plays a sample, creates and edits a voice config, and adds a phone number", async () => {
    const { page, problems } = await open("/dashboard/voice");
    const voices = page.locator("#voices [data-voice-list] li .name");
    await expect.poll(() => voices.allTextContents(), { timeout: 10_000 }).toEqual(["Olena", "Taras", "Iryna", "Ada", "Oliver", "Marta"]);

    // A sample, fetched as MP3 and played in the page's <audio> element; focus stays on the button.
    await page.locator(`[data-play="${ADA}"]`).focus();
    await page.keyboard.press("Enter");
    // HAVE_METADATA: the browser has read the MP3's header and knows how long it is.
    await page.waitForFunction(`document.querySelector("#voice-sample")?.readyState >= 1`);
    const audio = await page.evaluate<{ src: string; error: number | null; duration: number; voice: string }>(
      `(() => { const a = document.querySelector("#voice-sample"); return { src: a.currentSrc, error: a.error?.code ?? null, duration: a.duration, voice: a.dataset.voiceId }; })()`,
    );
    expect(audio).toMatchObject({ src: expect.stringMatching(/^blob:/), error: null, voice: ADA });
    expect(audio.duration).toBeGreaterThan(0.5);
    await expect.poll(() => text(page, "[data-sample-status]"), { timeout: 10_000 }).toMatch(/Ada/);
    await expect(page.locator("#voices [data-sample-error]").isHidden()).resolves.toBe(true);
    await page.locator(`[data-play="${ADA}"]:focus`).waitFor();

    // A new voice config: agent name, voice, language, personality and speed (by keyboard on the slider).
    await page.locator("#voice-configs table").waitFor({ state: "visible" });
    await page.locator("#vc-name").fill("Ada");
    await page.locator("#vc-voice").selectOption({ label: "Ada" });
    await page.locator("#vc-language").selectOption("en");
    await page.locator("#vc-personality").selectOption("friendly");
    await page.locator("#vc-speed").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect(text(page, "#voice-config-form output")).resolves.toBe("1.10×");
    await page.locator("#voice-config-form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    const row = page.locator("#voice-configs tbody tr", { has: page.locator("th", { hasText: /^Ada$/ }) });
    await row.waitFor();
    await expect(row.locator("td").allTextContents()).resolves.toEqual(["Ada", "English", "Friendly", "1.10×", "Edit"]);
    await expect(text(page, "#voice-configs [data-saved]")).resolves.toBe("Created “Ada”.");
    // Focus lands on the new row's Edit button; Enter edits it.
    await page.locator('#voice-configs button[aria-label="Edit Ada"]:focus').waitFor();
    await page.keyboard.press("Enter");
    await focusOn(page, "vc-name");
    await expect(text(page, "#voice-config-form [data-form-title]")).resolves.toBe("Edit “Ada”");
    await page.locator("#vc-personality").selectOption("professional");
    await page.locator("#voice-config-form button[type=submit]").click();
    await expect.poll(() => row.locator("td").nth(2).textContent(), { timeout: 10_000 }).toBe("Professional");
    await expect(text(page, "#voice-configs [data-saved]")).resolves.toBe("Saved “Ada”.");

    // Phone numbers: none yet; one of the Twilio account's numbers is added to the org.
    await page.locator("#org-numbers [data-state=empty]").waitFor({ state: "visible" });
    await page.locator(`[data-add="${ACCOUNT_NUMBER}"]`).focus();
    await page.keyboard.press("Enter");
    await page.locator("#org-numbers tbody tr", { hasText: ACCOUNT_NUMBER }).waitFor();
    await expect(page.locator("#org-numbers [data-state=empty]").isHidden()).resolves.toBe(true);
    await expect.poll(() => page.locator("#account-numbers li", { hasText: ACCOUNT_NUMBER }).textContent(), { timeout: 10_000 }).toContain("In use here");
    await expect.poll(() => page.evaluate<string>("document.activeElement?.textContent"), { timeout: 10_000 }).toBe("Your numbers");

    await page.screenshot({ path: SCREENSHOTS.voice, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  let callId = "";

  it("a test call to the interested number rings, goes live, completes with an outcome and a transcript that opens with the AI disclosure, and the usage chart counts its seconds", async () => {
    const { page, problems } = await open("/dashboard/calls");
    await page.locator("#test-call form").waitFor({ state: "visible" });
    await expect(page.locator("#test-call-from option").allTextContents()).resolves.toEqual([ACCOUNT_NUMBER]);
    await expect(page.locator("#test-call-script option").allTextContents()).resolves.toContain("Clinic booking assistant — first touch");
    await page.locator("#test-call-voice").selectOption({ label: "Ada" });

    // Every phase the panel shows, in order, recorded in the page as it happens.
    await page.evaluate(`(() => {
      const panel = document.querySelector("#test-call [data-progress]");
      const seen = (window.seenPhases = []);
      new MutationObserver(() => {
        const phase = panel.dataset.phase;
        if (phase && seen.at(-1) !== phase) seen.push(phase);
      }).observe(panel, { attributes: true, attributeFilter: ["data-phase"] });
    })()`);
    await page.locator("#test-call-to").fill(INTERESTED);
    await page.locator("#test-call-to").press("Enter");
    // Focus follows the call: the progress panel's heading.
    await page.locator("#test-call [data-progress-title]:focus").waitFor();
    await expect(text(page, "#test-call [data-progress-title]")).resolves.toBe(`Test call to ${INTERESTED}`);
    await page.locator("#test-call [data-progress][data-phase=ended]").waitFor({ timeout: 100_000 });
    await expect.poll(() => text(page, "[data-progress-status]"), { timeout: 30_000 }).toMatch(/The summary is ready\.$/);
    await expect(page.evaluate<string[]>("window.seenPhases")).resolves.toEqual(["ringing", "live", "ended"]);
    const status = await text(page, "[data-progress-status]");
    expect(status).toMatch(/^Ended: Completed — (Meeting booked|Interested)\./);
    await expect(page.locator("#test-call [data-progress-status]").getAttribute("role")).resolves.toBe("status");
    callId = (await page.locator("#test-call [data-progress]").getAttribute("data-call-id")) ?? "";

    // The list refreshed with the call, and the chart with its seconds.
    const row = page.locator(`#calls tr[data-call-id="${callId}"]`);
    await row.waitFor();
    const cells = await row.locator("th, td").allTextContents();
    expect(cells.slice(0, 3)).toEqual([INTERESTED, "Completed", status.match(/— ([^.]+)\./)![1]]);
    const [minutes, seconds] = cells[5]!.split(":").map(Number);
    const duration = minutes! * 60 + seconds!;
    expect(duration).toBeGreaterThan(3);
    await expect.poll(() => page.locator("#usage figure").getAttribute("data-used-seconds"), { timeout: 10_000 }).toBe(String(duration));
    await expect(text(page, "#usage [data-detail]")).resolves.toMatch(new RegExp(`^(${duration} s|\\d+ min( \\d+ s)?) this month`));
    const bar = await page.locator("#usage svg .fill").getAttribute("width");
    expect(Number(bar)).toBeGreaterThan(0);

    // The transcript behind the panel's link starts with the agent saying it is an AI.
    await page.locator("#test-call [data-progress-done] a").focus();
    await page.keyboard.press("Enter");
    const first = page.locator("#call-detail [data-transcript] li").first();
    await first.waitFor();
    await expect(first.getAttribute("data-role")).resolves.toBe("agent");
    await expect(first.locator("p").textContent()).resolves.toMatch(/^Hello! I'm Ada, an AI assistant calling on behalf of /);
    await page.screenshot({ path: SCREENSHOTS.callDetail });
    await page.keyboard.press("Escape");
    await page.locator("#test-call [data-progress-done] a:focus").waitFor();
    await page.screenshot({ path: SCREENSHOTS.calls, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);

  it("a call's detail opens from its row with the keyboard, and Escape brings focus back to the row", async () => {
    expect(callId).not.toBe("");
    const { page, problems } = await open("/dashboard/calls");
    await page.locator(`#calls tr[data-call-id="${callId}"]`).waitFor();
    // From the list's heading, Tab reaches the first call's link; Enter opens it.
    await page.locator("#calls-title").focus();
    await page.keyboard.press("Tab");
    await page.locator(`a[data-open-call="${callId}"]:focus`).waitFor();
    await page.keyboard.press("Enter");
    await focusOn(page, "call-detail-title");
    await expect(page.locator("#call-detail").getAttribute("open")).resolves.toBe("");
    expect(new URL(page.url()).searchParams.get("call")).toBe(callId);
    await page.locator("#call-detail [data-detail-body]").waitFor({ state: "visible" });
    await expect(text(page, "#call-detail-title")).resolves.toBe(`Call to ${INTERESTED}`);
    await expect(text(page, "#call-detail [data-fact=outcome]")).resolves.toMatch(/^(Meeting booked|Interested)$/);
    await expect(text(page, "#call-detail [data-fact=cost]")).resolves.toMatch(/^\$\d+\.\d\d \(estimate\)$/);
    await expect(text(page, "#call-detail [data-summary]")).resolves.not.toBe("");
    const roles = await page.locator("#call-detail [data-transcript] li").evaluateAll((lines) => lines.map((l) => l.getAttribute("data-role")));
    expect(roles[0]).toBe("agent");
    expect(roles).toContain("callee");
    await expect(text(page, "#call-detail [data-transcript] li .at")).resolves.toBe("0:00");

    await page.keyboard.press("Escape");
    await page.locator(`a[data-open-call="${callId}"]:focus`).waitFor();
    await expect(page.locator("#call-detail").getAttribute("open")).resolves.toBeNull();
    expect(new URL(page.url()).searchParams.has("call")).toBe(false);

    // The URL of an open call is a link to it.
    await page.goto(new URL(`/dashboard/calls?call=${callId}`, stack.url).href);
    await page.locator("#call-detail [data-detail-body]").waitFor({ state: "visible" });
    await expect(text(page, "#call-detail-title")).resolves.toBe(`Call to ${INTERESTED}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("when the API fails, the calls list and the usage chart say so, and Try again recovers them", async () => {
    const { page, problems } = await open("/", [500]);
    const failing = (url: URL) => (url.pathname === "/api/dashboard/calls" && url.searchParams.has("limit")) || url.pathname === "/api/dashboard/usage";
    await page.route(failing, (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "urn:noir:problem:internal", title: "Internal Server Error", status: 500, detail: "The database did not answer.", requestId: "req-test-1" }),
      }),
    );
    await page.goto(new URL("/dashboard/calls", stack.url).href);
    const callsError = page.locator("#calls [data-state=error]");
    await callsError.waitFor({ state: "visible" });
    await expect(callsError.getAttribute("role")).resolves.toBe("alert");
    await expect(text(page, "#calls [data-state=error] [data-message]")).resolves.toBe("Calls did not load. The database did not answer. Try again in a moment. (Reference req-test-1)");
    await page.locator("#usage [data-state=error]").waitFor({ state: "visible" });
    await expect(text(page, "#usage [data-state=error] [data-message]")).resolves.toMatch(/^This month's usage did not load\. The database did not answer\./);
    await expect(page.locator("#calls table").isHidden()).resolves.toBe(true);
    await expect(page.locator("#calls [data-state=empty]").isHidden()).resolves.toBe(true);
    await page.screenshot({ path: SCREENSHOTS.callsError, fullPage: true });

    // The API is back: Try again (from the keyboard) loads the list, and focus moves to its heading.
    await page.unroute(failing);
    await page.locator("#calls [data-retry]").focus();
    await page.keyboard.press("Enter");
    await page.locator(`#calls tr[data-call-id="${callId}"]`).waitFor();
    await expect(callsError.isHidden()).resolves.toBe(true);
    await focusOn(page, "calls-title");
    await page.locator("#usage [data-retry]").click();
    await page.locator("#usage figure").waitFor({ state: "visible" });
    await expect(page.locator("#usage [data-state=error]").isHidden()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a test call the API refuses (plan minutes used up, concurrency cap) is explained in the API's own words", async () => {
    const { page, problems } = await open("/", [409, 429]);
    const refusals = [
      { status: 409, title: "Conflict", detail: "This month's voice minutes are used up. Upgrade the plan to call again." },
      { status: 429, title: "Too Many Requests", detail: "Your org already has 3 calls live; try again when one ends." },
    ];
    let next = 0;
    // Only the POST that places a call is refused; everything else reaches the real API.
    await page.route((url) => url.pathname === "/api/dashboard/calls", (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const refusal = refusals[next++]!;
      return route.fulfill({ status: refusal.status, contentType: "application/problem+json", body: JSON.stringify({ type: "urn:noir:problem:x", ...refusal }) });
    });
    await page.goto(new URL("/dashboard/calls", stack.url).href);
    await page.locator("#test-call form").waitFor({ state: "visible" });
    await page.locator("#test-call-to").fill(INTERESTED);
    for (const refusal of refusals) {
      await page.locator("#test-call-to").press("Enter");
      await expect.poll(() => text(page, "#test-call [data-form-error]"), { timeout: 10_000 }).toBe(refusal.detail);
      await page.locator("#test-call button[type=submit]:focus").waitFor();
      await expect(page.locator("#test-call [data-progress]").isHidden()).resolves.toBe(true);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it("Load more appends the next page of calls and goes away after the last one", async () => {
    const { page, problems } = await open("/");
    // One real call is too few to page through, so this test serves two pages of its own.
    const fakeCall = (n: number) => ({
      id: `call_fake${n}`, leadId: null, campaignId: null, direction: "outbound", status: "no_answer", fromNumber: ACCOUNT_NUMBER,
      toNumber: `+1415555${String(9000 + n)}`, durationSeconds: 0, startedAt: null, endedAt: "2026-11-01T10:00:00.000Z", outcome: "no_answer",
      sentiment: null, score: null, summary: null, costEstimateCents: 0, transcript: [], metadata: {}, createdAt: "2026-11-01T10:00:00.000Z",
    });
    await page.route((url) => url.pathname === "/api/dashboard/calls", (route) => {
      const cursor = new URL(route.request().url()).searchParams.get("cursor");
      const page1 = { items: Array.from({ length: 20 }, (_, i) => fakeCall(i)), nextCursor: "page-2" };
      const page2 = { items: [fakeCall(20), fakeCall(21)], nextCursor: null };
      return route.fulfill({ contentType: "application/json", body: JSON.stringify(cursor === "page-2" ? page2 : page1) });
    });
    await page.goto(new URL("/dashboard/calls", stack.url).href);
    const rows = page.locator("#calls tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(20);
    await expect(text(page, "[data-calls-count]")).resolves.toBe("(20+ calls)");
    await page.locator("[data-calls-more]").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(22);
    await expect(text(page, "[data-calls-count]")).resolves.toBe("(22 calls)");
    await expect(page.locator("[data-calls-more]").isHidden()).resolves.toBe(true);
    await focusOn(page, "calls-title");
    expect(problems).toEqual([]);
    await page.close();
  });

  // The Telegram page, in order: the org starts with no accounts, adds one (code and 2FA
  // password), changes it and removes it; then the API fails, refuses a phone, and a member looks.

  it("an org with no Telegram accounts sees the empty state, then adds one by code and 2FA password — a wrong code, an expired one and a wrong password are said so and retried — and sees it warming up at 0 of 5 today", async () => {
    const { page, problems } = await open("/dashboard/telegram");
    await expect(page.locator('.dash-nav a[aria-current="page"]').textContent()).resolves.toBe("Telegram");
    await page.locator("#accounts [data-state=empty]").waitFor({ state: "visible" });
    await expect(text(page, "#accounts [data-state=empty]")).resolves.toBe("No Telegram accounts yet — add one to send DMs from it.");
    await expect(page.locator("#accounts table").isHidden()).resolves.toBe(true);

    // Phone → the code step, with focus in the code field.
    await page.locator("#tg-phone").focus();
    await page.keyboard.type(TG_2FA_PHONE);
    await page.keyboard.press("Enter");
    await focusOn(page, "tg-code");
    await expect(text(page, "[data-code-note]")).resolves.toContain(`Telegram app of ${TG_2FA_PHONE}`);
    // A wrong code: said in plain words, focus stays with the code selected, so typing replaces it.
    await page.keyboard.type("54321");
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#tg-code-error"), { timeout: 10_000 }).toMatch(/^That code is not right\./);
    await expect(page.locator("#tg-code").getAttribute("aria-invalid")).resolves.toBe("true");
    await focusOn(page, "tg-code");
    // An expired code: focus goes to "Send a new code", and a new one can be typed.
    await page.keyboard.type("00000");
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#tg-code-error"), { timeout: 10_000 }).toMatch(/^That code has expired\./);
    await page.locator("#add-account [data-resend]:focus").waitFor();
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#add-account [data-login-status]"), { timeout: 10_000 }).toBe("A new code is on its way.");
    await focusOn(page, "tg-code");
    await expect(page.locator("#tg-code-error").isHidden()).resolves.toBe(true);
    await page.keyboard.type("12345");
    await page.keyboard.press("Enter");

    // The account has two-step verification: the password step, with Telegram's hint.
    await focusOn(page, "tg-password");
    await expect(page.locator("form[data-step=code]").isHidden()).resolves.toBe(true);
    await expect(text(page, "#tg-password-hint")).resolves.toBe("Hint: sandbox-…");
    await page.keyboard.type("not-the-password");
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#tg-password-error"), { timeout: 10_000 }).toBe("That password is not right. Type it again.");
    await focusOn(page, "tg-password");
    await page.keyboard.type("sandbox-2fa");
    await page.keyboard.press("Enter");

    // Signed in: the table lists it, focus on its row, and the wizard is back at the phone.
    const row = page.locator("#accounts tbody tr", { has: page.locator("th", { hasText: TG_2FA_PHONE }) });
    await row.waitFor();
    await page.locator("#accounts tbody th[data-phone]:focus", { hasText: TG_2FA_PHONE }).waitFor();
    await expect(text(page, "#add-account [data-login-status]")).resolves.toBe(`Added ${TG_2FA_PHONE} (@sandbox_4569 · Sandbox). It warms up: 5 DMs today, more each day.`);
    await expect(row.locator("[data-identity]").textContent()).resolves.toBe("@sandbox_4569 · Sandbox");
    await expect(row.locator("[data-badge]").textContent()).resolves.toBe("Warming up");
    await expect(row.locator("[data-sends-text]").textContent()).resolves.toBe("0 of 5");
    await expect(row.locator("[data-sends] svg").getAttribute("data-limit")).resolves.toBe("5");
    await expect(row.locator("input[name=dailyLimit]").inputValue()).resolves.toBe("30");
    await expect(page.locator("#accounts [data-state=empty]").isHidden()).resolves.toBe(true);
    await expect(text(page, "#accounts [data-count]")).resolves.toBe("(1 account)");
    await expect(page.locator("form[data-step=phone]").isVisible()).resolves.toBe(true);
    await expect(page.locator("#tg-phone").inputValue()).resolves.toBe("");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an owner lowers an account's daily limit, disables it, and removes it through the confirmation dialog from the keyboard", async () => {
    const { page, problems } = await open("/dashboard/telegram");
    const row = page.locator("#accounts tbody tr", { has: page.locator("th", { hasText: TG_2FA_PHONE }) });
    await row.waitFor();

    // A limit out of bounds is refused before it is sent; 3 lowers today's allowance too.
    const limit = row.locator("input[name=dailyLimit]");
    await limit.focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("0");
    await page.keyboard.press("Enter");
    await expect(row.locator(".field-error").textContent()).resolves.toBe("Enter a whole number from 1 to 200.");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("3");
    await page.keyboard.press("Enter");
    await expect.poll(() => text(page, "#accounts [data-saved]"), { timeout: 10_000 }).toBe(`Daily limit for ${TG_2FA_PHONE} set to 3 a day.`);
    await expect(row.locator("[data-sends-text]").textContent()).resolves.toBe("0 of 3");
    await row.locator("input[name=dailyLimit]:focus").waitFor();

    // Disable: the badge says so, and focus stays on the same button, which now offers Enable.
    await row.locator("[data-control=toggle]").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => row.locator("[data-badge]").textContent(), { timeout: 10_000 }).toBe("Disabled");
    await page.locator(`button[aria-label="Enable ${TG_2FA_PHONE}"]:focus`).waitFor();

    // The server kept both changes.
    await page.reload();
    await row.waitFor();
    await expect(row.locator("[data-badge]").textContent()).resolves.toBe("Disabled");
    await expect(row.locator("input[name=dailyLimit]").inputValue()).resolves.toBe("3");

    // Remove asks first; the dialog opens on Cancel, and Escape gives focus back to Remove.
    const remove = page.locator(`button[aria-label="Remove ${TG_2FA_PHONE}"]`);
    await remove.focus();
    await page.keyboard.press("Enter");
    await page.locator("#remove-account [data-cancel]:focus").waitFor();
    await expect(text(page, "#remove-account-title")).resolves.toBe(`Remove ${TG_2FA_PHONE}?`);
    await page.keyboard.press("Escape");
    await page.locator(`button[aria-label="Remove ${TG_2FA_PHONE}"]:focus`).waitFor();
    await expect(row.count()).resolves.toBe(1);
    // Again, and this time Shift+Tab to "Remove account" and Enter.
    await page.keyboard.press("Enter");
    await page.locator("#remove-account [data-cancel]:focus").waitFor();
    await page.keyboard.press("Shift+Tab");
    await page.locator("#remove-account [data-confirm]:focus").waitFor();
    await page.keyboard.press("Enter");
    await page.locator("#accounts [data-state=empty]").waitFor({ state: "visible" });
    await expect(page.locator("#remove-account").getAttribute("open")).resolves.toBeNull();
    await focusOn(page, "accounts-title");
    await expect(row.count()).resolves.toBe(0);
    await expect(text(page, "#accounts [data-saved]")).resolves.toBe(`Removed ${TG_2FA_PHONE}.`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("when the accounts do not load, the page says so, and Try again brings the (empty) list back", async () => {
    const { page, problems } = await open("/", [500]);
    const accounts = (url: URL) => url.pathname === "/api/dashboard/telegram-accounts";
    await page.route(accounts, (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "urn:noir:problem:internal", title: "Internal Server Error", status: 500, detail: "The database did not answer.", requestId: "req-tg-1" }),
      }),
    );
    await page.goto(new URL("/dashboard/telegram", stack.url).href);
    const failure = page.locator("#accounts [data-state=error]");
    await failure.waitFor({ state: "visible" });
    await expect(failure.getAttribute("role")).resolves.toBe("alert");
    await expect(text(page, "#accounts [data-state=error] [data-message]")).resolves.toBe("Telegram accounts did not load. The database did not answer. Try again in a moment. (Reference req-tg-1)");
    await expect(page.locator("#accounts [data-state=empty]").isHidden()).resolves.toBe(true);

    await page.unroute(accounts);
    await page.locator("#accounts [data-retry]").focus();
    await page.keyboard.press("Enter");
    await page.locator("#accounts [data-state=empty]").waitFor({ state: "visible" });
    await expect(failure.isHidden()).resolves.toBe(true);
    await focusOn(page, "accounts-title");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a login cancelled at the code step leaves no account behind, and a phone Telegram refuses is marked at the phone field", async () => {
    const { page, problems } = await open("/dashboard/telegram", [422]);
    await page.locator("#tg-phone").fill("+380501234561");
    await page.locator("#tg-phone").press("Enter");
    await focusOn(page, "tg-code");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.locator("form[data-step=code] [data-cancel]:focus").waitFor();
    await page.keyboard.press("Enter");
    await focusOn(page, "tg-phone");
    await expect(text(page, "#add-account [data-login-status]")).resolves.toBe("Login cancelled: no account was added.");
    await expect(page.locator("form[data-step=code]").isHidden()).resolves.toBe(true);
    await page.reload();
    await page.locator("#accounts [data-state=empty]").waitFor({ state: "visible" });

    await page.locator("#tg-phone").fill(TG_REFUSED_PHONE);
    await page.locator("#tg-phone").press("Enter");
    await expect.poll(() => text(page, "#tg-phone-error"), { timeout: 10_000 }).toBe("Not a Telegram account's number.");
    await expect(page.locator("#tg-phone").getAttribute("aria-invalid")).resolves.toBe("true");
    await focusOn(page, "tg-phone");
    await expect(page.locator("form[data-step=code]").isHidden()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("every account status reads in plain words, a banned account stands out with its error, and a member sees the table without the controls", async () => {
    const { page, problems } = await open("/");
    const now = Date.now();
    const account = (n: number, fields: Record<string, unknown>) => ({
      id: `tga_fake${n}`, phone: `+38050123400${n}`, username: `seller${n}`, displayName: `Seller ${n}`, status: "active", sentToday: 12, allowanceToday: 30,
      dailyLimit: 30, cooldownUntil: null, lastSentAt: new Date(now - 5 * 60_000).toISOString(), lastError: null, createdAt: "2026-10-01T09:00:00.000Z", ...fields,
    });
    const cooldownUntil = new Date(now + 60 * 60_000).toISOString();
    const items = [
      account(1, {}),
      account(2, { status: "warming_up", sentToday: 4, allowanceToday: 10 }),
      account(3, { status: "cooldown", cooldownUntil, lastError: "Telegram asked to wait 3600 s (FLOOD_WAIT)" }),
      account(4, { status: "banned", sentToday: 0, lastError: "Telegram banned the account" }),
      account(5, { status: "disabled", sentToday: 0 }),
      account(6, { status: "login_pending", username: null, displayName: null, sentToday: 0, allowanceToday: 5, lastSentAt: null }),
    ];
    await page.route((url) => url.pathname === "/api/dashboard/telegram-accounts", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify({ items }) }));
    await page.goto(new URL("/dashboard/telegram", stack.url).href);
    const rows = page.locator("#accounts tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(items.length);
    const hhmm = await page.evaluate(`new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(${JSON.stringify(cooldownUntil)}))`);
    expect(hhmm).toMatch(/^\d\d:\d\d$/);
    const badges = await page.locator("#accounts [data-badge]").allTextContents();
    expect(badges.map((b, i) => (i === 2 ? b.replace(/ tomorrow$/, "") : b))).toEqual(["Active", "Warming up", `Cooling down until ${hhmm}`, "Banned", "Disabled", "Waiting for login"]);
    await expect(page.locator("#accounts [data-sends-text]").allTextContents()).resolves.toEqual(["12 of 30", "4 of 10", "12 of 30", "0 of 30", "0 of 30", "0 of 5"]);
    await expect(page.locator("#accounts tbody time").first().textContent()).resolves.toBe("5 min ago");
    const banned = page.locator('#accounts tr[data-status="banned"]');
    await expect(banned.getAttribute("class")).resolves.toBe("banned");
    await expect(banned.locator(".last-error").textContent()).resolves.toBe("Telegram banned the account");
    // Nothing to disable on a banned account; a login never finished offers to finish it.
    await expect(banned.locator(".row-actions button").allTextContents()).resolves.toEqual(["Remove"]);
    await expect(page.locator('#accounts tr[data-status="login_pending"] .row-actions button').allTextContents()).resolves.toEqual(["Finish login", "Remove"]);
    await page.screenshot({ path: SCREENSHOTS.telegram, fullPage: true });

    // The same accounts for a member: every fact, no controls, no "Add an account".
    await page.route((url) => url.pathname === "/api/dashboard/me", (route) =>
      route.fulfill({ contentType: "application/json", body: JSON.stringify({ user: { id: "usr_member", email: "member@noir.local", name: "A Member" }, org: { id: "org_x", name: "Demo", role: "member" } }) }),
    );
    await page.reload();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(items.length);
    await expect(page.locator("#accounts tbody button, #accounts tbody input").count()).resolves.toBe(0);
    await expect(page.locator("#accounts td.num").allTextContents()).resolves.toEqual(items.map(() => "30"));
    await expect(page.locator("#add-account").isHidden()).resolves.toBe(true);
    await expect(page.locator("#members-note").isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
