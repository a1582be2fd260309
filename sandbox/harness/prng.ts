/**
 * Seeded randomness for the sandbox. Faults and generated ids draw from these streams so a
 * test that fixes the seed sees the same sequence on every run and every machine.
 */

/** mulberry32: a tiny 32-bit PRNG, plenty for fault dice and ids (not for secrets). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stream per (seed, label), so traffic to one provider never shifts another provider's
 * sequence. FNV-1a mixes the label into the seed.
 */
export function streamFor(seed: number, label: string): () => number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return mulberry32(hash);
}
