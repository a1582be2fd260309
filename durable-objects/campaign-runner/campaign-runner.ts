import { DurableObject } from "cloudflare:workers";
import type { CampaignStep } from "../../drizzle/schema/campaigns";
import type { Channel } from "../../drizzle/schema/enums";
import type { DispatchMessage, OutcomeReport } from "../../workers/engine/dispatch-message";
import { createDb } from "../../workers/db/client";
import { accountSlots, orgTelegramAccounts } from "../../workers/db/telegram-accounts";
import type { Env } from "../../workers/env";
import { deferLeads, dueLeads, markInProgress, remainingWork, settledCounts } from "./due-leads";
import { countOutcome, newRun, transition, type RunState } from "./run-state";

/** Leads read per D1 page, and pages per alarm, so one alarm stays short. */
const PAGE = 100;
const PAGES_PER_ALARM = 10;
/** Spread of the wake-up after being paced. */
const PACING_JITTER_MS = 250;
/** How long to wait for outcome reports once D1 shows every lead settled. */
const REPORT_GRACE_MS = 15_000;
/** While sends are in flight and nothing is due, look again this often. */
const IDLE_POLL_MS = 30_000;

export interface RunPlan {
  channelPriority: Channel[];
  steps: CampaignStep[];
  /** Channels with a working adapter: only they are paced (the consumer falls back past the rest). */
  availableChannels: Channel[];
  /** Senders with their own hourly pace (from the org's channel settings), by channel. */
  senderPace?: Partial<Record<Channel, { key: string; perHour: number }>>;
}

export interface Progress extends Pick<RunState, "status" | "pausedReason" | "counts"> {
  campaignId: string;
  startedAt: number;
  completedAt: number | null;
}

/**
 * One per campaign (`idFromName(campaignId)`): walks the campaign's due leads in pages with a
 * cursor kept in storage, paces them per channel with token buckets, enqueues one DISPATCH
 * message per lead, counts the outcomes the consumer reports, and pushes progress to dashboard
 * sockets. Alarms pace it; everything it needs after an eviction is in storage.
 */
export class CampaignRunner extends DurableObject<Env> {
  private async load(): Promise<RunState | undefined> {
    return this.ctx.storage.get<RunState>("state");
  }

  private async save(state: RunState): Promise<void> {
    await this.ctx.storage.put("state", state);
    this.broadcast(state);
  }

  async start(input: { campaignId: string; orgId: string; total: number; plan: RunPlan }): Promise<Progress> {
    const existing = await this.load();
    if (existing && existing.status !== "completed" && existing.status !== "cancelled") return toProgress(existing);
    const state = newRun(input.campaignId, input.orgId, input.total, Date.now());
    await this.ctx.storage.put({ plan: input.plan, cursor: "" });
    await this.save(state);
    await this.ctx.storage.setAlarm(Date.now());
    return toProgress(state);
  }

  async pause(reason: string | null): Promise<Progress | null> {
    return this.apply("pause", reason);
  }

  async resume(plan: RunPlan): Promise<Progress | null> {
    await this.ctx.storage.put({ plan, cursor: "" });
    const progress = await this.apply("resume");
    if (progress) await this.ctx.storage.setAlarm(Date.now());
    return progress;
  }

  async cancel(): Promise<Progress | null> {
    return this.apply("cancel");
  }

  async progress(): Promise<Progress | null> {
    const state = await this.load();
    return state ? toProgress(state) : null;
  }

  /** The consumer's word on one lead. Idempotent: a redelivered report counts once. */
  async report(report: OutcomeReport): Promise<void> {
    const state = await this.load();
    if (!state) return;
    const settledKey = `settled:${report.leadId}`;
    const already = (await this.ctx.storage.get<boolean>(settledKey)) === true;
    const { counts, settles } = countOutcome(state.counts, report.outcome, already);
    if (settles) await this.ctx.storage.put(settledKey, true);
    if (settles) await this.save({ ...state, counts });
    if (state.status === "active") await this.wakeBy(report.outcome.kind === "deferred" ? report.outcome.at : Date.now());
  }

