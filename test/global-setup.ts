import type { TestProject } from "vitest/node";
import { createClerkStandIn } from "../sandbox";

export interface TestClerk {
  publicKeyPem: string;
  publishableKey: string;
  authorizedParty: string;
  tokens: Record<"valid" | "validOtherUser" | "expired" | "forged" | "wrongIssuer" | "wrongParty" | "noEmail", string>;
}

declare module "vitest" {
  interface ProvidedContext {
    clerk: TestClerk;
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
}
