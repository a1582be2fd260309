import type { TestProject } from "vitest/node";
import { randomBytes } from "node:crypto";
import { startTelegramPool } from "../container/src/index.ts";
import { createClerkStandIn, startSandbox } from "../sandbox";

export interface TestClerk {
  publicKeyPem: string;
  publishableKey: string;
  authorizedParty: string;
  tokens: Record<"valid" | "validOtherUser" | "expired" | "forged" | "wrongIssuer" | "wrongParty" | "noEmail", string>;
}

declare module "vitest" {
  interface ProvidedContext {
    clerk: TestClerk;
    /** The sandbox's base URL (Resend, the chat API…); workerd gets it as the SANDBOX_URL binding. */
    sandboxUrl: string;
    sandboxEnv: Record<string, string>;
    /** The Telegram pool's URL and the secrets the Worker shares with it. */
    telegramEnv: Record<string, string>;
  }
}

/** A Clerk instance for the whole run: workerd gets its public key; tests get signed tokens. */
export default async function setup(project: TestProject) {
  const clerk = await createClerkStandIn({ defaultAzp: "http://localhost:8787" });
  const hour = 3600;
  const past = Math.floor(Date.now() / 1000) - 2 * hour;
  const mint = async (options: Parameters<typeof clerk.mintSessionToken>[0]) => (await clerk.mintSessionToken({ expiresInSeconds: hour, ...options })).token;
  project.provide("clerk", {
    publicKeyPem: clerk.publicKeyPem,
    publishableKey: clerk.publishableKey,
    authorizedParty: "http://localhost:8787",
    tokens: {
      valid: await mint({ email: "clerk.user@example.com", name: "Clerk User" }),
      validOtherUser: await mint({ email: "other.user@example.com" }),
      expired: await mint({ email: "late@example.com", issuedAt: past, expiresInSeconds: 60 }),
      forged: await mint({ email: "forger@example.com", signWithForeignKey: true }),
      wrongIssuer: await mint({ email: "iss@example.com", issuer: "https://evil.example.com" }),
      wrongParty: await mint({ email: "azp@example.com", azp: "https://evil.example.com" }),
      noEmail: await mint({}),
    },
  });

  // The far ends the Worker's provider adapters talk to over HTTP, on a free port for this run.
  const sandbox = await startSandbox({ port: 0, seed: 1 });
  project.provide("sandboxUrl", sandbox.url);
  // Provider keys and base URLs for the Worker; Clerk's come from the stand-in above instead.
  project.provide("sandboxEnv", Object.fromEntries(Object.entries(sandbox.env).filter(([key]) => !key.startsWith("CLERK_"))));

  // The Telegram pool with its stand-in, as a plain Node process; tests send as the Worker would.
  // It has no Worker URL to post replies to (workerd has no port here): tests post them themselves.
  const telegramSecret = randomBytes(24).toString("hex");
  const telegram = await startTelegramPool({ port: 0, hostname: "127.0.0.1", secret: telegramSecret, backend: "sandbox", standIn: { minGapSeconds: 0 }, log: { info() {}, warn() {}, error() {} } });
  project.provide("telegramEnv", { TELEGRAM_POOL_URL: telegram.url, TELEGRAM_POOL_SECRET: telegramSecret, TELEGRAM_SESSION_KEY: randomBytes(32).toString("base64"), TELEGRAM_GAP_SECONDS: "0.2-0.4" });
  return async () => {
    await telegram.close();
    await sandbox.close();
  };
}
