import { z } from "zod";

/**
 * An org's voice channel config as calls read it. A broken config falls back to the defaults
 * rather than stopping calls: the concurrent-call cap of 5 still holds.
 */
export const VoiceSettings = z
  .object({ callerPhoneNumberId: z.string().optional(), voicemailMessage: z.string().optional(), maxConcurrentCalls: z.number().int().min(1).max(100).default(5) })
  .catch({ maxConcurrentCalls: 5 });

export type VoiceSettings = z.infer<typeof VoiceSettings>;
