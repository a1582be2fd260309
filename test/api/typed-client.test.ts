import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { describe, expect, it } from "vitest";
import type { AppType } from "../../workers/app";
import { ORIGIN, signIn } from "./client";

describe("the typed client (hono/client) the site uses", () => {
  it("creates and lists leads with request and response types taken from the API", async () => {
    const owner = await signIn("typed.client@example.com");
    const client = hc<AppType>(ORIGIN, { fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)), headers: owner.headers });

    const created = await client.api.dashboard.leads.$post({ json: { firstName: "Typed", email: "typed@example.com" } });
    if (created.status !== 201) throw new Error(`create failed: ${created.status}`);
    // Narrowed by status: `lead` has the Lead type, and a misspelt field would not compile.
    const lead = await created.json();
    expect(lead.email).toBe("typed@example.com");

    const page = await client.api.dashboard.leads.$get({ query: { limit: "10" } });
    if (page.status !== 200) throw new Error(`list failed: ${page.status}`);
    const body = await page.json();
    expect(body.items.map((l) => l.id)).toEqual([lead.id]);

    const one = await client.api.dashboard.leads[":id"].$get({ param: { id: lead.id } });
    expect(one.status).toBe(200);
  });
});
