import { and, eq } from "drizzle-orm";
import { campaignLeads, leads } from "../../drizzle/schema";
import type { Channel } from "../../drizzle/schema/enums";
import type { Db } from "../context";
import { METRIC_OF_CHANNEL, PLAN_LIMITS, remaining } from "../domain/billing/plans";
import { channelWindow, countryTimeZone, leadTimeZone, localWindowCheck, touchCapCheck } from "../domain/contact-policy";
import type { Logger } from "../logger";
import { readUsage } from "../db/usage";
import { hasContact, idempotencyKeyOf, type ChannelSender } from "./channel-sender";
import type { DispatchMessage, LeadOutcome } from "./dispatch-message";
import { loadLeadContext, type LeadContext } from "./lead-context";

export interface DispatchDeps {
  db: Db;
  now: () => Date;
  channels: Partial<Record<Channel, ChannelSender>>;
  /** Tells the campaign's runner how the lead's turn ended. */
  report(campaignId: string, leadId: string, step: number, outcome: LeadOutcome): Promise<void>;
  /** Pauses the campaign (D1 and runner) with a reason the dashboard shows. */
  pauseCampaign(campaignId: string, orgId: string, reason: string): Promise<void>;
  log: Logger;
}

/** Thrown for a failure worth retrying later (provider 5xx, timeout): the queue redelivers. */
export class RetryLater extends Error {
  constructor(
    message: string,
    /** The provider's (or our pacing's) own word on when to try again; else the queue backs off. */
    readonly afterSeconds?: number,
  ) {
    super(message);
  }
}

const LABEL: Record<Channel, string> = { email: "email", telegram: "Telegram message", voice: "voice minute" };

/**
 * One lead's turn at one campaign step: policy checks, then each channel in priority order until
 * one succeeds. Safe to run twice for the same message: a settled lead is left alone and every
 * send is keyed by (campaign, lead, step, channel).
 */
export async function dispatchLead(deps: DispatchDeps, message: DispatchMessage): Promise<LeadOutcome | null> {
  const now = deps.now();
  const ctx = await loadLeadContext(deps.db, message, now);
  if (!ctx) return null;
  const { campaign, assignment, lead, org } = ctx;
  // A redelivered message for a lead already settled, or for an older step, changes nothing.
  if (assignment.status !== "in_progress" || assignment.step !== message.step) return null;
  if (campaign.status !== "active") {
    await setAssignment(deps.db, message, { status: "pending", note: `campaign ${campaign.status}` });
    return null;
  }
  const settle = (outcome: LeadOutcome, lastChannel: Channel | null = null) => settleLead(deps, ctx, message, outcome, lastChannel);

  if (ctx.suppressedAs) return settle({ kind: "skipped", reason: `suppressed (${ctx.suppressedAs.replace("_", " ")})` });
  const step = campaign.steps[message.step];
  if (!step) return settle({ kind: "skipped", reason: "the campaign has no such step" });
  if (message.step > 0 && step.stopOnReply && lead.status === "replied") return settle({ kind: "succeeded", final: true, channel: "reply" });

  const channels = (step.channels ?? campaign.channelPriority).filter((ch) => campaign.channels.includes(ch) && hasContact(lead, ch));
  if (channels.length === 0) return settle({ kind: "skipped", reason: "no contact for the campaign's channels" });

  const cap = touchCapCheck({ now, touches: ctx.touches, maxPerDay: org.maxTouchesPerDay, maxPerWeek: org.maxTouchesPerWeek });
  if (!cap.allowed) return settle({ kind: "deferred", at: cap.nextAllowedAt.getTime(), reason: "contact limit for this lead" });

  // Without an explicit zone or a phone number, the org's home region stands in for the lead's.
  const zone = leadTimeZone({ timezone: lead.timezone, phone: lead.phone }, countryTimeZone(org.defaultRegion) ?? "UTC");
  const failures: string[] = [];
  const overLimit: Channel[] = [];
  for (const channel of channels) {
    const hours = channelWindow(channel, campaign.schedule);
    if (!hours) {
      failures.push(`${channel}: the campaign's hours leave no time allowed for this channel`);
      continue;
    }
    const window = localWindowCheck({ now, zone, window: hours });
    // The preferred channel's hours decide: wait for them rather than fall back early.
    if (!window.allowed) return settle({ kind: "deferred", at: window.nextAllowedAt.getTime(), reason: `outside ${channel} hours in ${zone}` });
    const metric = METRIC_OF_CHANNEL[channel];
    if (remaining(org.plan, metric, await readUsage(deps.db, org.id, metric, now)) <= 0) {
      overLimit.push(channel);
      continue;
    }
    const sender = deps.channels[channel];
    if (!sender) {
      failures.push(`${channel}: channel not available yet`);
      continue;
    }
    const result = await sender.send({
      idempotencyKey: idempotencyKeyOf(campaign.id, lead.id, message.step, channel),
      org: { orgId: org.id, orgName: org.name, plan: org.plan },
      campaign,
      lead,
      step: message.step,
      script: ctx.script,
      voice: ctx.voice,
      channelConfig: ctx.channelConfig(channel),
      now,
      ...(message.telegramAccountId ? { telegramAccountId: message.telegramAccountId } : {}),
    });
    if (result.ok) return settle({ kind: "succeeded", final: message.step + 1 >= campaign.steps.length, channel }, channel);
    if (result.waiting) {
      await setAssignment(deps.db, message, { note: `${channel}: ${result.reason}` });
      return null;
    }
    if ("deferUntil" in result) return settle({ kind: "deferred", at: result.deferUntil, reason: `${channel}: ${result.reason}` });
    if (result.retryable) throw new RetryLater(`${channel}: ${result.reason}`, result.retryAfterSeconds);
    failures.push(`${channel}: ${result.reason}`);
  }
  if (overLimit.length > 0 && failures.length === 0) {
    const limits = overLimit.map((ch) => `${LABEL[ch]}s (${PLAN_LIMITS[org.plan][METRIC_OF_CHANNEL[ch]]} a month on the ${org.plan} plan)`).join(", ");
    const reason = `Monthly limit reached: ${limits}. Upgrade the plan or wait for next month, then resume.`;
    await setAssignment(deps.db, message, { status: "pending", note: "plan limit reached" });
    await deps.pauseCampaign(campaign.id, org.id, reason);
    return null;
  }
  return settle({ kind: "failed", reason: [...failures, ...overLimit.map((ch) => `${ch}: monthly limit reached`)].join("; ") });
}

