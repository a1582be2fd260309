/**
 * The stand-in's fixed voice library and the models it knows. Voice ids look like ElevenLabs'
 * (20 alphanumerics) but are ours; the wire shape is `GET /v1/voices`'s.
 */

/** ISO 639-1 codes of Eleven Multilingual v2 (https://elevenlabs.io/docs/overview/models). */
const MULTILINGUAL_V2 = [
  "en", "ja", "zh", "de", "hi", "fr", "ko", "pt", "it", "es", "id", "nl", "tr", "fil", "pl", "sv", "bg", "ro", "ar", "cs",
  "el", "fi", "hr", "ms", "sk", "da", "ta", "uk", "ru",
] as const;
/** Flash/Turbo v2.5: Multilingual v2's languages plus Hungarian, Norwegian, Vietnamese. */
const V2_5 = [...MULTILINGUAL_V2, "hu", "no", "vi"] as const;

export interface ModelInfo {
  /** Served over the stream-input WebSocket (Eleven v3 is HTTP only). */
  streamInput: boolean;
  /** Languages `language_code` may name; null: any (we do not list Eleven v3's 70+). */
  languages: readonly string[] | null;
}

export const MODELS: Readonly<Record<string, ModelInfo>> = {
  eleven_multilingual_v2: { streamInput: true, languages: MULTILINGUAL_V2 },
  eleven_turbo_v2_5: { streamInput: true, languages: V2_5 },
  eleven_flash_v2_5: { streamInput: true, languages: V2_5 },
  eleven_turbo_v2: { streamInput: true, languages: ["en"] },
  eleven_flash_v2: { streamInput: true, languages: ["en"] },
  eleven_v3: { streamInput: false, languages: null },
};

/** ElevenLabs' default when a request names no model. */
export const DEFAULT_MODEL = "eleven_multilingual_v2";

export interface VerifiedLanguage {
  language: string;
  model_id: string;
  accent: string | null;
  locale: string | null;
  preview_url: string | null;
}

/** One voice as `GET /v1/voices` lists it (the fields a client reads; ElevenLabs sends more). */
export interface ElevenLabsVoice {
  voice_id: string;
  name: string;
  samples: null;
  category: "premade" | "cloned" | "generated" | "professional";
  fine_tuning: {
    is_allowed_to_fine_tune: boolean;
    state: Record<string, string>;
    verification_failures: string[];
    verification_attempts_count: number;
    manual_verification_requested: boolean;
  };
  labels: { accent: string; description: string; age: string; gender: string; use_case: string };
  description: string;
  preview_url: string;
  available_for_tiers: string[];
  settings: null;
  sharing: null;
  high_quality_base_model_ids: string[];
  verified_languages: VerifiedLanguage[];
  is_owner: boolean;
  is_legacy: boolean;
  is_mixed: boolean;
  created_at_unix: number | null;
}

interface VoiceSeed {
  voice_id: string;
  name: string;
  category: ElevenLabsVoice["category"];
  labels: ElevenLabsVoice["labels"];
  description: string;
  /** [language, locale, accent] per language the voice is verified in. */
  languages: [string, string, string][];
}

