import type { campaigns, channelConfigs, leads, scripts, voiceConfigs } from "../../drizzle/schema";
import type { Channel } from "../../drizzle/schema/enums";
import type { Tenant } from "../context";

/** Everything a channel needs to reach one lead at one step of one campaign. */
export interface SendContext {
  /** (campaign, lead, step, channel): the same key on every retry of this send. */
  idempotencyKey: string;
  org: Pick<Tenant, "orgId" | "orgName" | "plan">;
  campaign: typeof campaigns.$inferSelect;
  lead: typeof leads.$inferSelect;
  step: number;
  script: typeof scripts.$inferSelect | null;
  voice: typeof voiceConfigs.$inferSelect | null;
  channelConfig: Record<string, unknown> | null;
  now: Date;
  /** The Telegram account the pacer gave this send's turn to, if any. */
  telegramAccountId?: string;
}

export type SendResult =
  | { ok: true; messageId: string }
  /** `retryable`: the queue tries this lead again later; otherwise the next channel is tried. */
  | { ok: false; waiting?: false; retryable: boolean; reason: string; retryAfterSeconds?: number }
  /** Not sent, and not this channel's failure: the lead waits for the runner to give it a new turn at `until`. */
  | { ok: false; waiting?: false; deferUntil: number; reason: string }
  /**
   * Under way, outcome later: a call is ringing or live. The lead stays in progress; whoever learns
   * the outcome (the call's session) records it and dispatches the lead again to settle it.
   */
  | { ok: false; waiting: true; reason: string };

/** One outreach channel (email, Telegram, voice) behind the engine. */
export interface ChannelSender {
  readonly channel: Channel;
  send(context: SendContext): Promise<SendResult>;
}

export type ChannelConfigRow = typeof channelConfigs.$inferSelect;

export function hasContact(lead: { phone: string | null; email: string | null; telegramUsername: string | null }, channel: Channel): boolean {
  if (channel === "email") return lead.email !== null;
  if (channel === "voice") return lead.phone !== null;
  return lead.telegramUsername !== null;
}

export const idempotencyKeyOf = (campaignId: string, leadId: string, step: number, channel: Channel) => `${campaignId}:${leadId}:${step}:${channel}`;
