export { composeOutboundEmail, type ComposeEmailInput } from "./compose-email";
export { buildEmailPrompt, LANGUAGE_NAMES, type EmailPrompt } from "./email-prompt";
export { fallbackDraft } from "./fallback-draft";
export { DRAFT_JSON_SCHEMA, readModelDraft, type ModelDraft } from "./model-draft";
export { escapeHtml, renderEmailHtml, type RenderHtmlInput } from "./render-html";
export {
  parseReplyAddress,
  replyAddress,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
  type ReplySubject,
  type UnsubscribeSubject,
} from "./signed-tokens";
export { footerFor, listUnsubscribeHeaders, type EmailLanguage } from "./unsubscribe-footer";
export { senderDomain } from "./sender-domain";
