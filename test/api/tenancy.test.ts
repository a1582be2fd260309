import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, signIn, type Caller } from "./client";
import { dashboardOperations, fillPath, type Operation } from "./openapi-operations";
import { seedOrg, snapshotOrg, type Seeded } from "./tenancy-fixtures";

/**
 * The cross-tenant matrix, generated from the OpenAPI document: every dashboard route that takes
 * an id is tried by org B with org A's id and must answer 404; routes without an id must not show
 * or change A's data. A route that appears in neither table below fails the coverage test.
 */

/** Bodies B sends when a route needs one; otherwise PATCH sends {name}-like edits below. */
const BODIES: Record<string, (a: Seeded, b: Seeded) => { json?: unknown; csv?: string }> = {
  "PATCH /api/dashboard/scripts/{id}": () => ({ json: { name: "hijacked" } }),
  "PATCH /api/dashboard/voice-configs/{id}": () => ({ json: { name: "hijacked" } }),
  "PATCH /api/dashboard/phone-numbers/{id}": () => ({ json: { label: "hijacked" } }),
  "PATCH /api/dashboard/leads/{id}": () => ({ json: { firstName: "hijacked", status: "rejected" } }),
  "PATCH /api/dashboard/campaigns/{id}": () => ({ json: { name: "hijacked" } }),
  "POST /api/dashboard/campaigns/{id}/leads": (_a, b) => ({ json: { leadIds: [b.ids.leads] } }),
  "DELETE /api/dashboard/campaigns/{id}/leads": (a) => ({ json: { leadIds: [a.ids.leads] } }),
  "PATCH /api/dashboard/channel-configs/{id}": () => ({ json: { status: "inactive" } }),
  "PATCH /api/dashboard/members/{userId}": () => ({ json: { role: "member" } }),
  "POST /api/dashboard/lead-imports/{id}/chunks": () => ({ csv: "phone\n+380501112233\n" }),
  "PATCH /api/dashboard/suppressions/{id}": () => ({ json: { reason: "hijacked" } }),
  "PATCH /api/dashboard/telegram-accounts/{id}": () => ({ json: { dailyLimit: 1, enabled: false } }),
  "POST /api/dashboard/telegram-accounts/{id}/verify": () => ({ json: { code: "12345" } }),
};

/** Which of A's ids fills a route's path parameter, by the route's first path segment. */
const RESOURCE_OF = (op: Operation) => op.path.split("/")[3]!;

/** Routes without an id: what B does there, and what must hold for A afterwards. */
const COLLECTION_CHECKS: Record<string, (a: Seeded, b: Caller) => Promise<void>> = {
  "GET /api/dashboard/me": async (a, b) => expectNoneOf(a, await call("/dashboard/me", { as: b })),
  "PATCH /api/dashboard/org": async (_a, b) => expect((await call("/dashboard/org", { method: "PATCH", as: b, json: { name: "B renamed" } })).status).toBe(200),
  "POST /api/dashboard/leads/import": async (a, b) => {
    // Dedup is per org: A's lead's phone is new to B.
    const res = await call("/dashboard/leads/import", { method: "POST", as: b, headers: { "content-type": "text/csv" }, body: `phone\n${a.leadPhone}\n` });
    expect((await jsonOf(res)).chunk.imported).toBe(1);
  },
  "POST /api/dashboard/invitations/accept": async (a, b) => expect((await call("/dashboard/invitations/accept", { method: "POST", as: b, json: { token: a.invitationToken } })).status).toBe(404),
  "POST /api/dashboard/campaigns": async (a, b) => {
    const res = await call("/dashboard/campaigns", { method: "POST", as: b, json: { name: "B", channels: ["email"], scriptId: a.ids.scripts, voiceConfigId: a.ids["voice-configs"] } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await jsonOf(res))).toContain("no such script in this organization");
  },
};
COLLECTION_CHECKS["POST /api/dashboard/email/generate"] = async (a, b) => {
  const res = await call("/dashboard/email/generate", { method: "POST", as: b, json: { kind: "initial", scriptId: a.ids.scripts, leadId: a.ids.leads } });
  expect(res.status).toBe(404);
};
COLLECTION_CHECKS["POST /api/dashboard/email/test"] = async (_a, b) => {
  // Goes to B's own address only; nothing of A's is read or touched.
  expect((await call("/dashboard/email/test", { method: "POST", as: b, json: {} })).status).toBe(200);
};
COLLECTION_CHECKS["POST /api/dashboard/calls"] = async (a, b) => {
  // B cannot call A's lead: not found, and nothing is dialled.
  const res = await call("/dashboard/calls", { method: "POST", as: b, json: { leadId: a.ids.leads } });
  expect(res.status).toBe(404);
};
COLLECTION_CHECKS["GET /api/dashboard/usage"] = async (a, b) => expectNoneOf(a, await call("/dashboard/usage", { as: b }));
// The platform's voice catalog and Twilio's numbers for sale are not any org's data.
COLLECTION_CHECKS["GET /api/dashboard/voices"] = async (a, b) => expectNoneOf(a, await call("/dashboard/voices", { as: b }));
COLLECTION_CHECKS["GET /api/dashboard/phone-numbers/account"] = async (a, b) => expectNoneOf(a, await call("/dashboard/phone-numbers/account", { as: b }));
COLLECTION_CHECKS["GET /api/dashboard/phone-numbers/available"] = async (a, b) => expectNoneOf(a, await call("/dashboard/phone-numbers/available?pageSize=2", { as: b }));
COLLECTION_CHECKS["POST /api/dashboard/phone-numbers/buy"] = async (_a, b) => {
  // On the free plan B may hold no number; A's are untouched either way (the snapshot).
  expect((await call("/dashboard/phone-numbers/buy", { method: "POST", as: b, json: { number: "+14155550100" } })).status).toBe(409);
};
/** Routes with an id that is not tenant data: the shared voice catalog. B gets what A gets. */
const SHARED = new Set(["POST /api/dashboard/voices/{voiceId}/sample"]);

