import { FaultConfigSchema, type FaultConfig, type FaultConfigInput } from "./config";
import { streamFor } from "./prng";

export type FaultDecision =
  | { kind: "pass"; delayMs: number }
  | { kind: "fail"; delayMs: number; status: number }
  | { kind: "timeout"; delayMs: number };

/**
 * One provider's dice. Each request draws exactly three numbers whatever the config, so the
 * sequence of outcomes depends only on (seed, provider, config, request order).
 */
class FaultDice {
  readonly config: FaultConfig;
  readonly #random: () => number;

  constructor(seed: number, provider: string, config: FaultConfig) {
    this.config = config;
    this.#random = streamFor(seed, `faults:${provider}`);
  }

  roll(): FaultDecision {
    const jitter = this.#random();
    const hang = this.#random();
    const fail = this.#random();
    const { latencyMs, jitterMs, timeoutRate, failRate, failStatus } = this.config;
    const delayMs = latencyMs + jitterMs * jitter;
    if (hang < timeoutRate) return { kind: "timeout", delayMs };
    if (fail < failRate) return { kind: "fail", delayMs, status: failStatus };
    return { kind: "pass", delayMs };
  }
}

/** The fault config of every mounted provider, changeable while the sandbox runs. */
export class FaultRegistry {
  readonly #seed: number;
  readonly #dice = new Map<string, FaultDice>();

  constructor(seed: number, providers: readonly string[], initial: Record<string, FaultConfig>) {
    this.#seed = seed;
    for (const name of Object.keys(initial)) {
      if (!providers.includes(name)) {
        throw new Error(`Sandbox config names unknown provider "${name}" (known: ${providers.join(", ")})`);
      }
    }
    for (const name of providers) this.#install(name, initial[name] ?? FaultConfigSchema.parse({}));
  }

  has(name: string): boolean {
    return this.#dice.has(name);
  }

  /**
   * Replaces a provider's config (PUT semantics: omitted fields return to their defaults)
   * and restarts its dice, so a test that sets a config sees the same sequence every time.
   */
  set(name: string, input: FaultConfigInput): FaultConfig {
    if (!this.#dice.has(name)) throw new Error(`Unknown sandbox provider "${name}"`);
    return this.#install(name, FaultConfigSchema.parse(input));
  }

  get(name: string): FaultConfig {
    return this.#get(name).config;
  }

  all(): Record<string, FaultConfig> {
    return Object.fromEntries([...this.#dice].map(([name, dice]) => [name, dice.config]));
  }

  roll(name: string): FaultDecision {
    return this.#get(name).roll();
  }

  #get(name: string): FaultDice {
    const dice = this.#dice.get(name);
    if (!dice) throw new Error(`Unknown sandbox provider "${name}"`);
    return dice;
  }

  #install(name: string, config: FaultConfig): FaultConfig {
    this.#dice.set(name, new FaultDice(this.#seed, name, config));
    return config;
  }
}
