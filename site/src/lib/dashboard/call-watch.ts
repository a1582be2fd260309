import { ApiError } from "../api";
import { fetchCall, phaseOf, type Call } from "./calls-api";
import { pause } from "./dom";

export interface WatchOptions {
  signal?: AbortSignal;
  /** Between polls. A second keeps "ringing → in progress" prompt without hammering the API. */
  intervalMs?: number;
  /** After the call ends, how long to wait for the post-call analysis (summary, sentiment, score). */
  analysisWaitMs?: number;
  /** Give up watching a call that has not ended by then (Twilio's own cap is 4 hours). */
  timeoutMs?: number;
  /** Polls that may fail in a row (a blip on the network) before the watch gives up. */
  maxFailures?: number;
  fetch?: (id: string, signal?: AbortSignal) => Promise<Call>;
}

export class WatchStopped extends Error {
  constructor(readonly lastSeen: Call | null) {
    super("The call was still going when we stopped watching it.");
    this.name = "WatchStopped";
  }
}

const done = (call: Call, endedAt: number | null, now: number, analysisWaitMs: number) =>
  phaseOf(call) === "ended" && (call.summary !== null || (endedAt !== null && now - endedAt >= analysisWaitMs));

/**
 * Polls GET /calls/{id} until the call has ended and its analysis is in (or was waited for),
 * reporting every answer to `onUpdate`. Resolves with the last answer, or null when aborted.
 */
export async function watchCall(id: string, onUpdate: (call: Call) => void, options: WatchOptions = {}): Promise<Call | null> {
  const { signal, intervalMs = 1000, analysisWaitMs = 20_000, timeoutMs = 30 * 60_000, maxFailures = 5, fetch = fetchCall } = options;
  const started = Date.now();
  let failures = 0;
  let last: Call | null = null;
  let endedAt: number | null = null;
  while (!signal?.aborted) {
    try {
      last = await fetch(id, signal);
      failures = 0;
      onUpdate(last);
      if (phaseOf(last) === "ended") endedAt ??= Date.now();
      if (done(last, endedAt, Date.now(), analysisWaitMs)) return last;
    } catch (error) {
      if (signal?.aborted) break;
      // A call that is gone, or a session that ended, will not come back by asking again.
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) throw error;
      if (++failures >= maxFailures) throw error;
    }
    if (Date.now() - started > timeoutMs) throw new WatchStopped(last);
    await pause(intervalMs, signal);
  }
  return null;
}
