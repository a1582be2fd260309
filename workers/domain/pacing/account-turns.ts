import { humanGapMs, type Rng } from "./jitter";

/** One account as the runner sees it in D1 right now. */
export interface AccountSlot {
  id: string;
  /** When it may send at the earliest (now, or the end of its cooldown). */
  readyAt: number;
  /** DMs it may still send today by D1's count. */
  left: number;
  sentToday: number;
}

export interface AccountTurns {
  /** One account id per granted send, in order. */
  assignments: string[];
  /** When the next turn frees up, if not everything wanted was granted; null when no account has any left today. */
  retryAt: number | null;
  /** Each account's next free instant, for the accounts that took a turn. */
  nextAt: Record<string, number>;
}

/**
 * Hands out sends to a pool of Telegram accounts the way a person would make them: after each DM
 * an account waits a random human gap (the seed's 30–90 s, drawn per turn so no two accounts
 * settle into one rhythm), the account with the fewest sends today goes first, and none goes past
 * what it has left today. Daily counts come from D1; the send itself checks them again.
 */
export function takeAccountTurns(input: {
  wanted: number;
  now: number;
  accounts: readonly AccountSlot[];
  /** Each account's next free instant from earlier turns. */
  nextAt: Readonly<Record<string, number | undefined>>;
  gap: { minSeconds: number; maxSeconds: number };
  rng: Rng;
}): AccountTurns {
  const taken = new Map<string, number>();
  const nextAt: Record<string, number> = {};
  const freeAt = (a: AccountSlot) => Math.max(a.readyAt, nextAt[a.id] ?? input.nextAt[a.id] ?? 0);
  const left = (a: AccountSlot) => a.left - (taken.get(a.id) ?? 0);
  const assignments: string[] = [];
  while (assignments.length < input.wanted) {
    const ready = input.accounts.filter((a) => left(a) > 0 && freeAt(a) <= input.now);
    if (ready.length === 0) break;
    const used = (a: AccountSlot) => a.sentToday + (taken.get(a.id) ?? 0);
    const pick = ready.reduce((best, a) => (used(a) < used(best) ? a : best));
    taken.set(pick.id, (taken.get(pick.id) ?? 0) + 1);
    nextAt[pick.id] = input.now + Math.max(1, humanGapMs(input.gap, input.rng));
    assignments.push(pick.id);
  }
  const waiting = input.accounts.filter((a) => left(a) > 0).map(freeAt);
  const retryAt = assignments.length < input.wanted && waiting.length > 0 ? Math.min(...waiting) : null;
  return { assignments, retryAt, nextAt };
}
