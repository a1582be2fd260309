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
const SCREENSHOTS = { landing: "/tmp/noir-landing.png", dashboard: "/tmp/noir-dashboard.png" };

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

  /** Opens a page and collects its script errors; the signed-out 401 is expected, not one. */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !/status of 401/.test(message.text())) problems.push(message.text());
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
});
