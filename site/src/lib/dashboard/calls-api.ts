import * as z from "zod/mini";
import { pageOf, request, type Page } from "../api";

/**
 * /api/dashboard/calls: the org's calls and the test call. Statuses, roles and sentiments are read
 * as plain strings so a value the API adds later shows as itself instead of hiding the call;
 * the analysis fields fall back to null when missing.
 */
const orNull = <T>(schema: z.ZodMiniType<T>) => z.catch(z.nullable(schema), null);

const TranscriptLine = z.object({ role: z.string(), text: z.string(), at: z.number() });
export type TranscriptLine = z.infer<typeof TranscriptLine>;

const Call = z.object({
  id: z.string(),
  leadId: orNull(z.string()),
  status: z.string(),
  fromNumber: orNull(z.string()),
  toNumber: orNull(z.string()),
  durationSeconds: orNull(z.number()),
  startedAt: orNull(z.string()),
  endedAt: orNull(z.string()),
  outcome: orNull(z.string()),
  sentiment: orNull(z.string()),
  score: orNull(z.number()),
  summary: orNull(z.string()),
  costEstimateCents: orNull(z.number()),
  transcript: z.catch(z.array(TranscriptLine), []),
  // What the agent agreed on the call, when it booked a meeting or a call-back.
  metadata: z.catch(
    z.object({ meeting: z.optional(z.catch(z.nullable(z.object({ at: z.string() })), null)), callbackAt: z.optional(z.catch(z.nullable(z.string()), null)) }),
    {},
  ),
  createdAt: z.string(),
});
export type Call = z.infer<typeof Call>;

const Placed = z.object({ id: z.string(), status: z.string() });

export interface TestCallInput {
  /** Exactly one of leadId and to. */
  leadId?: string;
  to?: string;
  scriptId?: string;
  voiceConfigId?: string;
  phoneNumberId?: string;
}

export function fetchCalls(limit: number, cursor: string | null): Promise<Page<Call>> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  return request(pageOf(Call), `/api/dashboard/calls?${query}`);
}

export function fetchCall(id: string, signal?: AbortSignal): Promise<Call> {
  return request(Call, `/api/dashboard/calls/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

export function placeTestCall(input: TestCallInput): Promise<{ id: string; status: string }> {
  return request(Placed, "/api/dashboard/calls", { method: "POST", body: JSON.stringify(input) });
}

/** Where a call is, as the test-call panel shows it. Queued means Twilio is dialling: ringing. */
export type CallPhase = "ringing" | "live" | "ended";

export function phaseOf(call: Pick<Call, "status" | "endedAt">): CallPhase {
  if (call.status === "queued") return "ringing";
  if (call.status === "in_progress") return "live";
  // A final status arrives a moment before the session writes the log; the call has ended only then.
  return call.endedAt ? "ended" : "live";
}
