import type { VoiceLanguage } from "../../providers/voice-ports";

export type Personality = "professional" | "friendly" | "assertive" | "empathetic" | "casual";

/** Everything the voice agent knows about one call, fixed when the call is placed. */
export interface CallBrief {
  language: VoiceLanguage;
  personality: Personality;
  /** The agent's name as it introduces itself (the voice config's name). */
  agentName: string;
  orgName: string;
  script: { name: string; content: string; objectionHandlers: { triggers: string[]; response: string }[] } | null;
  lead: { firstName: string | null; lastName: string | null; company: string | null };
  /** The org's own opening words, spoken after the AI disclosure; a default when unset. */
  openingLine: string | null;
}

/** The rows a call is briefed from: the voice config, the script and the lead (each as stored). */
export interface BriefSources {
  voice: { name: string; voiceId: string; language: VoiceLanguage; personality: Personality; speed: number };
  script: { name: string; content: string; objectionHandlers: { triggers: string[]; response: string }[] } | null;
  lead: { firstName: string | null; lastName: string | null; company: string | null } | null;
  orgName: string;
}

/** What the agent knows and how it sounds, from the org's voice config, script and lead. */
export function briefFrom({ voice, script, lead, orgName }: BriefSources): { brief: CallBrief; tts: { voiceId: string; language: VoiceLanguage; speed: number } } {
  return {
    brief: {
      language: voice.language,
      personality: voice.personality,
      agentName: voice.name,
      orgName,
      script: script ? { name: script.name, content: script.content, objectionHandlers: script.objectionHandlers } : null,
      lead: { firstName: lead?.firstName ?? null, lastName: lead?.lastName ?? null, company: lead?.company ?? null },
      openingLine: null,
    },
    tts: { voiceId: voice.voiceId, language: voice.language, speed: voice.speed },
  };
}
