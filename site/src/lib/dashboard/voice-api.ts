import * as z from "zod/mini";
import { pageOf, request, requestBlob, type Page } from "../api";

/** /api/dashboard/voices (the account's voices, a spoken sample) and /voice-configs (the org's choices). */

export const LANGUAGES = ["uk", "en", "uk-en", "de", "pl", "fr", "es"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_LABELS: Record<Language, string> = {
  uk: "Ukrainian",
  en: "English",
  "uk-en": "Ukrainian and English",
  de: "German",
  pl: "Polish",
  fr: "French",
  es: "Spanish",
};

export const PERSONALITIES = ["professional", "friendly", "assertive", "empathetic", "casual"] as const;
export type Personality = (typeof PERSONALITIES)[number];
export const PERSONALITY_LABELS: Record<Personality, string> = {
  professional: "Professional",
  friendly: "Friendly",
  assertive: "Assertive",
  empathetic: "Empathetic",
  casual: "Casual",
};

/** ElevenLabs' accepted speed range, as the API enforces it. */
export const SPEED = { min: 0.7, max: 1.2, step: 0.05 } as const;

/** A voice's language codes ("uk", "en", "ru"…) as one of ours, for its sample; null when none is. */
export function sampleLanguageOf(codes: string[]): Language | null {
  return LANGUAGES.find((l) => codes.includes(l)) ?? null;
}

const Voice = z.object({
  id: z.string(),
  name: z.string(),
  languages: z.catch(z.array(z.string()), []),
  gender: z.catch(z.nullable(z.string()), null),
});
export type Voice = z.infer<typeof Voice>;

const VoiceConfig = z.object({
  id: z.string(),
  name: z.string(),
  voiceId: z.string(),
  language: z.enum(LANGUAGES),
  personality: z.enum(PERSONALITIES),
  speed: z.number(),
});
export type VoiceConfig = z.infer<typeof VoiceConfig>;
export type VoiceConfigInput = Omit<VoiceConfig, "id">;

export async function fetchVoices(): Promise<Voice[]> {
  return (await request(pageOf(Voice), "/api/dashboard/voices", {})).items;
}

/** A short MP3 of this voice speaking the language's sample sentence. */
export function fetchSample(voiceId: string, language: Language): Promise<Blob> {
  return requestBlob(`/api/dashboard/voices/${encodeURIComponent(voiceId)}/sample`, "audio", { method: "POST", body: JSON.stringify({ language }) });
}

/** The org's voice configs: a handful per org, so the first 100 are all of them in practice. */
export function fetchVoiceConfigs(): Promise<Page<VoiceConfig>> {
  return request(pageOf(VoiceConfig), "/api/dashboard/voice-configs?limit=100");
}

export function saveVoiceConfig(id: string | null, input: VoiceConfigInput): Promise<VoiceConfig> {
  return request(VoiceConfig, id ? `/api/dashboard/voice-configs/${encodeURIComponent(id)}` : "/api/dashboard/voice-configs", {
    method: id ? "PATCH" : "POST",
    body: JSON.stringify(input),
  });
}
