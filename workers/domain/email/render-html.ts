import { footerFor, requireWebUrl, type EmailLanguage } from "./unsubscribe-footer";

export interface RenderHtmlInput {
  /** The plain-text body as written (by the model or the template): untrusted, escaped entirely. */
  text: string;
  language: EmailLanguage;
  unsubscribeUrl: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * The HTML part from the text body: blank lines make paragraphs, single newlines `<br>`, and the
 * footer carries the unsubscribe link. No markup from the text survives: a model (or a lead's
 * company name inside it) cannot inject a tag, a link or a tracking pixel.
 */
export function renderEmailHtml({ text, language, unsubscribeUrl }: RenderHtmlInput): string {
  requireWebUrl(unsubscribeUrl);
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "")
    .map((paragraph) => `<p style="margin:0 0 16px">${paragraph.split("\n").map(escapeHtml).join("<br>")}</p>`);
  const footer = footerFor(language);
  return [
    "<!doctype html>",
    `<html lang="${language === "uk-en" ? "uk" : language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
    '<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">',
    ...paragraphs,
    '<hr style="border:none;border-top:1px solid #e5e5e5;margin:24px 0 12px">',
    `<p style="margin:0;font-size:12px;color:#777">${escapeHtml(footer.note)} ` +
      `<a href="${escapeHtml(unsubscribeUrl)}" style="color:#777">${escapeHtml(footer.unsubscribe)}</a></p>`,
    "</body>",
    "</html>",
  ].join("\n");
}
