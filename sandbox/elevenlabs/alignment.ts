/**
 * ElevenLabs' character alignment for the stand-in's speech: when each character of the text is
 * heard, spread evenly over the utterance, and cut to each audio chunk as the real service sends it.
 */
export interface Alignment {
  chars: string[];
  charStartTimesMs: number[];
  charDurationsMs: number[];
}

/** Each character's start and length across the utterance, in whole ms that add up to `totalMs`. */
export function align(text: string, totalMs: number): Alignment {
  const chars = Array.from(text);
  const starts = chars.map((_, i) => Math.round((i * totalMs) / chars.length));
  return {
    chars,
    charStartTimesMs: starts,
    charDurationsMs: starts.map((start, i) => (starts[i + 1] ?? totalMs) - start),
  };
}

/** The characters that start in [startMs, endMs), timed from the chunk's start as ElevenLabs does. */
export function alignmentWithin(alignment: Alignment, startMs: number, endMs: number): Alignment | null {
  const out: Alignment = { chars: [], charStartTimesMs: [], charDurationsMs: [] };
  alignment.charStartTimesMs.forEach((start, i) => {
    if (start < startMs || start >= endMs) return;
    out.chars.push(alignment.chars[i] ?? "");
    out.charStartTimesMs.push(start - startMs);
    out.charDurationsMs.push(alignment.charDurationsMs[i] ?? 0);
  });
  return out.chars.length > 0 ? out : null;
}
