import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { campaigns, scripts, voiceConfigs } from "../../../drizzle/schema";
import { CAMPAIGN_STATUSES, CHANNELS, type Channel } from "../../../drizzle/schema/enums";
import { AppError, type FieldError } from "../../errors";
import { crudRoutes, type CrudContext } from "../crud";
import { iso, NON_BLANK, Timestamp } from "../shared";

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM");

const Schedule = z
  .strictObject({
    windowStart: HHMM.openapi({ example: "09:00" }),
    windowEnd: HHMM.openapi({ example: "20:00" }),
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7).openapi({ description: "ISO weekdays, 1 = Monday", example: [1, 2, 3, 4, 5] }),
  })
  .refine((s) => s.windowStart < s.windowEnd, { message: "windowStart must be before windowEnd", path: ["windowEnd"] })
  .openapi("CampaignSchedule");

/** Quiet hours by default: 09:00–20:00 in each lead's own time zone, Monday to Friday. */
const DEFAULT_SCHEDULE = { windowStart: "09:00", windowEnd: "20:00", days: [1, 2, 3, 4, 5] };

const Step = z
  .strictObject({
    delayMinutes: z.number().min(0).max(60 * 24 * 60).openapi({ description: "Minutes after the previous step succeeded (0 for the first)" }),
    channels: z.array(z.enum(CHANNELS)).min(1).max(3).nullable().openapi({ description: "Channels to try in order; null = the campaign's priority" }),
    stopOnReply: z.boolean(),
  })
  .openapi("CampaignStep");

/** The seed's single touch: one step, now, on the campaign's priority. */
const ONE_STEP = [{ delayMinutes: 0, channels: null, stopOnReply: true }];

const ChannelList = z
  .array(z.enum(CHANNELS))
  .min(1)
  .max(CHANNELS.length)
  .refine((list) => new Set(list).size === list.length, "each channel at most once");

const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    scriptId: z.string().nullable(),
    voiceConfigId: z.string().nullable(),
    channels: z.array(z.enum(CHANNELS)),
    channelPriority: z.array(z.enum(CHANNELS)),
    schedule: Schedule,
    steps: z.array(Step),
    startAt: Timestamp.nullable(),
    pausedReason: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Campaign");

const fields = {
  name: NON_BLANK(200),
  scriptId: z.string().max(64).nullable(),
  voiceConfigId: z.string().max(64).nullable(),
  channels: ChannelList,
  channelPriority: ChannelList.openapi({ description: "Order to try channels in; the same set as channels. Defaults to channels' order." }),
  schedule: Schedule,
  steps: z.array(Step).min(1).max(10).openapi({ description: "Follow-up sequence, e.g. email now, Telegram after 2 days if no reply, a call after 4" }),
  startAt: z.iso.datetime({ offset: true }).nullable().openapi({ description: "Do not start before this time" }),
};
const CampaignCreate = z.strictObject({
  ...fields,
  scriptId: fields.scriptId.optional(),
  voiceConfigId: fields.voiceConfigId.optional(),
  channelPriority: fields.channelPriority.optional(),
  schedule: fields.schedule.default(DEFAULT_SCHEDULE),
  steps: fields.steps.default(ONE_STEP),
  startAt: fields.startAt.optional(),
});
const CampaignPatch = z.strictObject(fields).partial();

type Row = typeof campaigns.$inferSelect;
const EDITABLE: Row["status"][] = ["draft", "paused"];

/** Referenced script and voice config must be the org's own: another org's id is "not found". */
async function checkReferences(ctx: CrudContext, input: { scriptId?: string | null; voiceConfigId?: string | null }) {
  const errors: FieldError[] = [];
  if (input.scriptId) {
    const [found] = await ctx.db.select({ id: scripts.id }).from(scripts).where(and(eq(scripts.id, input.scriptId), eq(scripts.orgId, ctx.tenant.orgId))).limit(1);
    if (!found) errors.push({ field: "body.scriptId", message: "no such script in this organization" });
  }
  if (input.voiceConfigId) {
    const [found] = await ctx.db.select({ id: voiceConfigs.id }).from(voiceConfigs).where(and(eq(voiceConfigs.id, input.voiceConfigId), eq(voiceConfigs.orgId, ctx.tenant.orgId))).limit(1);
    if (!found) errors.push({ field: "body.voiceConfigId", message: "no such voice config in this organization" });
  }
  if (errors.length) throw new AppError("validation_failed", "The campaign refers to something this organization does not have.", errors);
}

function resolvePriority(channels: Channel[], priority: Channel[] | undefined): Channel[] {
  if (!priority) return channels;
  const same = priority.length === channels.length && priority.every((ch) => channels.includes(ch));
  if (!same) {
    throw new AppError("validation_failed", "channelPriority must order exactly the campaign's channels.", [{ field: "body.channelPriority", message: `expected an order of ${channels.join(", ")}` }]);
  }
  return priority;
}

export const campaignRoutes = crudRoutes({
  noun: "Campaign",
  tag: "Campaigns",
  path: "/campaigns",
  table: campaigns,
  idKind: "campaign",
  api: Campaign,
  create: CampaignCreate,
  patch: CampaignPatch,
  filter: {
    query: z.object({ status: z.enum(CAMPAIGN_STATUSES).optional() }),
    where: (q) => [q.status ? eq(campaigns.status, q.status) : undefined],
  },
  toApi: (r: Row) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    scriptId: r.scriptId,
    voiceConfigId: r.voiceConfigId,
    channels: r.channels,
    channelPriority: r.channelPriority,
    schedule: r.schedule,
    startAt: iso(r.startAt),
    pausedReason: r.pausedReason,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  }),
  async toInsert(input, ctx) {
    await checkReferences(ctx, input);
    return {
      ...input,
      channelPriority: resolvePriority(input.channels, input.channelPriority),
      startAt: input.startAt ? new Date(input.startAt) : null,
    };
  },
  async toUpdate(input, ctx, current) {
    if (!EDITABLE.includes(current.status)) {
      throw new AppError("conflict", `A ${current.status} campaign cannot be edited; pause it first.`);
    }
    await checkReferences(ctx, input);
    const channels = input.channels ?? current.channels;
    const priority = input.channelPriority ?? (input.channels ? input.channels : current.channelPriority);
    return {
      ...input,
      channels,
      channelPriority: resolvePriority(channels, priority),
      ...(input.startAt !== undefined ? { startAt: input.startAt ? new Date(input.startAt) : null } : {}),
    };
  },
});
