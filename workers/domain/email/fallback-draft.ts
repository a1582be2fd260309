import type { EmailBrief, EmailDraft, EmailKind } from "../../providers/ports";

interface Context {
  company: string | null;
  senderName: string;
  senderCompany: string;
}

interface Phrases {
  greeting(firstName: string | null): string;
  initialSubject(company: string | null): string;
  subjects: Record<Exclude<EmailKind, "initial" | "reply">, string>;
  body: Record<EmailKind, (ctx: Context) => string>;
  signOff: string;
}

/**
 * Written for people, in each language, without the script: a template only ever says who writes
 * and why, so nothing from the prompt (script, handlers, instructions) can reach the lead through it.
 */
const PHRASES: Record<Exclude<EmailBrief["language"], "uk-en">, Phrases> = {
  en: {
    greeting: (name) => (name ? `Hi ${name},` : "Hello,"),
    initialSubject: (company) => `A quick idea for ${company ?? "you"}`,
    subjects: { followup: "Following up", final: "One last note" },
    body: {
      initial: (c) =>
        `I'm ${c.senderName} from ${c.senderCompany}. I'm writing because I think we could help ${c.company ?? "your team"}.\n\nWould you have 15 minutes this week for a short call?`,
      followup: () => "I wanted to follow up on my previous email. If now is not a good time, just let me know when would suit you better.",
      final: () => "This is my last note on the subject. If it becomes relevant later, simply reply to this email.",
      reply: () => "Thank you for your reply! I will get back to you shortly with the details.",
    },
    signOff: "Best regards,",
  },
  uk: {
    greeting: (name) => (name ? `Вітаю, ${name}!` : "Вітаю!"),
    initialSubject: (company) => `Коротка ідея для ${company ?? "вас"}`,
    subjects: { followup: "Нагадування", final: "Останній лист" },
    body: {
      initial: (c) =>
        `Мене звати ${c.senderName}, я з компанії ${c.senderCompany}. Пишу, бо вважаю, що ми можемо бути корисними для ${c.company ?? "вашої команди"}.\n\nЧи знайдете 15 хвилин для короткої розмови цього тижня?`,
      followup: () => "Нагадую про свій попередній лист. Якщо зараз не на часі, просто напишіть, коли буде зручніше.",
      final: () => "Це мій останній лист на цю тему. Якщо питання стане актуальним, просто дайте відповідь на цей лист.",
      reply: () => "Дякую за відповідь! Незабаром повернуся з деталями.",
    },
    signOff: "З повагою,",
  },
  de: {
    greeting: (name) => (name ? `Hallo ${name},` : "Guten Tag,"),
    initialSubject: (company) => `Eine kurze Idee für ${company ?? "Sie"}`,
    subjects: { followup: "Kurze Nachfrage", final: "Eine letzte Nachricht" },
    body: {
      initial: (c) =>
        `mein Name ist ${c.senderName} von ${c.senderCompany}. Ich schreibe Ihnen, weil wir ${c.company ?? "Ihrem Team"} meiner Meinung nach helfen können.\n\nHätten Sie diese Woche 15 Minuten für ein kurzes Gespräch?`,
      followup: () => "ich wollte kurz an meine letzte E-Mail erinnern. Wenn es gerade nicht passt, sagen Sie mir einfach, wann es besser wäre.",
      final: () => "dies ist meine letzte Nachricht zu diesem Thema. Wenn es später relevant wird, antworten Sie einfach auf diese E-Mail.",
      reply: () => "vielen Dank für Ihre Antwort! Ich melde mich in Kürze mit den Details.",
    },
    signOff: "Viele Grüße",
  },
  pl: {
    greeting: (name) => (name ? `Dzień dobry, ${name}!` : "Dzień dobry,"),
    initialSubject: (company) => `Krótki pomysł dla ${company ?? "Państwa"}`,
    subjects: { followup: "Przypomnienie", final: "Ostatnia wiadomość" },
    body: {
      initial: (c) =>
        `Nazywam się ${c.senderName} i reprezentuję ${c.senderCompany}. Piszę, ponieważ uważam, że możemy pomóc ${c.company ?? "Państwa zespołowi"}.\n\nCzy znajdą Państwo 15 minut na krótką rozmowę w tym tygodniu?`,
      followup: () => "Uprzejmie przypominam o mojej poprzedniej wiadomości. Jeśli to nie jest dobry moment, proszę dać znać, kiedy będzie wygodniej.",
      final: () => "To moja ostatnia wiadomość w tej sprawie. Jeśli temat stanie się aktualny, wystarczy odpowiedzieć na tego maila.",
      reply: () => "Dziękuję za odpowiedź! Wkrótce wrócę ze szczegółami.",
    },
    signOff: "Z poważaniem,",
  },
  fr: {
    greeting: (name) => (name ? `Bonjour ${name},` : "Bonjour,"),
    initialSubject: (company) => `Une idée rapide pour ${company ?? "vous"}`,
    subjects: { followup: "Petit suivi", final: "Un dernier message" },
    body: {
      initial: (c) =>
        `Je m'appelle ${c.senderName}, de ${c.senderCompany}. Je vous écris car je pense que nous pouvons aider ${c.company ?? "votre équipe"}.\n\nAuriez-vous 15 minutes cette semaine pour un court échange ?`,
      followup: () => "Je me permets de revenir vers vous au sujet de mon précédent message. Si le moment n'est pas idéal, dites-moi simplement quand vous seriez disponible.",
      final: () => "Ceci est mon dernier message à ce sujet. S'il devient pertinent plus tard, il vous suffit de répondre à cet e-mail.",
      reply: () => "Merci pour votre réponse ! Je reviens vers vous très vite avec les détails.",
    },
    signOff: "Cordialement,",
  },
  es: {
    greeting: (name) => (name ? `Hola ${name},` : "Hola,"),
    initialSubject: (company) => `Una idea rápida para ${company ?? "usted"}`,
    subjects: { followup: "Seguimiento", final: "Un último mensaje" },
    body: {
      initial: (c) =>
        `Me llamo ${c.senderName} y trabajo en ${c.senderCompany}. Le escribo porque creo que podemos ayudar a ${c.company ?? "su equipo"}.\n\n¿Tendría 15 minutos esta semana para una breve llamada?`,
      followup: () => "Le escribo para dar seguimiento a mi mensaje anterior. Si ahora no es buen momento, indíqueme cuándo le vendría mejor.",
      final: () => "Este es mi último mensaje sobre el tema. Si más adelante le resulta relevante, basta con responder a este correo.",
      reply: () => "¡Gracias por su respuesta! Le escribiré en breve con los detalles.",
    },
    signOff: "Saludos cordiales,",
  },
};

