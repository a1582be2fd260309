import type { LeadOutcome } from "../../workers/engine/dispatch-message";

export type RunStatus = "active" | "paused" | "completed" | "cancelled";

export interface RunCounts {
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/** What the runner keeps in its storage: everything it needs after an eviction. */
export interface RunState {
  campaignId: string;
  orgId: string;
  status: RunStatus;
  pausedReason: string | null;
  counts: RunCounts;
  startedAt: number;
  completedAt: number | null;
}

export function newRun(campaignId: string, orgId: string, total: number, now: number): RunState {
  return { campaignId, orgId, status: "active", pausedReason: null, counts: { total, processed: 0, succeeded: 0, failed: 0, skipped: 0 }, startedAt: now, completedAt: null };
}

/** Counts a lead's final outcome once; repeated reports of a settled lead change nothing. */
export function countOutcome(counts: RunCounts, outcome: LeadOutcome, alreadySettled: boolean): { counts: RunCounts; settles: boolean } {
  const final = outcome.kind === "failed" || outcome.kind === "skipped" || (outcome.kind === "succeeded" && outcome.final);
  if (!final || alreadySettled) return { counts, settles: false };
  const key = outcome.kind;
  return { counts: { ...counts, processed: counts.processed + 1, [key]: counts[key] + 1 }, settles: true };
}

const TRANSITIONS: Record<string, RunStatus[]> = {
  pause: ["active"],
  resume: ["paused"],
  cancel: ["active", "paused"],
  complete: ["active"],
};

export function transition(state: RunState, event: "pause" | "resume" | "cancel" | "complete", now: number, reason: string | null = null): RunState | null {
  if (!TRANSITIONS[event]!.includes(state.status)) return null;
  switch (event) {
    case "pause":
      return { ...state, status: "paused", pausedReason: reason };
    case "resume":
      return { ...state, status: "active", pausedReason: null };
    case "cancel":
      return { ...state, status: "cancelled", completedAt: now };
    case "complete":
      return { ...state, status: "completed", completedAt: now };
  }
}
