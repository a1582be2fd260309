/**
 * Resend's `Idempotency-Key` (POST /emails and /emails/batch): within 24 hours the same key with
 * the same request gets the first answer again and sends nothing; the same key with a different
 * request is refused with 409 `invalid_idempotent_request`. Only successful sends are remembered,
 * so a request fixed after a validation error can reuse its key.
 * https://resend.com/docs/dashboard/emails/idempotency-keys
 */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Lookup = { kind: "new" } | { kind: "replay"; answer: StoredAnswer } | { kind: "conflict" };

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 256;

export function validKey(key: string): boolean {
  return key.length >= 1 && key.length <= MAX_KEY_LENGTH;
}

export class IdempotencyCache {
  readonly #entries = new Map<string, { fingerprint: string; answer: StoredAnswer; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** `fingerprint` is the endpoint plus the request body, so a key cannot cross endpoints either. */
  lookup(key: string, fingerprint: string): Lookup {
    const entry = this.#entries.get(key);
    if (!entry || this.#now() - entry.at > WINDOW_MS) return { kind: "new" };
    return entry.fingerprint === fingerprint ? { kind: "replay", answer: entry.answer } : { kind: "conflict" };
  }

  remember(key: string, fingerprint: string, answer: StoredAnswer): void {
    this.#entries.set(key, { fingerprint, answer, at: this.#now() });
  }
}
