import type { Hono } from "hono";
import { setTimeout as sleep } from "node:timers/promises";
import type { FaultRegistry } from "./faults";
import { genericFaultResponse, type ProviderInstance } from "./provider";
import type { RequestLog } from "./request-log";

interface MountDeps {
  faults: FaultRegistry;
  log: RequestLog;
  /** Aborts when the sandbox closes, releasing delayed and hanging requests. */
  lifetime: AbortSignal;
}

/**
 * Mounts a stand-in under `/<name>` behind the fault dice and the request log. Faults sit in
 * front of the stand-in, as a flaky network or an overloaded provider would.
 */
export function mountProvider(
  app: Hono,
  name: string,
  instance: ProviderInstance<unknown>,
  { faults, log, lifetime }: MountDeps,
): void {
  const faultResponse = instance.faultResponse ?? genericFaultResponse;

  app.use(`/${name}/*`, async (c, next) => {
    const decision = faults.roll(name);
    const entry = await log.record(name, c.req.raw, decision.kind);
    // Fires when the client gives up or the sandbox closes, whichever comes first.
    const gone = AbortSignal.any([c.req.raw.signal, lifetime]);

    if (decision.delayMs > 0 && !(await wait(decision.delayMs, gone))) {
      return clientGone();
    }
    if (decision.kind === "timeout") {
      await untilAborted(gone);
      return clientGone();
    }
    if (decision.kind === "fail") {
      entry.status = decision.status;
      return faultResponse(decision.status);
    }
    await next();
    entry.status = c.res.status;
  });

  app.mount(`/${name}`, (request) => instance.app.fetch(request));
}

/** Nobody reads this answer; 499 is nginx's "client closed request", for our own logs. */
function clientGone(): Response {
  return new Response(null, { status: 499 });
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