const LISTS = ["calls", "audit-log", "dead-letters", "suppressions", "leads", "scripts", "voice-configs", "phone-numbers", "campaigns", "channel-configs", "api-keys", "invitations", "lead-imports", "members", "telegram-accounts"];
for (const list of LISTS) COLLECTION_CHECKS[`GET /api/dashboard/${list}`] = async (a, b) => expectNoneOf(a, await call(`/dashboard/${list}?limit=100`, { as: b }));
// Creating in B's own org is covered by the final "A unchanged" snapshot.
COLLECTION_CHECKS["GET /api/dashboard/suppressions/export.csv"] = async (a, b) => {
  const res = await call("/dashboard/suppressions/export.csv", { as: b });
  expect(await res.text()).not.toContain("+380501234567");
};
COLLECTION_CHECKS["POST /api/dashboard/suppressions/import"] = async (_a, b) => {
  const res = await call("/dashboard/suppressions/import", { method: "POST", as: b, headers: { "content-type": "text/csv" }, body: "value\n+380501234567\n" });
  // Per org: A's suppressed number is new to B's list.
  expect((await jsonOf(res)).added).toBe(1);
};
for (const list of ["leads", "scripts", "voice-configs", "phone-numbers", "channel-configs", "api-keys", "invitations", "lead-imports", "suppressions", "telegram-accounts"]) {
  COLLECTION_CHECKS[`POST /api/dashboard/${list}`] ??= async () => undefined;
}

async function expectNoneOf(a: Seeded, res: Response) {
  expect(res.status).toBe(200);
  const text = await res.text();
  for (const id of Object.values(a.ids)) expect(text, `B's response leaks ${id}`).not.toContain(id);
}

describe("org B cannot see or touch org A's data", () => {
  let a: Caller;
  let b: Caller;
  let seededA: Seeded;
  let seededB: Seeded;
  let operations: Operation[];

  beforeAll(async () => {
    a = await signIn("owner.a@example.com", "Owner A");
    b = await signIn("owner.b@example.com", "Owner B");
    seededA = await seedOrg(a);
    // B has its own lead and key so its requests are otherwise valid.
    const bLead = await jsonOf(await call("/dashboard/leads", { method: "POST", as: b, json: { firstName: "Bob", email: "bob@example.com" } }));
    seededB = { ids: { leads: bLead.id }, invitationToken: "", apiKey: "", leadPhone: "" };
    operations = await dashboardOperations();
  });

  it("covers every dashboard route in the matrix", () => {
    const uncovered = operations.filter((op) => !SHARED.has(op.key) && (op.params.length ? !(RESOURCE_OF(op) in seededA.ids) : !(op.key in COLLECTION_CHECKS)));
    expect(uncovered.map((op) => op.key)).toEqual([]);
    expect(operations.length).toBeGreaterThan(40);
  });

  it("answers 404 to B for every route given A's id, and A's data stays as it was", async () => {
    const before = await snapshotOrg(a, seededA);
    const results: string[] = [];
    for (const op of operations.filter((o) => o.params.length && !SHARED.has(o.key))) {
      const id = seededA.ids[RESOURCE_OF(op)]!;
      const path = fillPath(op.path, { id, userId: id }).replace(/^\/api/, "");
      const body = BODIES[op.key]?.(seededA, seededB) ?? (op.method === "PATCH" ? { json: { name: "hijacked" } } : {});
      const res = await call(path, {
        method: op.method,
        as: b,
        ...(body.json !== undefined ? { json: body.json } : {}),
        ...(body.csv !== undefined ? { body: body.csv, headers: { "content-type": "text/csv" } } : {}),
      });
      results.push(`${op.key} → ${res.status}`);
      if (res.status === 404) expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(results.filter((r) => !r.endsWith("→ 404"))).toEqual([]);
    expect(await snapshotOrg(a, seededA)).toEqual(before);
  });

  it("keeps A's data out of B's lists and B's own actions away from A", async () => {
    const before = await snapshotOrg(a, seededA);
    for (const op of operations.filter((o) => !o.params.length)) await COLLECTION_CHECKS[op.key]!(seededA, b);
    expect(await snapshotOrg(a, seededA)).toEqual(before);
  });

  it("treats an org the caller does not belong to as not found", async () => {
    const res = await call("/dashboard/leads", { as: b, headers: { "x-org-id": a.orgId } });
    expect(res.status).toBe(404);
    const own = await call("/dashboard/leads", { as: a, headers: { "x-org-id": a.orgId } });
    expect(own.status).toBe(200);
  });
});
