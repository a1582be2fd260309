import { clerk } from "./clerk";
import { deepgram } from "./deepgram";
import { elevenlabs } from "./elevenlabs";
import { openai } from "./openai";
import { resend } from "./resend";
import { turnstile } from "./turnstile";
import { twilio } from "./twilio";

/**
 * Every stand-in the sandbox mounts, each under `/<name>/`. Adding a provider is its folder
 * plus one entry here; its handle then appears on `startSandbox()`'s result by name.
 */
export const providers = [clerk, resend, openai, deepgram, elevenlabs, twilio, turnstile] as const;
