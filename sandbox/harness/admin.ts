import { Hono } from "hono";
import { z } from "zod";
import { FaultConfigSchema } from "./config";
import type { FaultRegistry } from "./faults";
import type { RequestLog } from "./request-log";

/**
 * `/__admin`: change a provider's faults while the sandbox runs and read what each far end
 * received. Never subject to faults itself.
 */
export function createAdminApp(faults: FaultRegistry, log: RequestLog): Hono {
  const admin = new Hono();

  admin.get("/providers", (c) => c.json({ providers: faults.all() }));

  admin.get("/providers/:name", (c) => {
    const name = c.req.param("name");
    if (!faults.has(name)) return unknownProvider(name);
    return c.json(faults.get(name));
  });

  admin.put("/providers/:name", async (c) => {
    const name = c.req.param("name");
    if (!faults.has(name)) return unknownProvider(name);
    const body = await readJson(c.req.raw);
    if (!body.ok) return badRequest("The body is not JSON.");
    const parsed = FaultConfigSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(z.prettifyError(parsed.error));
    return c.json(faults.set(name, parsed.data));
  });

  admin.get("/requests", (c) => {
    const provider = c.req.query("provider");
    if (provider !== undefined && !faults.has(provider)) return unknownProvider(provider);
    return c.json({ requests: log.list(provider) });
  });

  admin.delete("/requests", (c) => {
    log.clear();
    return c.body(null, 204);
  });

  return admin;
}

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await request.json() };
  } catch {
    return { ok: false };
  }
}

function badRequest(detail: string): Response {
  return Response.json({ error: "invalid_fault_config", detail }, { status: 400 });
}

function unknownProvider(name: string): Response {
  return Response.json({ error: "unknown_provider", detail: `No stand-in named "${name}".` }, { status: 404 });
}
