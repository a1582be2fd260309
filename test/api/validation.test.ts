import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, signIn, type Caller } from "./client";
import { dashboardOperations, fillPath, listOperations, type Operation } from "./openapi-operations";
import { seedOrg, type Seeded } from "./tenancy-fixtures";

/**
 * Every route's input validation, driven by the OpenAPI document: whatever arrives, the answer is
 * a 4xx application/problem+json with field errors, never a 500 and never a stack trace.
 */
let owner: Caller;
let seeded: Seeded;
let operations: Operation[];

beforeAll(async () => {
  owner = await signIn("validation.owner@example.com");
  seeded = await seedOrg(owner);
  operations = [...(await dashboardOperations()), ...(await listOperations()).operations.filter((o) => o.path.startsWith("/api/auth/"))];
});

const pathFor = (op: Operation) => {
  const id = seeded.ids[op.path.split("/")[3]!] ?? "x";
  // Voices are the shared catalog's, not org data: a real one, so the body is what gets validated.
  return fillPath(op.path, { id, userId: id, voiceId: "sbxOlenaUk7Qm2Lp9Xz1" }).replace(/^\/api/, "");
};
const jsonOps = () => operations.filter((op) => op.requestBody?.content["application/json"]);

async function expectProblem(res: Response, statuses: number[]) {
  expect(statuses, `status ${res.status}`).toContain(res.status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = await jsonOf(res);
  expect(body).toMatchObject({ type: expect.stringMatching(/^urn:noir:problem:/), title: expect.any(String), status: res.status, detail: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/\.ts:\d+|SQLITE|D1_ERROR|at async/);
  return body;
}

describe("every JSON body is validated", () => {
  it("refuses malformed JSON with 400", async () => {
    for (const op of jsonOps()) {
      const res = await call(pathFor(op), { method: op.method, as: owner, headers: { "content-type": "application/json" }, body: '{"name": "unterminated' });
      await expectProblem(res, [400]);
    }
  });

  it("refuses wrong types and unknown fields with 422 and names the field", async () => {
    for (const op of jsonOps()) {
      for (const body of [[], 42, "text", { unknownField: true }]) {
        const res = await call(pathFor(op), { method: op.method, as: owner, json: body });
        const problem = await expectProblem(res, [422]);
        expect(problem.errors?.length, `${op.key} ${JSON.stringify(body)}`).toBeGreaterThan(0);
      }
    }
  });

  it("refuses oversized bodies with 413", async () => {
    const big = JSON.stringify({ name: "x".repeat(300 * 1024) });
    for (const op of jsonOps()) {
      const res = await call(pathFor(op), { method: op.method, as: owner, headers: { "content-type": "application/json" }, body: big });
      await expectProblem(res, [413]);
    }
  });

  it("never answers 500 to arbitrary JSON (property)", async () => {
    const ops = jsonOps();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops), fc.jsonValue({ maxDepth: 3 }), async (op, value) => {
        const res = await call(pathFor(op), { method: op.method, as: owner, json: value });
        expect(res.status, `${op.key} ${JSON.stringify(value)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });
});

describe("every query is validated", () => {
  it("refuses bad pagination and filters with 422 naming the parameter", async () => {
    const lists = operations.filter((op) => op.method === "GET" && op.parameters.some((p) => p.name === "limit"));
    expect(lists.length).toBeGreaterThan(8);
    for (const op of lists) {
      for (const query of ["limit=abc", "limit=0", "limit=101", "cursor=not-a-cursor"]) {
        const res = await call(`${pathFor(op)}?${query}`, { as: owner });
        const problem = await expectProblem(res, [422]);
        expect(JSON.stringify(problem.errors)).toContain(`query.${query.split("=")[0]}`);
      }
    }
    await expectProblem(await call("/dashboard/leads?status=vip", { as: owner }), [422]);
    await expectProblem(await call("/dashboard/campaigns?status=running", { as: owner }), [422]);
  });

  it("refuses a malformed X-Org-Id header", async () => {
    await expectProblem(await call("/dashboard/leads", { as: owner, headers: { "x-org-id": "'; drop table leads" } }), [422]);
  });
});

describe("CSV uploads", () => {
  it("refuse a body that is neither text/csv nor multipart with 415", async () => {
    const csvOps = operations.filter((op) => op.requestBody?.content["text/csv"]);
    expect(csvOps.length).toBe(3);
    for (const op of csvOps) {
      await expectProblem(await call(pathFor(op), { method: "POST", as: owner, json: { csv: "phone" } }), [415]);
    }
  });

  it("refuse a bad header mapping with 422", async () => {
    const res = await call(`/dashboard/leads/import?mapping=${encodeURIComponent('{"Mobile":"salary"}')}`, { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: "Mobile\n+380671112233\n" });
    await expectProblem(res, [422]);
  });
});
