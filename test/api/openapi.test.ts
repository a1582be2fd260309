import { describe, expect, it } from "vitest";
import { call, jsonOf } from "./client";
import { listOperations } from "./openapi-operations";

describe("the API documents itself", () => {
  it("serves an OpenAPI 3.1 document covering the dashboard, auth and health routes", async () => {
    const { doc, operations } = await listOperations();
    expect(doc.openapi).toBe("3.1.0");
    const keys = operations.map((o) => o.key);
    expect(keys).toEqual(expect.arrayContaining(["GET /api/health", "POST /api/auth/dev/sign-in", "GET /api/dashboard/leads", "POST /api/dashboard/leads/import", "DELETE /api/dashboard/api-keys/{id}"]));
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("serves a browsable reference page that loads the document from this origin only", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/api/openapi.json");
    // Works offline: no script or stylesheet from another host.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it("answers an unknown /api path with a problem, not the site", async () => {
    const res = await call("/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await jsonOf(res)).toMatchObject({ status: 404, title: "Not Found" });
  });
});
