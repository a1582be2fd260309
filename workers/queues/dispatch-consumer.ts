import { and, eq } from "drizzle-orm";
import { campaignLeads } from "../../drizzle/schema";
import type { Db } from "../context";
import { createDb } from "../db/client";
import { dispatchLead, RetryLater } from "../engine/dispatch-lead";
import { analyzeCall } from "../engine/analyze-call";
import { AnalyzeCallMessage, DispatchMessage } from "../engine/dispatch-message";
import { pauseCampaign, runnerOf } from "../engine/runner-client";
import type { Env } from "../env";
import { createLogger } from "../logger";
import { callAnalyst, channelSenders } from "../providers/registry";

/** Retries back off: 10 s, 20 s, 40 s … capped at 10 minutes (RETRY_BASE_SECONDS scales it for tests). */
const backoffSeconds = (attempts: number, base: number) => Math.min(600, base * 2 ** Math.max(0, attempts - 1));

/**
 * The DISPATCH consumer: one lead's turn per message. A message is acknowledged once its
 * outcome is recorded; a retryable failure is retried with backoff; after the queue's
 * max_retries it goes to the dead-letter queue (see dead-letter-consumer.ts).
 */
export async function consumeDispatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const log = createLogger({ queue: batch.queue });
  const deps = {
    db,
    now: () => new Date(),
    channels: channelSenders(env, db),
    report: (campaignId: string, leadId: string, step: number, outcome: Parameters<ReturnType<typeof runnerOf>["report"]>[0]["outcome"]) =>
      runnerOf(env, campaignId).report({ leadId, step, outcome }),
    pauseCampaign: (campaignId: string, orgId: string, reason: string) => pauseCampaign(env, db, campaignId, orgId, reason),
    log,
  };
  const retryBase = Number(env.RETRY_BASE_SECONDS ?? 10) >= 0 ? Number(env.RETRY_BASE_SECONDS ?? 10) : 10;
  // Leads in a batch are independent (each has its own outbox key): work on them side by side.
  await Promise.all(batch.messages.map(async (message) => {
    const review = AnalyzeCallMessage.safeParse(message.body);
    if (review.success) {
      const analyst = callAnalyst(env);
      if (!analyst) return message.ack();
      try {
        log.info("call analysed", { callId: review.data.callId, result: await analyzeCall(db, analyst, review.data) });
        message.ack();
      } catch (error) {
        log.warn("call analysis will be retried", { callId: review.data.callId, reason: error instanceof Error ? error.message : String(error) });
        message.retry({ delaySeconds: backoffSeconds(message.attempts, retryBase) });
      }
      return;
    }
    const parsed = DispatchMessage.safeParse(message.body);
    if (!parsed.success) {
      // Nothing can make a malformed message valid: it goes on to the dead-letter queue.
      log.error("malformed dispatch message", { id: message.id });
      message.retry({ delaySeconds: 0 });
      return;
    }
    try {
      const outcome = await dispatchLead(deps, parsed.data);
      log.info("dispatched", { campaignId: parsed.data.campaignId, leadId: parsed.data.leadId, step: parsed.data.step, outcome: outcome?.kind ?? "nothing to do" });
      message.ack();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Kept on the assignment so the dead-letter record can say what went wrong last.
      await recordLastError(db, parsed.data, reason);
      log.warn("dispatch will be retried", { campaignId: parsed.data.campaignId, leadId: parsed.data.leadId, attempts: message.attempts, reason, retryable: error instanceof RetryLater });
      const told = error instanceof RetryLater ? error.afterSeconds : undefined;
      message.retry({ delaySeconds: told ?? backoffSeconds(message.attempts, retryBase) });
    }
  }));
}

function recordLastError(db: Db, message: DispatchMessage, reason: string) {
  return db
    .update(campaignLeads)
    .set({ lastError: reason.slice(0, 500), updatedAt: new Date() })
    .where(and(eq(campaignLeads.campaignId, message.campaignId), eq(campaignLeads.leadId, message.leadId), eq(campaignLeads.orgId, message.orgId)));
}
