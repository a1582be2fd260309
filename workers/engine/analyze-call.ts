import { and, eq } from "drizzle-orm";
import { callLogs } from "../../drizzle/schema";
import type { Db } from "../context";
import type { CallAnalyst } from "../providers/openai/call-analyst";
import type { AnalyzeCallMessage } from "./dispatch-message";

/**
 * The post-call review: sentiment, a 0–100 score, a summary and the outcome, written to the call's
 * log. Idempotent: a call already reviewed is left alone, so a redelivered message changes nothing.
 */
export async function analyzeCall(db: Db, analyst: CallAnalyst, message: AnalyzeCallMessage): Promise<"analysed" | "already" | "missing"> {
  const [call] = await db.select().from(callLogs).where(and(eq(callLogs.id, message.callId), eq(callLogs.orgId, message.orgId))).limit(1);
  if (!call) return "missing";
  if (call.sentiment !== null) return "already";
  const review = await analyst.analyse({ transcript: call.transcript, outcome: call.outcome });
  await db
    .update(callLogs)
    .set({ sentiment: review.sentiment, score: review.score, summary: review.summary, outcome: review.outcome, metadata: { ...call.metadata, analysis: review.source } })
    .where(and(eq(callLogs.id, call.id), eq(callLogs.orgId, call.orgId)));
  return "analysed";
}
