import { parseConfig, type Env } from "../env";
import { createDeepgramStt } from "./deepgram/live-stt";
import { createElevenLabsCatalog } from "./elevenlabs/voice-catalog";
import { createElevenLabsTts } from "./elevenlabs/stream-tts";
import { createChatModel } from "./openai/chat-stream";
import { DEFAULT_LLM_BASE_URL } from "./openai/email-writer";
import { createTwilioTelephony } from "./twilio/telephony";
import type { ChatModel, SpeechToText, Telephony, TextToSpeech, VoiceCatalog } from "./voice-ports";

/** A model that answers fast: on a call, time to first token is heard as silence. */
export const DEFAULT_VOICE_LLM_MODEL = "google/gemini-2.0-flash-001";

export interface VoiceProviders {
  stt: SpeechToText;
  tts: TextToSpeech;
  llm: ChatModel;
  telephony: Telephony;
  catalog: VoiceCatalog;
  twilio: { accountSid: string; authToken: string };
}

/**
 * The voice agent's providers from the environment, each real adapter pointed at its base URL (the
 * sandbox locally), or null when any of them is not configured: a call needs all five.
 */
export function voiceProviders(env: Env): VoiceProviders | null {
  const config = parseConfig(env);
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, DEEPGRAM_API_KEY, ELEVENLABS_API_KEY, OPENROUTER_API_KEY } = config;
  if (!(accountSid && authToken && DEEPGRAM_API_KEY && ELEVENLABS_API_KEY && OPENROUTER_API_KEY)) return null;
  return {
    stt: createDeepgramStt({ apiKey: DEEPGRAM_API_KEY, ...(config.DEEPGRAM_BASE_URL ? { baseUrl: config.DEEPGRAM_BASE_URL } : {}) }),
    tts: createElevenLabsTts({ apiKey: ELEVENLABS_API_KEY, ...(config.ELEVENLABS_BASE_URL ? { baseUrl: config.ELEVENLABS_BASE_URL } : {}) }),
    catalog: createElevenLabsCatalog({ apiKey: ELEVENLABS_API_KEY, ...(config.ELEVENLABS_BASE_URL ? { baseUrl: config.ELEVENLABS_BASE_URL } : {}) }),
    llm: createChatModel({ apiKey: OPENROUTER_API_KEY, baseURL: config.LLM_BASE_URL ?? DEFAULT_LLM_BASE_URL, model: config.VOICE_LLM_MODEL ?? DEFAULT_VOICE_LLM_MODEL }),
    telephony: createTwilioTelephony({ accountSid, authToken, ...(config.TWILIO_API_BASE_URL ? { baseUrl: config.TWILIO_API_BASE_URL } : {}) }),
    twilio: { accountSid, authToken },
  };
}
