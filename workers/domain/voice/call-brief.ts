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