  override async alarm(): Promise<void> {
    const state = await this.load();
    if (!state || state.status !== "active") return;
    // The cursor lives under its own key: reports arriving while this alarm awaits D1 update the
    // counts in "state", and writing a stale copy of it back would lose them.
    let cursor = (await this.ctx.storage.get<string>("cursor")) ?? "";
    const plan = await this.ctx.storage.get<RunPlan>("plan");
    if (!plan) return;
    const pacer = this.env.PROVIDER_PACER.get(this.env.PROVIDER_PACER.idFromName("providers"));
    const now = Date.now();

    // A lead whose channel is out of tokens waits for the next pass; the others go on meanwhile.
    let pacedUntil: number | null = null;
    for (let page = 0; page < PAGES_PER_ALARM; page++) {
      const due = await dueLeads(this.env.DB, state.campaignId, cursor, now, PAGE);
      const byChannel = new Map<Channel | null, typeof due>();
      for (const lead of due) {
        const step = plan.steps[lead.step];
        const channels = step?.channels ?? plan.channelPriority;
        // A follow-up to a lead who answered is settled without a send: it needs no provider's turn.
        const stopped = lead.step > 0 && step?.stopOnReply === true && lead.replied;
        const first = stopped ? null : (channels.find((ch) => lead.contacts.includes(ch) && (plan.availableChannels ?? plan.channelPriority).includes(ch)) ?? null);
        byChannel.set(first, [...(byChannel.get(first) ?? []), lead]);
      }
      const taken: DispatchMessage[] = [];
      for (const [channel, leads] of byChannel) {
        // Leads with no working channel need no token: the consumer settles them at once.
        const sender = channel ? plan.senderPace?.[channel] : undefined;
        const grant =
          channel === "telegram"
            ? await this.telegramTurns(state.orgId, leads.length)
            : channel
              ? await pacer.grant(channel, leads.length, Date.now(), { orgId: state.orgId, ...(sender ? { sender } : {}) })
              : { granted: leads.length, retryAt: null };
        if (grant.retryAt !== null && channel === "telegram") {
          // Telegram turns come tens of seconds apart: the waiting leads step aside for the others.
          await deferLeads(this.env.DB, state.campaignId, leads.slice(grant.granted).map((l) => l.leadId), grant.retryAt, "waiting for a Telegram account's turn");
        } else if (grant.retryAt !== null) pacedUntil = Math.min(pacedUntil ?? grant.retryAt, grant.retryAt);
        leads.slice(0, grant.granted).forEach((lead, i) => {
          const account = "accounts" in grant ? grant.accounts?.[i] : undefined;
          taken.push({ campaignId: state.campaignId, orgId: state.orgId, leadId: lead.leadId, step: lead.step, ...(account ? { telegramAccountId: account } : {}) });
        });
      }
      // Enqueue before marking: a crash in between re-enqueues, and the outbox makes that harmless.
      for (let i = 0; i < taken.length; i += 100) await this.env.DISPATCH.sendBatch(taken.slice(i, i + 100).map((body) => ({ body })));
      await markInProgress(this.env.DB, state.campaignId, taken.map((t) => t.leadId), Date.now());
      // Out of tokens: stay on this page. Its taken leads are no longer pending, so the next wake
      // reads the waiting ones first instead of walking every pending lead once per token.
      if (pacedUntil !== null) break;
      const passDone = due.length < PAGE;
      cursor = passDone ? "" : (due.at(-1)?.leadId ?? cursor);
      await this.ctx.storage.put("cursor", cursor);
      if (passDone) break;
    }
    if (cursor !== "" && pacedUntil === null) return this.wakeBy(Date.now());
    // A little jitter keeps many campaigns from waking on the same instant for the same tokens.
    if (pacedUntil !== null) return this.wakeBy(pacedUntil + Math.floor(Math.random() * PACING_JITTER_MS));

    const left = await remainingWork(this.env.DB, state.campaignId);
    if (left.pending === 0 && left.inProgress === 0) return this.finish(state.campaignId);
    await this.ctx.storage.delete("drainedSince");
    const nextDue = left.nextDueAt !== null ? Math.max(left.nextDueAt, Date.now()) : Number.POSITIVE_INFINITY;
    await this.wakeBy(Math.min(nextDue, Date.now() + IDLE_POLL_MS));
  }

  /**
   * Telegram leads each get a turn on one of the org's accounts from the shared pacer. With no
   * account that can ever send, they go through untaken: the consumer falls back to the next channel.
   */
  private async telegramTurns(orgId: string, wanted: number): Promise<{ granted: number; retryAt: number | null; accounts?: string[] }> {
    const now = Date.now();
    const slots = accountSlots(await orgTelegramAccounts(createDb(this.env.DB), orgId), now);
    if (slots.length === 0) return { granted: wanted, retryAt: null };
    const grant = await this.env.PROVIDER_PACER.get(this.env.PROVIDER_PACER.idFromName("providers")).grantTelegram(wanted, now, slots);
    return { granted: grant.accounts.length, retryAt: grant.retryAt, accounts: grant.accounts };
  }

  /**
   * Every lead is settled in D1. The consumer reports each outcome after writing it, so the last
   * reports may still be on their way: wait for them briefly, then trust D1's own counts (a report
   * lost with a crashed consumer must not keep the campaign open forever).
   */
  private async finish(campaignId: string): Promise<void> {
    const latest = await this.load();
    if (!latest || latest.status !== "active") return;
    let counts = latest.counts;
    if (counts.processed < counts.total) {
      const since = (await this.ctx.storage.get<number>("drainedSince")) ?? Date.now();
      if (Date.now() - since < REPORT_GRACE_MS) {
        await this.ctx.storage.put("drainedSince", since);
        return this.wakeBy(Date.now() + 1_000);
      }
      counts = await settledCounts(this.env.DB, campaignId);
    }
    const done = transition({ ...latest, counts }, "complete", Date.now());
    if (!done) return;
    await this.save(done);
    await this.env.DB.prepare("UPDATE campaigns SET status = 'completed', completed_at = ?1, updated_at = ?1 WHERE id = ?2 AND status = 'active'").bind(Date.now(), campaignId).run();
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const pair = new WebSocketPair();
    // Hibernation API: the runner may be evicted while dashboards stay connected.
    this.ctx.acceptWebSocket(pair[1]);
    const state = await this.load();
    if (state) pair[1].send(JSON.stringify(toProgress(state)));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket): Promise<void> {
    const state = await this.load();
    if (state) ws.send(JSON.stringify(toProgress(state)));
  }

  private async apply(event: "pause" | "resume" | "cancel", reason: string | null = null): Promise<Progress | null> {
    const state = await this.load();
    if (!state) return null;
    const next = transition(state, event, Date.now(), reason);
    if (!next) return null;
    await this.save(next);
    return toProgress(next);
  }

  /** Sets the alarm to `at` unless one is already due sooner. */
  private async wakeBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private broadcast(state: RunState): void {
    const message = JSON.stringify(toProgress(state));
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        // a socket closing under us; the close handler cleans up
      }
    }
  }
}

function toProgress(state: RunState): Progress {
  return { campaignId: state.campaignId, status: state.status, pausedReason: state.pausedReason, counts: state.counts, startedAt: state.startedAt, completedAt: state.completedAt };
}
