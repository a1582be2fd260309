// Types for index.mjs (plain Node ESM, so `npm start` needs no TypeScript), used by the tests.
export interface StackOptions {
  /** wrangler dev's port; default 8787. */
  port?: number;
  inspectorPort?: number;
  /** Local D1/DO/queue state; default .wrangler/state. Tests pass a temp dir. */
  persistTo?: string;
  /** 0 picks a free port; default SANDBOX_PORT or 8790. */
  sandboxPort?: number;
  /** The developer's sandbox fault settings: `true` for sandbox.config.json, or a path. */
  sandboxConfigFile?: string | true;
  /** Run `astro build` first; default true. */
  build?: boolean;
  /** Keep child output to itself (shown only when a step fails). */
  quiet?: boolean;
  /** Variables that win over .dev.vars and the sandbox's (benchmarks raise limits with them). */
  extraVars?: Record<string, string>;
}

export interface RunningStack {
  url: string;
  sandbox: import("../../sandbox").Sandbox | null;
  /** The Telegram pool with its stand-in, when npm start runs it (no TELEGRAM_POOL_URL in .dev.vars). */
  telegram: import("../../container/src/index.ts").TelegramPool | null;
  timings: { astroBuildMs?: number; migrationsMs: number; devReadyMs: number };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export function startStack(options?: StackOptions): Promise<RunningStack>;
