import type { EmailBrief } from "../../providers/ports";

export type EmailLanguage = EmailBrief["language"];

/** The footer line every email carries, in the email's language (uk-en reads Ukrainian first). */
const FOOTER: Record<EmailLanguage, { note: string; unsubscribe: string }> = {
  en: { note: "Not interested? You will not hear from us again:", unsubscribe: "Unsubscribe" },
  uk: { note: "Не цікаво? Ми більше не писатимемо:", unsubscribe: "Відписатися" },
  "uk-en": { note: "Не цікаво? / Not interested?", unsubscribe: "Відписатися / Unsubscribe" },
  de: { note: "Kein Interesse? Sie hören nicht wieder von uns:", unsubscribe: "Abmelden" },
  pl: { note: "Nie jesteś zainteresowany? Nie napiszemy ponownie:", unsubscribe: "Wypisz się" },
  fr: { note: "Pas intéressé ? Nous ne vous écrirons plus :", unsubscribe: "Se désabonner" },
  es: { note: "¿No le interesa? No volveremos a escribirle:", unsubscribe: "Darse de baja" },
};

export function footerFor(language: EmailLanguage): { note: string; unsubscribe: string } {
  return FOOTER[language];
}

/**
 * RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders: the HTTPS link
 * receives a POST with `List-Unsubscribe=One-Click`; the mailto is for clients that only do mail.
 */
export function listUnsubscribeHeaders(link: { url: string; mailto?: string }): Record<string, string> {
  requireWebUrl(link.url);
  const targets = [`<${link.url}>`];
  if (link.mailto !== undefined) {
    if (!/^mailto:[^\s<>,]+$/.test(link.mailto)) throw new TypeError(`Invalid unsubscribe mailto "${link.mailto}"`);
    targets.push(`<${link.mailto}>`);
  }
  return {
    "List-Unsubscribe": targets.join(", "),
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/** Only http(s): a `javascript:` or header-breaking URL must never reach an href or a header. */
export function requireWebUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid unsubscribe URL "${url}"`);
  }
  if ((parsed.protocol !== "https:" && parsed.protocol !== "http:") || /[\s<>"]/.test(url)) {
    throw new TypeError(`Invalid unsubscribe URL "${url}"`);
  }
}