const SEEDS: VoiceSeed[] = [
  {
    voice_id: "sbxOlenaUk7Qm2Lp9Xz1",
    name: "Olena",
    category: "premade",
    labels: { accent: "ukrainian", description: "warm", age: "young", gender: "female", use_case: "conversational" },
    description: "Warm, friendly Ukrainian voice for phone conversations.",
    languages: [["uk", "uk-UA", "standard"], ["en", "en-US", "ukrainian"]],
  },
  {
    voice_id: "sbxTarasUk4Wn8Rd2Vc6",
    name: "Taras",
    category: "premade",
    labels: { accent: "ukrainian", description: "calm", age: "middle_aged", gender: "male", use_case: "conversational" },
    description: "Calm, confident Ukrainian voice.",
    languages: [["uk", "uk-UA", "standard"]],
  },
  {
    voice_id: "sbxIrynaUk3Hs5Ty8Bn0",
    name: "Iryna",
    category: "professional",
    labels: { accent: "ukrainian", description: "professional", age: "middle_aged", gender: "female", use_case: "narrative_story" },
    description: "Clear, professional voice for Ukrainian and Russian.",
    languages: [["uk", "uk-UA", "standard"], ["ru", "ru-RU", "standard"], ["pl", "pl-PL", "ukrainian"]],
  },
  {
    voice_id: "sbxAdaEn9Kd1Fg6Jm3Qw",
    name: "Ada",
    category: "premade",
    labels: { accent: "american", description: "upbeat", age: "young", gender: "female", use_case: "conversational" },
    description: "Upbeat American English voice.",
    languages: [["en", "en-US", "american"]],
  },
  {
    voice_id: "sbxOliverEn2Zx7Cv4Bn",
    name: "Oliver",
    category: "premade",
    labels: { accent: "british", description: "deep", age: "middle_aged", gender: "male", use_case: "narration" },
    description: "Deep British English voice.",
    languages: [["en", "en-GB", "british"]],
  },
  {
    voice_id: "sbxMartaPl5Ty2Ui8Op1",
    name: "Marta",
    category: "cloned",
    labels: { accent: "polish", description: "bright", age: "young", gender: "female", use_case: "social_media" },
    description: "A cloned Polish voice that also speaks Ukrainian.",
    languages: [["pl", "pl-PL", "standard"], ["uk", "uk-UA", "polish"]],
  },
];

/** The library, with previews served by the stand-in at `previewBase/{voice_id}.wav`. */
export function voiceLibrary(previewBase: string): ElevenLabsVoice[] {
  return SEEDS.map((seed): ElevenLabsVoice => {
    const previewUrl = `${previewBase}/${seed.voice_id}.wav`;
    return {
      voice_id: seed.voice_id,
      name: seed.name,
      samples: null,
      category: seed.category,
      fine_tuning: {
        is_allowed_to_fine_tune: seed.category !== "premade",
        state: seed.category === "premade" ? ({} as Record<string, string>) : { eleven_multilingual_v2: "fine_tuned" },
        verification_failures: [],
        verification_attempts_count: 0,
        manual_verification_requested: false,
      },
      labels: seed.labels,
      description: seed.description,
      preview_url: previewUrl,
      available_for_tiers: [],
      settings: null,
      sharing: null,
      high_quality_base_model_ids: ["eleven_multilingual_v2", "eleven_turbo_v2_5", "eleven_flash_v2_5", "eleven_v3"],
      verified_languages: seed.languages.flatMap(([language, locale, accent]) =>
        ["eleven_multilingual_v2", "eleven_flash_v2_5"].map((model_id) => ({ language, model_id, accent, locale, preview_url: previewUrl })),
      ),
      is_owner: seed.category === "cloned",
      is_legacy: false,
      is_mixed: false,
      created_at_unix: seed.category === "cloned" ? 1_735_689_600 : null,
    };
  });
}

/** Ids of the fixed voices, for tests and for `.dev.vars`. */
export const VOICE_IDS = {
  olena: "sbxOlenaUk7Qm2Lp9Xz1",
  taras: "sbxTarasUk4Wn8Rd2Vc6",
  iryna: "sbxIrynaUk3Hs5Ty8Bn0",
  ada: "sbxAdaEn9Kd1Fg6Jm3Qw",
  oliver: "sbxOliverEn2Zx7Cv4Bn",
  marta: "sbxMartaPl5Ty2Ui8Op1",
} as const;

/** What a voice says in its preview: a greeting in its first language. */
export function previewText(voice: ElevenLabsVoice): string {
  const first = voice.verified_languages[0]?.language ?? "en";
  const greetings: Record<string, string> = {
    uk: `Привіт! Мене звати ${voice.name}.`,
    pl: `Cześć! Nazywam się ${voice.name}.`,
    ru: `Здравствуйте! Меня зовут ${voice.name}.`,
  };
  return greetings[first] ?? `Hi! My name is ${voice.name}.`;
}
