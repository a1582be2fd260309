import { z } from "@hono/zod-openapi";
import { channelConfigs } from "../../../drizzle/schema";
import { CHANNEL_CONFIG_STATUSES, CHANNELS, type Channel } from "../../../drizzle/schema/enums";
import { AppError, fieldErrorsFromZod } from "../../errors";
import { crudRoutes } from "../crud";
import { iso, Timestamp } from "../shared";

/** What each channel can be configured with. Defaults follow the seed (30–90 s Telegram gaps). */
const CONFIG_BY_CHANNEL = {
  email: z.strictObject({
    fromEmail: z.email().max(320),
    fromName: z.string().trim().max(100).optional(),
    replyTo: z.email().max(320).optional(),
    autoReply: z.boolean().default(false),
    /** The sender's own pace, e.g. while a new domain warms up; unset, the Resend account's limit governs. */
    maxPerHour: z.number().int().min(1).max(7200).optional(),
  }),
  telegram: z.strictObject({
    minDelaySeconds: z.number().int().min(10).max(3600).default(30),
    maxDelaySeconds: z.number().int().min(10).max(7200).default(90),
  }).refine((c) => c.minDelaySeconds <= c.maxDelaySeconds, { message: "minDelaySeconds must not exceed maxDelaySeconds", path: ["maxDelaySeconds"] }),
  voice: z.strictObject({
    callerPhoneNumberId: z.string().max(64).optional(),
    voicemailMessage: z.string().trim().max(1000).optional(),
    maxConcurrentCalls: z.number().int().min(1).max(100).default(5),
  }),
} satisfies Record<Channel, z.ZodType>;

function parseChannelConfig(channel: Channel, config: unknown) {
  const parsed = CONFIG_BY_CHANNEL[channel].safeParse(config);
  if (!parsed.success) throw new AppError("validation_failed", `The ${channel} settings are not valid.`, fieldErrorsFromZod(parsed.error, "body.config"));
  return parsed.data;
}

const ChannelConfig = z
  .object({ id: z.string(), channel: z.enum(CHANNELS), config: z.record(z.string(), z.unknown()), status: z.enum(CHANNEL_CONFIG_STATUSES), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi("ChannelConfig");

const ChannelConfigCreate = z.strictObject({
  channel: z.enum(CHANNELS),
  config: z.record(z.string(), z.unknown()).openapi({ description: "email: {fromEmail, fromName?, replyTo?, autoReply?, maxPerHour?}; telegram: {minDelaySeconds, maxDelaySeconds}; voice: {callerPhoneNumberId?, voicemailMessage?, maxConcurrentCalls}" }),
  status: z.enum(CHANNEL_CONFIG_STATUSES).optional(),
});
const ChannelConfigPatch = ChannelConfigCreate.omit({ channel: true }).partial();

type Row = typeof channelConfigs.$inferSelect;

export const channelConfigRoutes = crudRoutes({
  noun: "Channel config",
  tag: "Channel configs",
  path: "/channel-configs",
  table: channelConfigs,
  idKind: "channelConfig",
  api: ChannelConfig,
  create: ChannelConfigCreate,
  patch: ChannelConfigPatch,
  conflict: "This channel is already configured; update its config instead.",
  writeRoles: ["owner", "admin"],
  toApi: (r: Row) => ({ id: r.id, channel: r.channel, config: r.config, status: r.status, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! }),
  toInsert: (input) => ({ ...input, config: parseChannelConfig(input.channel, input.config) }),
  toUpdate: (input, _ctx, current) => (input.config ? { ...input, config: parseChannelConfig(current.channel, input.config) } : input),
});
