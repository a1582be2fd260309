import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { TestClerk } from "./test/global-setup";

export default defineConfig({
  test: {
    projects: [
      {
        // Worker, Durable Object and queue code runs inside workerd.
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const clerk = inject<TestClerk>("clerk");
            return {
              main: "./test/worker-entry.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  ENVIRONMENT: "test",
                  LOG_LEVEL: "warn",
                  DEV_SESSION_SECRET: "test-dev-session-secret-0123456789abcdef",
                  CLERK_JWT_KEY: clerk.publicKeyPem,
                  CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
                  CLERK_AUTHORIZED_PARTIES: clerk.authorizedParty,
                  TEST_MIGRATIONS: await readD1Migrations("./drizzle/migrations"),
                  TEST_TOKENS: clerk.tokens,
                  SANDBOX_URL: inject<string>("sandboxUrl"),
                  ...inject<Record<string, string>>("sandboxEnv"),
                  APP_URL: "http://localhost:8787",
                  EMAIL_TOKEN_SECRET: "test-email-token-secret-0123456789",
                  INBOUND_EMAIL_DOMAIN: "reply.noir.test",
                  // The sandbox has no rate limit; tests should not wait out Resend's 2 a second.
                  EMAIL_SENDS_PER_SECOND: "500",
                  RETRY_BASE_SECONDS: "0",
                },
              },
            };
          }),
        ],
        test: {
          name: "workers",
          include: ["test/api/**/*.test.ts", "workers/**/*.test.ts", "durable-objects/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["sandbox/**/*.test.ts", "container/**/*.test.ts"],
        },
      },
      {
        // The real stack (npm start's steps) in headless Chromium, and the deploy dry run.
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts", "test/deploy/**/*.test.ts"],
          globalSetup: ["./test/browser/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
