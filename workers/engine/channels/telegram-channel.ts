import { z } from "zod";
import { newId } from "../../db/ids";
import { accountSlots, applyAccountChanges, countSent, orgTelegramAccounts, poolAccountOf, reserveSendSlot } from "../../db/telegram-accounts";
import { accountPenalty, allowanceToday, availability } from "../../domain/telegram/account-pool";
import { openSession } from "../../domain/telegram/session-seal";
import { ProviderError, type EmailWriter } from "../../providers/ports";
import type { TelegramProviders } from "../../providers/telegram-registry";
import type { Db } from "../../context";
import type { ChannelSender, SendContext, SendResult } from "../channel-sender";
import { outreachBrief } from "../outreach-brief";
import { claimSend, commitSent, recordAttempt, replacePayload } from "./outbox";

export interface TelegramChannelConfig {
  db: Db;
  d1: D1Database;
  writer: EmailWriter;
  telegram: TelegramProviders;
  /** The shortest pause between two DMs from one account (the low end of TELEGRAM_GAP_SECONDS). */
  minGapMs: number;
}

/**
 * What the outbox keeps of a prepared DM. `accountId` is set once a send through that account may
 * have gone out: a retry goes through the same account under the same key, so the pool's
 * idempotency answers it instead of a second account messaging the lead again.
 */
const PreparedDm = z.object({ text: z.string().min(1), to: z.string().min(1), accountId: z.string().optional() });

/** A short wait before the runner hands the lead a new account's turn. */
const NEW_TURN_MS = 2_000;

/**
 * Telegram DMs from the org's pool of user accounts: the message is written once and kept in the
 * outbox, the account is the one the pacer gave the turn to, and the pool container sends it. A
 * flood or account error rests that account and hands the lead back for another account's turn;
 * a lead Telegram cannot reach (no such user, privacy settings) falls through to the next channel.
 */
export function createTelegramChannel(config: TelegramChannelConfig): ChannelSender {
  return {
    channel: "telegram",
    async send(ctx: SendContext): Promise<SendResult> {
      const { lead, campaign, org } = ctx;
      const now = ctx.now.getTime();
      if (!lead.telegramUsername) return { ok: false, retryable: false, reason: "no Telegram username" };
      const key = ctx.idempotencyKey;
      const claim = await claimSend(config.db, { idempotencyKey: key, orgId: org.orgId, campaignId: campaign.id, leadId: lead.id, step: ctx.step, channel: "telegram" });
      if (claim.state === "sent") return { ok: true, messageId: claim.messageId ?? "" };
      if (claim.state === "failed") return { ok: false, retryable: false, reason: claim.lastError ?? "failed earlier" };

      const rows = await orgTelegramAccounts(config.db, org.orgId);
      const kept = PreparedDm.safeParse(claim.payload);
      let messageId = claim.messageId;
      let dm = kept.success && messageId ? kept.data : null;
      // A send that may have gone out stays with its account, whatever its state now.
      const accountId = dm?.accountId ?? ctx.telegramAccountId;
      const row = rows.find((r) => r.id === accountId);
      if (dm?.accountId && !row?.sessionCiphertext) {
        // Whether it went out is unknown, and only that account's pool client could tell: sending it
        // from another account risks a second DM, so Telegram gives this step up.
        const reason = "the account this DM may already have gone out from was removed or logged out";
        await recordAttempt(config.db, key, reason, true);
        return { ok: false, retryable: false, reason };
      }
      if (!dm?.accountId) {
        if (accountSlots(rows, now).length === 0) {
          await recordAttempt(config.db, key, "no Telegram account of the org can send", true);
          return { ok: false, retryable: false, reason: "no Telegram account can send (none logged in, or all banned or disabled)" };
        }
        if (!row || availability(poolAccountOf(row), now).kind !== "ready") return { ok: false, deferUntil: now + NEW_TURN_MS, reason: "waiting for a Telegram account's turn" };
        // The pacer spaced the turns, but the queue may hand two of them over in one batch. A turn
        // delivered a little late shortens the gap to the next by as much: 10% of it is tolerated.
        const guardMs = config.minGapMs * 0.9;
        if (!(await reserveSendSlot(config.d1, row.id, now, guardMs, allowanceToday(poolAccountOf(row), now)))) {
          return { ok: false, deferUntil: Math.max(now + 1_000, (row.lastSentAt?.getTime() ?? now) + guardMs), reason: "the account sent a moment ago; waiting out its pause" };
        }
      }
      if (!row?.sessionCiphertext) return { ok: false, deferUntil: now + NEW_TURN_MS, reason: "waiting for a Telegram account's turn" };

      if (!dm || !messageId) {
        messageId = newId("message");
        const draft = await config.writer.write(outreachBrief(ctx, org.orgName, "telegram"));
        dm = { text: draft.text, to: lead.telegramUsername };
      }
      dm = { ...dm, accountId: row.id };
      await replacePayload(config.db, key, dm, messageId);

      const session = await openSession(row.sessionCiphertext, row.id, config.telegram.sessionKey);
      let result;
      try {
        result = await config.telegram.pool.send({ accountId: row.id, session, to: { username: dm.to }, text: dm.text, idempotencyKey: key });
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        await recordAttempt(config.db, key, error.message, false);
        return { ok: false, retryable: true, reason: error.message };
      }

      const account = poolAccountOf(row);
      switch (result.outcome) {
        case "sent":
          await commitSent(config.d1, {
            key,
            orgId: org.orgId,
            metric: "telegram_messages",
            now: ctx.now,
            providerMessageId: String(result.messageId),
            message: { id: messageId, leadId: lead.id, campaignId: campaign.id, channel: "telegram", subject: null, content: dm.text, metadata: { to: dm.to, accountId: row.id, peerUserId: result.peer.userId, step: ctx.step } },
            alsoIfNew: [countSent(config.d1, row.id, now, allowanceToday(account, now) >= account.dailyLimit)],
          });
          return { ok: true, messageId };
        case "user_not_found":
        case "privacy_restricted": {
          const reason = result.outcome === "user_not_found" ? `no Telegram user @${dm.to}` : `@${dm.to} accepts messages only from contacts`;
          await recordAttempt(config.db, key, reason, true);
          return { ok: false, retryable: false, reason };
        }
        default: {
          // Not sent: the account rests (or stops), and the lead waits for another account's turn.
          const changes = accountPenalty(account, result, now)!;
          await applyAccountChanges(config.db, org.orgId, row.id, changes);
          await replacePayload(config.db, key, { text: dm.text, to: dm.to }, messageId);
          await recordAttempt(config.db, key, changes.lastError, false);
          return { ok: false, deferUntil: now + NEW_TURN_MS, reason: changes.lastError };
        }
      }
    },
  };
}
