import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { TestClerk } from "./test/global-setup";

/** Worker, Durable Object and queue code runs inside workerd, against real D1 migrations and a sandbox. */
/** Tests that inject provider faults into their sandbox. */
const FAULT_TESTS = ["test/api/faults/**/*.test.ts", "workers/providers/**/*.test.ts"];
/** Tests of provider pacing, run at a low, countable email rate. */
const PACING_TESTS = ["test/api/pacing/**/*.test.ts"];

function workersProject(name: string, include: string[], exclude: string[], extra: Record<string, unknown> = {}, bindings: Record<string, string> = {}) {
  return {
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
              ...inject<Record<string, string>>("telegramEnv"),
              APP_URL: "http://localhost:8787",
              EMAIL_TOKEN_SECRET: "test-email-token-secret-0123456789",
              INBOUND_EMAIL_DOMAIN: "reply.noir.test",
              // The sandbox has no rate limit; tests should not wait out Resend's 2 a second.
              EMAIL_SENDS_PER_SECOND: "500",
              VOICE_CALLS_PER_SECOND: "500",
              RETRY_BASE_SECONDS: "0",
              RESEND_TIMEOUT_MS: "1500",
              ...bindings,
            },
          },
        };
      }),
    ],
    test: {
      name,
      include,
      exclude,
      globalSetup: ["./test/global-setup.ts"],
      setupFiles: ["./test/apply-migrations.ts"],
      ...extra,
    },
  };
}

export default defineConfig({
  test: {
    // On 2 cores vitest would run one file at a time; most of the suite's wall time is waiting
    // (real-time phone calls, paced sends, queue batches), so three at once: 395 s instead of ~600 s.
    maxWorkers: 3,
    projects: [
      workersProject("workers", ["test/api/**/*.test.ts", "workers/**/*.test.ts", "durable-objects/**/*.test.ts"], [...FAULT_TESTS, ...PACING_TESTS]),
      // Fault injection changes the sandbox for everyone using it: its own sandbox, one file at a time.
      workersProject("workers-faults", FAULT_TESTS, [], { fileParallelism: false }),
      workersProject("workers-pacing", PACING_TESTS, [], { fileParallelism: false }, { EMAIL_SENDS_PER_SECOND: "10" }),
      {
        test: {
          name: "node",
          environment: "node",
          include: ["sandbox/**/*.test.ts", "container/**/*.test.ts"],
        },
      },
      {
        // The real stack (npm start's steps): the dashboard in headless Chromium, full phone calls
        // against the sandbox's Twilio callee (it must reach the Worker over TCP), and the deploy dry run.
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts", "test/stack/**/*.test.ts", "test/deploy/**/*.test.ts"],
          globalSetup: ["./test/browser/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
