import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * How a stand-in misbehaves. Every field is optional on input; a missing field means
 * "behave well" for that aspect, so `{}` resets a provider to a fast, reliable far end.
 */
export const FaultConfigSchema = z.strictObject({
  /** Added before every response. */
  latencyMs: z.number().min(0).max(600_000).default(0),
  /** Extra delay drawn uniformly from [0, jitterMs) per request. */
  jitterMs: z.number().min(0).max(600_000).default(0),
  /** Share of requests answered with `failStatus` instead of reaching the stand-in. */
  failRate: z.number().min(0).max(1).default(0),
  failStatus: z.number().int().min(400).max(599).default(503),
  /** Share of requests that never get an answer: the far end hangs until the client gives up. */
  timeoutRate: z.number().min(0).max(1).default(0),
});

export type FaultConfig = z.output<typeof FaultConfigSchema>;
export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

export const SandboxConfigSchema = z.strictObject({
  /** Seeds every fault and id stream; the same seed and traffic give the same faults. */
  seed: z.number().int().optional(),
  providers: z.record(z.string(), FaultConfigSchema).default({}),
});

export type SandboxConfig = z.output<typeof SandboxConfigSchema>;
export type SandboxConfigInput = z.input<typeof SandboxConfigSchema>;

/** The file the CLI reads; tests pass their config programmatically and stay hermetic. */
export const defaultConfigPath = fileURLToPath(new URL("../sandbox.config.json", import.meta.url).href);

/** Reads a config file; a missing file means defaults, a malformed one stops the start. */
export function loadSandboxConfig(path: string): SandboxConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      return SandboxConfigSchema.parse({});
    }
    throw error;
  }
  const parsed = SandboxConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`Invalid sandbox config in ${path}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Programmatic config wins over the file, provider by provider. */
export function mergeConfig(base: SandboxConfig, override: SandboxConfigInput | undefined): SandboxConfig {
  const extra = SandboxConfigSchema.parse(override ?? {});
  return {
    seed: extra.seed ?? base.seed,
    providers: { ...base.providers, ...extra.providers },
  };
}
