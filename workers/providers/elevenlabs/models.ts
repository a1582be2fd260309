import type { VoiceLanguage } from "../voice-ports";

/**
 * Which ElevenLabs model speaks each call language. Flash v2.5 everywhere: ~75 ms model latency,
 * 32 languages including Ukrainian, Polish, German, French and Spanish, and it honours
 * `language_code` (https://elevenlabs.io/docs/models#flash-v25). Alternatives, per language if a
 * voice needs it: `eleven_turbo_v2_5` (same languages, a little slower, ElevenLabs now steers to
 * Flash), `eleven_multilingual_v2` (richer prosody, ~250–300 ms, 29 languages, no
 * `language_code`), `eleven_flash_v2` (English only), `eleven_v3` (most expressive, but its
 * stream-input handshake is refused with 403: HTTP only).
 */
export const DEFAULT_TTS_MODELS: Readonly<Record<VoiceLanguage, string>> = {
  uk: "eleven_flash_v2_5",
  en: "eleven_flash_v2_5",
  "uk-en": "eleven_flash_v2_5",
  de: "eleven_flash_v2_5",
  pl: "eleven_flash_v2_5",
  fr: "eleven_flash_v2_5",
  es: "eleven_flash_v2_5",
};

/** Models that take `language_code`; ElevenLabs answers an error when another model is given one. */
const LANGUAGE_CODE_MODELS: ReadonlySet<string> = new Set(["eleven_flash_v2_5", "eleven_turbo_v2_5"]);

/**
 * The ISO 639-1 code to enforce, or null to let the model read the language from the text. A
 * mixed Ukrainian–English reply gets none: enforcing `uk` would normalise the English words
 * (numbers, abbreviations) as Ukrainian.
 */
export function languageCodeFor(language: VoiceLanguage, modelId: string): string | null {
  if (!LANGUAGE_CODE_MODELS.has(modelId) || language === "uk-en") return null;
  return language;
}

export function modelFor(language: VoiceLanguage, overrides: Partial<Record<VoiceLanguage, string>> | undefined): string {
  return overrides?.[language] ?? DEFAULT_TTS_MODELS[language];
}