/** The email we send when the model fails or writes something we will not send. */
export function fallbackDraft(brief: EmailBrief): EmailDraft {
  const phrases = PHRASES[brief.language === "uk-en" ? "uk" : brief.language];
  const firstName = present(brief.lead.firstName);
  const context: Context = {
    company: present(brief.lead.company),
    senderName: brief.sender.name.trim(),
    senderCompany: brief.sender.company.trim(),
  };
  // A chat message carries no signature block: the sender's name is on the account itself.
  const signature = brief.medium === "telegram" ? [] : [`${phrases.signOff}\n${context.senderName}\n${context.senderCompany}`];
  const text = [phrases.greeting(firstName), phrases.body[brief.kind](context), ...signature].join("\n\n");
  return { subject: subjectFor(brief, phrases, context.company), text, source: "fallback" };
}

function subjectFor(brief: EmailBrief, phrases: Phrases, company: string | null): string {
  if (brief.kind === "initial") return phrases.initialSubject(company);
  // Replies and follow-ups stay in the thread the lead already has.
  const earlier = [...(brief.thread ?? [])].reverse().find((message) => message.subject)?.subject;
  if (earlier) return `Re: ${earlier.replace(/^(re:\s*)+/i, "")}`;
  return brief.kind === "reply" ? phrases.initialSubject(company) : phrases.subjects[brief.kind];
}

function present(value: string | null): string | null {
  const trimmed = value?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed.slice(0, 80) : null;
}
