import type { EmailBrief } from "../providers/ports";
import type { SendContext } from "./channel-sender";

/** What the writer gets for one campaign step, whether the text goes out as an email or a Telegram DM. */
export function outreachBrief(ctx: SendContext, senderName: string, medium: NonNullable<EmailBrief["medium"]>): EmailBrief {
  return {
    kind: ctx.step === 0 ? "initial" : ctx.step + 1 >= ctx.campaign.steps.length ? "final" : "followup",
    medium,
    language: ctx.voice?.language ?? "en",
    personality: ctx.voice?.personality ?? "professional",
    script: ctx.script ? { name: ctx.script.name, content: ctx.script.content, objectionHandlers: ctx.script.objectionHandlers } : null,
    lead: { firstName: ctx.lead.firstName, lastName: ctx.lead.lastName, company: ctx.lead.company },
    sender: { name: senderName, company: ctx.org.orgName },
  };
}
