// Helpers for the container's tests: a sandbox pool on a free port, signed calls to it, and a
// fake Worker that records (and checks the signature of) what the pool posts back.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { poolRequestHeaders, verifyPoolRequest } from "./auth.ts";
import { startTelegramPool, type TelegramPool, type TelegramPoolOptions } from "./index.ts";
import { jsonLogger } from "./log.ts";

export const SECRET = "test-pool-secret-0123456789abcdef";

export interface TestPool extends TelegramPool {
  call(method: string, path: string, body?: unknown): Promise<Response>;
  json<T extends z.ZodType>(schema: T, method: string, path: string, body?: unknown): Promise<z.output<T>>;
  signIn(accountId: string, phone?: string): Promise<string>;
}

export async function startTestPool(options: Partial<TelegramPoolOptions> = {}): Promise<TestPool> {
  const pool = await startTelegramPool({
    port: 0,
    hostname: "127.0.0.1",
    secret: SECRET,
    backend: "sandbox",
    standIn: { minGapSeconds: 0, replyDelayMs: 10 },
    replyRetryDelaysMs: [20, 40],
    log: jsonLogger("silent"),
    ...options,
  });
  const call = (method: string, path: string, body?: unknown) => {
    const raw = body === undefined ? "" : JSON.stringify(body);
    return fetch(`${pool.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...poolRequestHeaders(SECRET, { method, path, body: raw }) },
      ...(body === undefined ? {} : { body: raw }),
    });
  };
  const json = async <T extends z.ZodType>(schema: T, method: string, path: string, body?: unknown) => {
    const response = await call(method, path, body);
    if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return schema.parse(await response.json());
  };
  return {
    ...pool,
    call,
    json,
    async signIn(accountId, phone = "+15550001234") {
      await json(z.object({ status: z.literal("code_sent") }), "POST", "/api/accounts/add", { accountId, phone });
      const signedIn = await json(z.object({ status: z.literal("signed_in"), session: z.string() }), "POST", `/api/accounts/${accountId}/verify`, { code: "12345" });
      return signedIn.session;
    },
  };
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  path: string;
  body: string;
  /** Whether the pool's signature checked out against SECRET. */
  signed: boolean;
}

/** A stand-in for the Worker's webhook endpoint. `answer` is the status it replies with, in turn. */
export class FakeWorker {
  readonly received: Delivery[] = [];
  answers: number[] = [];
  #server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        const path = request.url ?? "";
        const verdict = verifyPoolRequest(
          SECRET,
          { timestamp: header(request.headers, "x-noir-timestamp"), signature: header(request.headers, "x-noir-signature") },
          { method: request.method ?? "", path, body },
        );
        this.received.push({ headers: request.headers, path, body, signed: verdict.ok });
        response.writeHead(this.answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("The fake Worker is not on a TCP port");
    this.url = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Polls until `check` returns something truthy, or fails after the deadline. No fixed sleeps. */
export async function eventually<T>(check: () => T | Promise<T>, { timeoutMs = 3_000, what = "the condition" } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const SendResult = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("sent"), messageId: z.number().int(), peer: z.object({ userId: z.string(), username: z.string().nullable() }) }),
  z.object({ outcome: z.literal("flood_wait"), seconds: z.number() }),
  z.object({ outcome: z.enum(["peer_flood", "user_not_found", "privacy_restricted", "account_banned", "auth_needed"]) }),
]);

export const Sent = z.object({
  accounts: z.record(
    z.string(),
    z.array(z.object({ messageId: z.number(), to: z.object({ userId: z.string(), username: z.string().nullable(), phone: z.string().nullable() }), text: z.string() })),
  ),
});