async function settleLead(deps: DispatchDeps, ctx: LeadContext, message: DispatchMessage, outcome: LeadOutcome, lastChannel: Channel | null): Promise<LeadOutcome> {
  const { campaign } = ctx;
  if (outcome.kind === "deferred") {
    await setAssignment(deps.db, message, { status: "pending", nextAt: new Date(outcome.at), note: outcome.reason });
  } else if (outcome.kind === "succeeded" && !outcome.final) {
    const next = campaign.steps[message.step + 1]!;
    const at = deps.now().getTime() + next.delayMinutes * 60_000;
    await setAssignment(deps.db, message, { status: "pending", step: message.step + 1, nextAt: new Date(at), lastChannel, lastError: null, note: null });
  } else {
    const status = outcome.kind === "succeeded" ? "succeeded" : outcome.kind;
    const reason = outcome.kind === "succeeded" ? null : outcome.reason;
    await setAssignment(deps.db, message, { status, lastChannel, lastError: outcome.kind === "failed" ? reason : null, note: outcome.kind === "skipped" ? reason : null });
  }
  if (outcome.kind === "succeeded" && lastChannel) {
    await deps.db.update(leads).set({ status: "contacted", updatedAt: deps.now() }).where(and(eq(leads.id, ctx.lead.id), eq(leads.orgId, ctx.org.id), eq(leads.status, "new")));
  }
  await deps.report(campaign.id, ctx.lead.id, message.step, outcome);
  return outcome;
}

type AssignmentChanges = Partial<Pick<typeof campaignLeads.$inferInsert, "status" | "step" | "nextAt" | "lastChannel" | "lastError" | "note">>;

function setAssignment(db: Db, message: DispatchMessage, changes: AssignmentChanges) {
  return db
    .update(campaignLeads)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(campaignLeads.campaignId, message.campaignId), eq(campaignLeads.leadId, message.leadId), eq(campaignLeads.orgId, message.orgId), eq(campaignLeads.step, message.step)));
}
