import { and, eq } from "drizzle-orm";
import { callLogs, leads } from "../../drizzle/schema";
import type { TranscriptEntry } from "../../drizzle/schema/activity";
import { createDb } from "../../workers/db/client";
import { suppressLead } from "../../workers/db/suppress-lead";
import { incrementUsage } from "../../workers/db/usage";
import type { AgentAction } from "./conversation";
import type { CallPlan } from "./call-plan";

export type CallStatus = "completed" | "failed" | "no_answer" | "voicemail" | "busy";

export interface CallResult {
  status: CallStatus;
  startedAt: number | null;
  endedAt: number;
  transcript: TranscriptEntry[];
  actions: AgentAction[];
  answeredBy: string | null;
  turnLatenciesMs: number[];
  endReason: string;
  /** Twilio's inbound media as the session saw it: frames received, and frames missing (gaps in their `chunk` numbers). */
  media: { framesIn: number; framesMissing: number };
}

/**
 * Rough cost of a connected call in cents: Twilio outbound ~1.4¢/min, Deepgram streaming ~0.8¢/min,
 * ElevenLabs ~6¢ per 1,000 characters spoken, the chat model ~0.1¢ per turn. For the dashboard's
 * estimate, not for billing.
 */
export function estimateCostCents(seconds: number, agentChars: number, turns: number): number {
  const minutes = Math.ceil(seconds / 60);
  return Math.round(minutes * 2.2 + (agentChars / 1000) * 6 + turns * 0.1);
}

/** What the call came to, in one word for the dashboard, before the post-call analysis refines it. */
export function outcomeOf(result: CallResult): string {
  if (result.status !== "completed") return result.status;
  if (result.actions.some((a) => a.type === "do_not_call")) return "do_not_call";
  if (result.actions.some((a) => a.type === "book_meeting")) return "meeting_booked";
  const outcome = result.actions.findLast((a) => a.type === "set_outcome");
  if (outcome?.type === "set_outcome") return outcome.outcome;
  return result.transcript.some((t) => t.role === "callee") ? "conversation" : "no_response";
}

/**
 * Writes the call's log, counts its minutes and, when the callee asked not to be called, suppresses
 * the lead on every channel. Runs once per call (the session keeps a flag).
 */
export async function recordCall(d1: D1Database, plan: CallPlan, result: CallResult): Promise<void> {
  const db = createDb(d1);
  const seconds = result.startedAt === null ? 0 : Math.max(0, Math.round((result.endedAt - result.startedAt) / 1000));
  const agentChars = result.transcript.filter((t) => t.role === "agent").reduce((n, t) => n + t.text.length, 0);
  const meeting = result.actions.findLast((a) => a.type === "book_meeting");
  const callback = result.actions.findLast((a) => a.type === "set_outcome" && a.outcome === "call_back");
  await db.batch([
    db
      .update(callLogs)
      .set({
        status: result.status,
        startedAt: result.startedAt === null ? null : new Date(result.startedAt),
        endedAt: new Date(result.endedAt),
        durationSeconds: seconds,
        // Entries are logged when a line ends; the log reads in the order the lines began.
        transcript: [...result.transcript].sort((a, b) => a.at - b.at),
        outcome: outcomeOf(result),
        costEstimateCents: seconds > 0 ? estimateCostCents(seconds, agentChars, result.turnLatenciesMs.length) : 0,
        metadata: {
          answeredBy: result.answeredBy,
          endReason: result.endReason,
          actions: result.actions,
          turnLatenciesMs: result.turnLatenciesMs,
          media: result.media,
          ...(meeting?.type === "book_meeting" ? { meeting: { at: meeting.at, notes: meeting.notes } } : {}),
          ...(callback?.type === "set_outcome" ? { callbackAt: callback.callbackAt } : {}),
        },
      })
      .where(and(eq(callLogs.id, plan.callId), eq(callLogs.orgId, plan.orgId))),
  ]);
  if (seconds > 0) await incrementUsage(d1, plan.orgId, "voice_seconds", seconds, new Date(result.endedAt)).run();
  if (plan.leadId) {
    const outcome = outcomeOf(result);
    // A meeting or a yes qualifies the lead; a no rejects it; anything else leaves it as it was.
    const status = outcome === "meeting_booked" || outcome === "interested" ? "qualified" : outcome === "not_interested" ? "rejected" : null;
    if (status) await db.update(leads).set({ status, updatedAt: new Date() }).where(and(eq(leads.id, plan.leadId), eq(leads.orgId, plan.orgId)));
    if (result.actions.some((a) => a.type === "do_not_call")) await suppressLead(db, plan.orgId, plan.leadId, "do_not_call", "voice", "asked on a call not to be contacted again");
  }
}
