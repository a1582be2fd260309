/**
 * The `/v1/listen` query string, read as Deepgram reads it: unknown parameters are accepted and
 * ignored, known ones must parse, and a bad combination is refused. The sandbox only hears its
 * own speech (μ-law 8 kHz mono), so it also refuses any other audio format.
 *
 * A refusal's `message` is what Deepgram puts in the `dg-error` header of its 400 (the body's
 * `err_msg` is `Bad Request: <message>`). Bad values read `Invalid '<name>' value of '<value>'.`,
 * the wording Deepgram uses for `utterance_end_ms`; a model or language it does not know reads
 * `No such model/language/tier combination found.`
 */

export interface ListenOptions {
  model: string;
  language: string;
  /** `interim_results=true`: `is_final: false` Results while speech goes on. */
  interimResults: boolean;
  /** Silence after speech that ends an utterance (`speech_final`), ms; null with `endpointing=false`. */
  endpointingMs: number | null;
  /** Gap after the last word that sends `UtteranceEnd`, ms; null when not asked for. */
  utteranceEndMs: number | null;
  /** `vad_events=true`: `SpeechStarted` messages. */
  vadEvents: boolean;
  /** `punctuate` or `smart_format`: transcripts and `punctuated_word` keep case and punctuation. */
  punctuate: boolean;
}

export type ParsedQuery = { ok: true; options: ListenOptions } | { ok: false; message: string };

/** Deepgram's default: 10 ms of silence ends an utterance. */
export const DEFAULT_ENDPOINTING_MS = 10;
/** Deepgram refuses a shorter `utterance_end_ms` (its interim results come about once a second). */
export const MIN_UTTERANCE_END_MS = 1000;

const MODEL = /^(nova-3|nova-2|nova|enhanced|base)(-[a-z0-9]+)*$/;
const LANGUAGE = /^(multi|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/;
const BOOLEAN_PARAMS = ["interim_results", "vad_events", "smart_format", "punctuate", "diarize", "filler_words", "numerals", "profanity_filter", "no_delay", "multichannel", "mip_opt_out"];

export function parseListenQuery(query: URLSearchParams): ParsedQuery {
  const get = (name: string): string | null => query.get(name);
  const fail = (message: string): ParsedQuery => ({ ok: false, message });

  for (const name of BOOLEAN_PARAMS) {
    const value = get(name);
    if (value !== null && value !== "true" && value !== "false") return fail(invalid(name, value));
  }
  const flag = (name: string): boolean => get(name) === "true";

  const encoding = get("encoding");
  if (encoding !== "mulaw") {
    return fail(`The sandbox hears only encoding=mulaw (got ${encoding === null ? "none" : encoding}).`);
  }
  const sampleRate = get("sample_rate");
  if (sampleRate === null) return fail("sample_rate is required when encoding is set.");
  if (sampleRate !== "8000") return fail(`The sandbox hears only sample_rate=8000 (got ${sampleRate}).`);
  const channels = get("channels");
  if (channels !== null && channels !== "1") return fail(`The sandbox hears only channels=1 (got ${channels}).`);
  if (flag("multichannel")) return fail("The sandbox does not support multichannel.");

  const model = get("model") ?? "base";
  const language = get("language") ?? "en";
  if (!MODEL.test(model) || !LANGUAGE.test(language)) return fail("No such model/language/tier combination found.");

  const endpointing = get("endpointing");
  let endpointingMs: number | null = DEFAULT_ENDPOINTING_MS;
  if (endpointing === "false") endpointingMs = null;
  else if (endpointing !== null && endpointing !== "true") {
    if (!/^\d+$/.test(endpointing)) return fail(invalid("endpointing", endpointing));
    endpointingMs = Number(endpointing);
  }

  const interimResults = flag("interim_results");
  const utteranceEnd = get("utterance_end_ms");
  let utteranceEndMs: number | null = null;
  if (utteranceEnd !== null) {
    if (!/^\d+$/.test(utteranceEnd)) return fail(invalid("utterance_end_ms", utteranceEnd));
    utteranceEndMs = Number(utteranceEnd);
    if (utteranceEndMs < MIN_UTTERANCE_END_MS) return fail(invalid("utterance_end_ms", utteranceEnd));
    if (!interimResults) return fail("utterance_end_ms requires interim_results=true.");
  }

  return {
    ok: true,
    options: {
      model,
      language,
      interimResults,
      endpointingMs,
      utteranceEndMs,
      vadEvents: flag("vad_events"),
      punctuate: flag("punctuate") || flag("smart_format"),
    },
  };
}

function invalid(name: string, value: string): string {
  return `Invalid '${name}' value of '${value}'.`;
}
