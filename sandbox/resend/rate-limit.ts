import type { MiddlewareHandler } from "hono";
import { resendError } from "./errors";

/**
 * Resend's per-team rate limit (2 requests a second by default): a request that would make more
 * than `perSecond` within the last second is refused with 429, `rate_limit_exceeded`, and the
 * `ratelimit-*` and `retry-after` headers Resend sends (https://resend.com/docs/api-reference/rate-limit).
 * Off until set, so tests can send as fast as they like; a benchmark turns it on to prove pacing.
 */
export class TeamRateLimit {
  perSecond: number | null = null;
  refused = 0;
  #recent: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (this.perSecond === null) return next();
      const now = this.now();
      this.#recent = this.#recent.filter((t) => now - t < 1000);
      if (this.#recent.length >= this.perSecond) {
        this.refused += 1;
        const resetSeconds = Math.max(1, Math.ceil((this.#recent[0]! + 1000 - now) / 1000));
        return resendError(429, "rate_limit_exceeded", `Too many requests. You can only make ${this.perSecond} requests per second.`, {
          "ratelimit-limit": String(this.perSecond),
          "ratelimit-remaining": "0",
          "ratelimit-reset": String(resetSeconds),
          "retry-after": String(resetSeconds),
        });
      }
      this.#recent.push(now);
      return next();
    };
  }
}
