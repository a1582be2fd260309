import { and, eq } from "drizzle-orm";
import { campaignLeads, deadLetters } from "../../drizzle/schema";
import { createDb } from "../db/client";
import { newId } from "../db/ids";
import { DispatchMessage } from "../engine/dispatch-message";
import { runnerOf } from "../engine/runner-client";
import type { Env } from "../env";
import { createLogger } from "../logger";

/**
 * Messages DISPATCH gave up on: recorded with their last error for the dashboard, and the lead
 * settled as failed so its campaign can still complete. Nothing is sent from here.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const log = createLogger({ queue: batch.queue });
  for (const message of batch.messages) {
    const parsed = DispatchMessage.safeParse(message.body);
    if (!parsed.success) {
      log.error("dead letter without an org: dropped after logging", { id: message.id, body: JSON.stringify(message.body).slice(0, 500) });
      message.ack();
      continue;
    }
    const { orgId, campaignId, leadId, step } = parsed.data;
    const where = and(eq(campaignLeads.campaignId, campaignId), eq(campaignLeads.leadId, leadId), eq(campaignLeads.orgId, orgId), eq(campaignLeads.step, step));
    const [assignment] = await db.select().from(campaignLeads).where(where).limit(1);
    const error = assignment?.lastError ?? "delivery failed after every retry";
    await db.batch([
      db.insert(deadLetters).values({ id: newId("deadLetter"), orgId, campaignId, leadId, body: parsed.data, error, attempts: message.attempts }),
      db.update(campaignLeads).set({ status: "failed", lastError: error, updatedAt: new Date() }).where(and(where, eq(campaignLeads.status, "in_progress"))),
    ]);
    await runnerOf(env, campaignId).report({ leadId, step, outcome: { kind: "failed", reason: error } });
    message.ack();
  }
}
