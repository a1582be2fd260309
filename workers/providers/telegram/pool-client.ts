import { z } from "zod";
import { ProviderError } from "../ports";
import type { SendOutcome as PoolSendOutcome } from "../../domain/telegram/account-pool";
import { signPoolRequest } from "./pool-signature";

/** How a send through the pool ended (container/README.md); the engine's own type is the domain's. */
export const SendOutcome = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("sent"), messageId: z.number().int(), peer: z.object({ userId: z.string(), username: z.string().nullable() }) }),
  z.object({ outcome: z.literal("flood_wait"), seconds: z.number().int().min(0) }),
  z.object({ outcome: z.literal("peer_flood") }),
  z.object({ outcome: z.literal("user_not_found") }),
  z.object({ outcome: z.literal("privacy_restricted") }),
  z.object({ outcome: z.literal("account_banned") }),
  z.object({ outcome: z.literal("auth_needed") }),
]) satisfies z.ZodType<PoolSendOutcome>;

export const LoginStep = z.discriminatedUnion("status", [
  z.object({ status: z.literal("code_sent") }),
  z.object({ status: z.literal("phone_invalid") }),
  z.object({ status: z.literal("flood_wait"), seconds: z.number().int().min(0) }),
  z.object({ status: z.literal("password_needed"), hint: z.string().nullable() }),
  z.object({ status: z.literal("signed_in"), session: z.string().min(1), user: z.object({ id: z.string(), username: z.string().nullable(), firstName: z.string().nullable(), phone: z.string().nullable() }) }),
  z.object({ status: z.literal("code_invalid") }),
  z.object({ status: z.literal("code_expired") }),
  z.object({ status: z.literal("password_invalid") }),
]);
export type LoginStep = z.infer<typeof LoginStep>;

export const PoolClients = z.object({
  accounts: z.array(z.object({ accountId: z.string(), state: z.string(), connectedAt: z.string().nullable(), lastUsedAt: z.string().nullable(), sentSinceConnect: z.number() })),
});

export interface TelegramPool {
  send(input: { accountId: string; session: string; to: { username: string } | { phone: string }; text: string; idempotencyKey: string }): Promise<PoolSendOutcome>;
  startLogin(accountId: string, phone: string): Promise<LoginStep>;
  verifyLogin(accountId: string, proof: { code?: string; password?: string }): Promise<LoginStep | { status: "no_login" }>;
  clients(): Promise<z.infer<typeof PoolClients>>;
  forget(accountId: string): Promise<void>;
}

export interface PoolClientConfig {
  /** Sends a request to the container: plain fetch to a URL locally, the Container binding in production. */
  fetch: (request: Request) => Promise<Response>;
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
}

/**
 * The Worker's side of the Telegram pool container: signed JSON over HTTP. A network failure or
 * a 5xx is a retryable ProviderError; the container's answer is parsed, never trusted as is.
 */
export function createPoolClient(config: PoolClientConfig): TelegramPool {
  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, notFound?: T): Promise<T> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers = { ...(await signPoolRequest(config.secret, { timestamp: Math.floor(Date.now() / 1000), method, path, body: text })), ...(text ? { "content-type": "application/json" } : {}) };
    let response: Response;
    try {
      response = await config.fetch(new Request(`${config.baseUrl}${path}`, { method, headers, ...(text ? { body: text } : {}), signal: AbortSignal.timeout(config.timeoutMs ?? 20_000) }));
    } catch (error) {
      throw new ProviderError("telegram-pool", `the Telegram pool did not answer: ${error instanceof Error ? error.message : String(error)}`, true);
    }
    if (response.status === 404 && notFound !== undefined) return notFound;
    if (!response.ok) {
      await response.body?.cancel();
      throw new ProviderError("telegram-pool", `the Telegram pool answered ${response.status} to ${method} ${path.split("?")[0]}`, response.status >= 500 || response.status === 429, response.status);
    }
    if (response.status === 204) return schema.parse(undefined);
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new ProviderError("telegram-pool", `the Telegram pool's answer to ${method} ${path.split("?")[0]} was not understood`, true, response.status);
    return parsed.data;
  }
  return {
    send: (input) => call("POST", "/api/send", SendOutcome, input),
    startLogin: (accountId, phone) => call("POST", "/api/accounts/add", LoginStep, { accountId, phone }),
    verifyLogin: (accountId, proof) => call("POST", `/api/accounts/${encodeURIComponent(accountId)}/verify`, LoginStep.or(z.object({ status: z.literal("no_login") })), proof, { status: "no_login" as const }),
    clients: () => call("GET", "/api/accounts", PoolClients),
    forget: async (accountId) => {
      // A pool that never held the account (or restarted since) has nothing to forget.
      await call("DELETE", `/api/accounts/${encodeURIComponent(accountId)}`, z.undefined().or(z.object({ status: z.literal("no_login") })), undefined, { status: "no_login" as const });
    },
  };
}
