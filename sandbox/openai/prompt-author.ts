import { textOf, type ChatRequest } from "./chat-request";

/**
 * A deterministic "model": it writes from what the prompt says, so a test can assert that the
 * email greets the lead and speaks of their company, in Ukrainian or English. It reads the
 * labelled facts Noir's email prompt carries (`- First name: …`, `Language: uk`, the quoted
 * script) and falls back to a plain acknowledgement for any other conversation.
 */
interface Facts {
  firstName: string | null;
  company: string | null;
  senderName: string | null;
  senderCompany: string | null;
  language: "uk" | "en";
  /** The script's first sentence: what the "model" pitches. */
  pitch: string | null;
  /** The prompt asks for a Telegram direct message rather than an email. */
  chat: boolean;
}

export interface Written {
  subject: string;
  body: string;
}

export function readFacts(request: ChatRequest): Facts | null {
  const all = request.messages.map(textOf).join("\n");
  const lead = section(all, "Lead");
  const sender = section(all, "Sender");
  if (lead === null && sender === null) return null;
  const language = /^Language:\s*([a-z-]+)/m.exec(all)?.[1] ?? (/[\u0400-\u04ff]/.test(all) ? "uk" : "en");
  const scriptLines = /^Script\b.*\n((?:> .*(?:\n|$))+)/m.exec(all)?.[1] ?? "";
  const script = scriptLines.replace(/^> /gm, "").replace(/\s+/g, " ").trim();
  const pitch = /^(.{1,200}?[.!?])(\s|$)/.exec(script)?.[1] ?? (script ? script.slice(0, 200) : null);
  return {
    firstName: value(lead, "First name"),
    company: value(lead, "Company"),
    senderName: value(sender, "Name"),
    senderCompany: value(sender, "Company"),
    language: language.startsWith("uk") ? "uk" : "en",
    pitch,
    chat: /Telegram direct message/.test(all),
  };
}

export function writeEmail(facts: Facts): Written {
  if (facts.chat) return writeChatMessage(facts);
  const from = [facts.senderName, facts.senderCompany].filter(Boolean).join("\n");
  if (facts.language === "uk") {
    return {
      subject: facts.company ? `Ідея для ${facts.company}` : "Коротка ідея",
      body: [
        facts.firstName ? `Вітаю, ${facts.firstName}!` : "Вітаю!",
        facts.pitch ?? `Пишу вам від ${facts.senderCompany ?? "нашої команди"}.`,
        `Чи знайдете 15 хвилин цього тижня, щоб обговорити, як це може працювати для ${facts.company ?? "вашої команди"}?`,
        `З повагою,\n${from}`,
      ].join("\n\n"),
    };
  }
  return {
    subject: facts.company ? `An idea for ${facts.company}` : "A quick idea",
    body: [
      facts.firstName ? `Hi ${facts.firstName},` : "Hello,",
      facts.pitch ?? `I'm reaching out from ${facts.senderCompany ?? "our team"}.`,
      `Would you have 15 minutes this week to talk about how this could work for ${facts.company ?? "your team"}?`,
      `Best regards,\n${from}`,
    ].join("\n\n"),
  };
}

/** A DM as a person writes one: who, why, one question; no signature block (the subject is asked for, and unused). */
function writeChatMessage(facts: Facts): Written {
  const who = [facts.senderName, facts.senderCompany].filter(Boolean).join(" from ");
  if (facts.language === "uk") {
    return {
      subject: "Вітаю",
      body: `${facts.firstName ? `Вітаю, ${facts.firstName}!` : "Вітаю!"} Це ${who || "наша команда"}. ${facts.pitch ?? ""} Чи є 15 хвилин цього тижня поговорити про ${facts.company ?? "вашу команду"}?`.replace(/\s+/g, " "),
    };
  }
  return {
    subject: "Hello",
    body: `${facts.firstName ? `Hi ${facts.firstName}!` : "Hi!"} It's ${who || "our team"}. ${facts.pitch ?? ""} Would you have 15 minutes this week to talk about ${facts.company ?? "your team"}?`.replace(/\s+/g, " "),
  };
}

/** For conversations without email facts (a call's turns): a short answer that quotes the user. */
export function writeReply(request: ChatRequest): string {
  const last = [...request.messages].reverse().find((message) => message.role === "user");
  const said = last ? textOf(last).replace(/\s+/g, " ").trim().slice(0, 120) : "";
  return said ? `Thank you. You said: "${said}". Could you tell me a little more?` : "Hello! How can I help you today?";
}

/**
 * Fills the requested JSON schema's properties: subject-like keys get the subject, text-like keys
 * the body, so any `{subject, body}`-shaped schema gets a valid answer.
 */
export function fillSchema(schema: Record<string, unknown> | undefined, written: Written): Record<string, unknown> {
  const properties = schema?.properties;
  if (typeof properties !== "object" || properties === null) return { subject: written.subject, body: written.body };
  const out: Record<string, unknown> = {};
  for (const [key, definition] of Object.entries(properties)) {
    const type = typeof definition === "object" && definition !== null && "type" in definition ? definition.type : "string";
    if (type === "string") out[key] = /subject|title/i.test(key) ? written.subject : written.body;
    else if (type === "number" || type === "integer") out[key] = 0;
    else if (type === "boolean") out[key] = false;
    else if (type === "array") out[key] = [];
    else out[key] = {};
  }
  return out;
}

/** The `- Key: value` lines under a heading line, up to the next blank line. */
function section(text: string, heading: string): string | null {
  return new RegExp(`^${heading}\\n((?:- .*(?:\\n|$))+)`, "m").exec(text)?.[1] ?? null;
}

function value(block: string | null, key: string): string | null {
  const found = block === null ? undefined : new RegExp(`^- ${key}:\\s*(.*)$`, "m").exec(block)?.[1]?.trim();
  return found && found !== "(unknown)" ? found : null;
}
