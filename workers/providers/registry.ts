import type { Channel } from "../../drizzle/schema/enums";
import type { Db } from "../context";
import { fallbackDraft, senderDomain } from "../domain/email";
import { createEmailChannel } from "../engine/channels/email-channel";
import { createTelegramChannel } from "../engine/channels/telegram-channel";
import { createVoiceChannel } from "../engine/channels/voice-channel";
import type { ChannelSender } from "../engine/channel-sender";
import { parseConfig, type Env } from "../env";
import { createLogger } from "../logger";
import { createCallAnalyst, type CallAnalyst } from "./openai/call-analyst";
import { createLlmEmailWriter, DEFAULT_LLM_BASE_URL, DEFAULT_LLM_MODEL } from "./openai/email-writer";
import { pacedEmailSender, type SendTurns } from "./paced-email-sender";
import type { EmailWriter } from "./ports";
import { telegramProviders } from "./telegram-registry";
import { telegramGap } from "../../durable-objects/provider-pacer/channel-limits";
import { createResendSender } from "./resend/email-sender";
import { voiceProviders } from "./voice-registry";

/**
 * The channels the engine can send on, built from the environment: each real adapter pointed at
 * its provider's base URL (the sandbox locally). A channel that is not configured is absent,
 * and the engine falls back past it.
 */
export function channelSenders(env: Env, db: Db): Partial<Record<Channel, ChannelSender>> {
  const senders: Partial<Record<Channel, ChannelSender>> = {};
  const email = emailProviders(env);
  if (email) senders.email = createEmailChannel({ db, d1: env.DB, ...email });
  const voice = voiceProviders(env);
  const appUrl = parseConfig(env).APP_URL;
  if (voice && appUrl) senders.voice = createVoiceChannel({ env, db, providers: voice, appUrl });
  const telegram = telegramProviders(env);
  if (telegram) senders.telegram = createTelegramChannel({ db, d1: env.DB, telegram, writer: messageWriter(env), minGapMs: telegramGap(env).minSeconds * 1000 });
  return senders;
}

/** The model that writes outreach text, or, without a model key, the templates alone. */
function messageWriter(env: Env): EmailWriter {
  const config = parseConfig(env);
  if (!config.OPENROUTER_API_KEY) return { write: async (brief) => fallbackDraft(brief) };
  const log = createLogger({ job: "message-writer" }, config.LOG_LEVEL);
  return createLlmEmailWriter({ apiKey: config.OPENROUTER_API_KEY, baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, onFallback: (reason) => log.warn("message written from the template", { reason }) });
}

/** Email's writer and sender with their settings, or null when email is not configured. */
export function emailProviders(env: Env) {
  const config = parseConfig(env);
  if (!(config.RESEND_API_KEY && config.OPENROUTER_API_KEY && config.EMAIL_TOKEN_SECRET && config.APP_URL)) return null;
  return {
    writer: messageWriter(env),
    sender: pacedEmailSender(createResendSender({ apiKey: config.RESEND_API_KEY, baseUrl: config.RESEND_BASE_URL, timeoutMs: config.RESEND_TIMEOUT_MS }), providerTurns(env)),
    appUrl: config.APP_URL.replace(/\/$/, ""),
    defaultFrom: config.EMAIL_FROM ?? "Noir <outreach@noir.example>",
    inboundDomain: config.INBOUND_EMAIL_DOMAIN ?? "reply.noir.example",
    tokenSecret: config.EMAIL_TOKEN_SECRET,
  };
}

export type EmailProviders = NonNullable<ReturnType<typeof emailProviders>>;

/** Turns on the shared provider account, from the ProviderPacer Durable Object. */
function providerTurns(env: Env): SendTurns {
  return { ask: (email) => env.PROVIDER_PACER.get(env.PROVIDER_PACER.idFromName("providers")).admit("email", senderDomain(email.from)) };
}

/** The post-call reviewer, or null without a model key (calls then keep their recorded outcome). */
export function callAnalyst(env: Env): CallAnalyst | null {
  const config = parseConfig(env);
  if (!config.OPENROUTER_API_KEY) return null;
  const log = createLogger({ job: "call-analysis" }, config.LOG_LEVEL);
  return createCallAnalyst({
    apiKey: config.OPENROUTER_API_KEY,
    baseURL: config.LLM_BASE_URL ?? DEFAULT_LLM_BASE_URL,
    model: config.LLM_MODEL ?? DEFAULT_LLM_MODEL,
    onFallback: (reason) => log.warn("call reviewed without the model", { reason }),
  });
}
