/** Uniform numbers in [0, 1), like Math.random; injected so tests and replays are deterministic. */
export type Rng = () => number;

/**
 * `ms` moved by up to ±fraction of itself, so that many leads due at the same instant do not hit
 * a provider (or look like a robot to Telegram) in lockstep. Whole milliseconds, never negative.
 */
export function withJitter(ms: number, rng: Rng, fraction = 0.2): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`jitter fraction must be within [0, 1], got ${fraction}`);
  return Math.max(0, Math.round(ms * (1 + fraction * (2 * draw(rng) - 1))));
}

/** A pause between two sends from one account, uniform in [minSeconds, maxSeconds], in ms. */
export function humanGapMs(range: { minSeconds: number; maxSeconds: number }, rng: Rng): number {
  if (!(range.minSeconds >= 0 && range.maxSeconds >= range.minSeconds)) {
    throw new RangeError(`invalid gap range ${range.minSeconds}–${range.maxSeconds} s`);
  }
  return Math.round((range.minSeconds + draw(rng) * (range.maxSeconds - range.minSeconds)) * 1000);
}

/** A broken RNG must fail loudly rather than produce negative or endless delays. */
function draw(rng: Rng): number {
  const value = rng();
  if (!(value >= 0 && value < 1)) throw new RangeError(`rng must return a number in [0, 1), got ${value}`);
  return value;
}
