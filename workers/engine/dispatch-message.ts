import { z } from "zod";

/** One lead's turn at one step of a campaign, as the runner enqueues it on DISPATCH. */
export const DispatchMessage = z.object({
  campaignId: z.string().min(1),
  orgId: z.string().min(1),
  leadId: z.string().min(1),
  step: z.number().int().min(0),
  /** The Telegram account the pacer gave this send's turn to, when its first channel is Telegram. */
  telegramAccountId: z.string().min(1).optional(),
});
export type DispatchMessage = z.infer<typeof DispatchMessage>;

/** How a lead's turn ended, reported by the consumer to the campaign's runner. */
export type LeadOutcome =
  /** Contacted on some channel; `final` is false when a follow-up step is still to come. */
  | { kind: "succeeded"; final: boolean; channel: string }
  | { kind: "failed"; reason: string }
  | { kind: "skipped"; reason: string }
  /** Not now (quiet hours, touch cap, follow-up delay): the runner takes it up again at `at`. */
  | { kind: "deferred"; at: number; reason: string };

export interface OutcomeReport {
  leadId: string;
  step: number;
  outcome: LeadOutcome;
}

/** After a connected call ends, the CallSession asks for its review (sentiment, score, summary). */
export const AnalyzeCallMessage = z.object({ kind: z.literal("analyze-call"), callId: z.string().min(1), orgId: z.string().min(1) });
export type AnalyzeCallMessage = z.infer<typeof AnalyzeCallMessage>;
