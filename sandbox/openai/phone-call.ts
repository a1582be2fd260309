import { textOf, toolNames, type ChatRequest } from "./chat-request";
import {
  hasPhrase, holdsBack, LINES, mentionsMeeting, namedTime, normalize, resolveMoment, saysCallBack, saysDoNotCall, saysGoodbye,
  saysNotInterested, saysYes, type Lang,
} from "./phone-words";

/**
 * The stand-in as a voice agent. A request is a phone turn when it offers a function tool named
 * `end_call`: a call agent must be able to hang up, and no other use of the API offers that tool.
 * It answers the callee's last words from the system prompt's script and objection handlers, and
 * calls the conventional tools (`end_call`, `set_outcome`, `book_meeting`, `do_not_call`) that
 * the request offers. Rules, in order, are listed in README.md.
 */
export function isPhoneTurn(request: ChatRequest): boolean {
  return toolNames(request).has("end_call");
}

export interface PlannedCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface PhoneTurn {
  text: string;
  calls: PlannedCall[];
}

interface CallPrompt {
  /** null: answer in the callee's language (uk for Cyrillic, else en). */
  lang: Lang | null;
  agent: string | null;
  org: string | null;
  callee: string | null;
  script: string[];
  handlers: { triggers: string[]; response: string }[];
  /** From a `Now: <ISO 8601>` line, so a test can pin "tomorrow"; else the stand-in's clock. */
  now: { ms: number; offsetMinutes: number } | null;
}

export function phoneTurn(request: ChatRequest, clockMs: number): PhoneTurn {
  const offered = toolNames(request);
  const system = request.messages.filter((m) => m.role === "system" || m.role === "developer").map(textOf).join("\n");
  const prompt = readCallPrompt(system);
  const history = request.messages.filter((m) => m.role !== "system" && m.role !== "developer");
  const lastUser = history.findLast((m) => m.role === "user");
  const heardRaw = lastUser ? textOf(lastUser).replace(/\s+/g, " ").trim() : "";
  const heard = normalize(heardRaw);
  const said = history.filter((m) => m.role === "assistant").map((m) => normalize(textOf(m))).filter(Boolean);
  const lang = prompt.lang ?? (/[\u0400-\u04ff]/.test(heardRaw) ? "uk" : "en");
  const lines = LINES[lang];

  const calls: PlannedCall[] = [];
  const use = (name: string, args: Record<string, unknown>) => {
    if (offered.has(name)) calls.push({ name, arguments: args });
  };
  const hangUp = (text: string, reason: string): PhoneTurn => {
    use("end_call", { reason });
    return { text, calls };
  };

  // Someone ran the tools and asked again: after a hang-up there is nothing to say.
  const last = history.at(-1);
  if (last?.role === "tool") {
    const asked = history.findLast((m) => m.role === "assistant");
    const hungUp = asked?.tool_calls?.some((call) => call.function.name === "end_call") ?? false;
    return { text: hungUp ? "" : lines.afterTools, calls };
  }

  if (saysDoNotCall(heard)) {
    use("do_not_call", {});
    return hangUp(lines.doNotCall, "the callee asked not to be called again");
  }
  if (saysGoodbye(heard)) {
    if (!saysNotInterested(heard)) return hangUp(lines.goodbye, "the callee said goodbye");
    use("set_outcome", { outcome: "not_interested" });
    return hangUp(lines.notInterested, "not interested");
  }
  if (said.length === 0) {
    return { text: [lines.opener(prompt.callee, prompt.agent, prompt.org), prompt.script[0], lines.minute].filter(Boolean).join(" "), calls };
  }

  const now = prompt.now ?? { ms: clockMs, offsetMinutes: 0 };
  const weekday = new Date(now.ms + now.offsetMinutes * 60_000).getUTCDay();
  const named = namedTime(heard, weekday);
  const lastSaid = said.at(-1) ?? "";
  const askedToMeet = mentionsMeeting(lastSaid) && lastSaid.includes("?");
  const timeNamed = named.daysAhead !== null || named.hour !== null;
  if (!holdsBack(heard) && (saysYes(heard) || timeNamed) && (mentionsMeeting(heard) || askedToMeet)) {
    // What we proposed in the meeting ask, unless they named something else.
    const moment = resolveMoment(named, now.ms, now.offsetMinutes, { daysAhead: 1, hour: 10 });
    if (moment) {
      use("book_meeting", { at: moment.iso, notes: heardRaw });
      use("set_outcome", { outcome: "interested" });
      return hangUp(lines.booked(moment.spoken[lang]), "meeting booked");
    }
  }

  for (const handler of prompt.handlers) {
    const answered = said.some((s) => s.includes(normalize(handler.response)));
    if (!answered && handler.triggers.some((trigger) => hasPhrase(heard, trigger))) return { text: handler.response, calls };
  }

  if (saysCallBack(heard)) {
    const moment = resolveMoment(named, now.ms, now.offsetMinutes, null);
    use("set_outcome", { outcome: "call_back", ...(moment ? { callbackAt: moment.iso } : {}) });
    return hangUp(lines.callBack(moment?.spoken[lang] ?? null), "call back later");
  }
  if (saysNotInterested(heard)) {
    use("set_outcome", { outcome: "not_interested" });
    return hangUp(lines.notInterested, "not interested");
  }

  // Otherwise the script goes on, a sentence a turn; the turn that says its last one asks to meet.
  const unsaid = prompt.script.filter((sentence) => !said.some((s) => s.includes(normalize(sentence))));
  const next = unsaid[0];
  if (next !== undefined) return { text: unsaid.length === 1 ? `${next} ${lines.meetingAsk}` : next, calls };
  // Asked once and not taken up: no second ask, the call ends politely.
  const askedBefore = said.some((s) => s.includes(normalize(LINES.en.meetingAsk)) || s.includes(normalize(LINES.uk.meetingAsk)));
  if (!askedBefore) return { text: lines.meetingAsk, calls };
  use("set_outcome", { outcome: "not_interested" });
  return hangUp(lines.wrapUp, "no meeting");
}

/**
 * Reads Noir's call prompt (workers/domain/voice/agent-prompt.ts: "You are X, … on behalf of Y.",
 * "Speak Ukrainian.", `<script>`, `<objection_handlers>`, `<callee>`) and, as a fallback, the
 * email prompt's labelled facts (`Language: uk`, `- First name:`, `> ` quoted script).
 */
export function readCallPrompt(system: string): CallPrompt {
  const speak = /^Speak ([A-Za-z]+)(,[^\n]*English)?/m.exec(system);
  const language = /^Language:\s*([a-z-]+)/m.exec(system)?.[1];
  let lang: Lang | null = null;
  if (speak) lang = speak[2] ? null : speak[1] === "Ukrainian" ? "uk" : "en";
  else if (language) lang = language === "uk" ? "uk" : language === "uk-en" ? null : "en";

  const callee = /<callee>[\s\S]*?^name:\s*(.+)$/m.exec(system)?.[1] ?? /^- First name:\s*(.+)$/m.exec(system)?.[1];
  const scriptText = /<script>\n?([\s\S]*?)<\/script>/.exec(system)?.[1] ?? (/^Script\b.*\n((?:> .*(?:\n|$))+)/m.exec(system)?.[1] ?? "").replace(/^> /gm, "");
  const handlers = [...system.matchAll(/^- (?:If|When) they say ((?:"[^"\n]*"(?: or )?)+):\s*(.+)$/gm)].map((match) => ({
    triggers: [...(match[1] ?? "").matchAll(/"([^"\n]*)"/g)].map((t) => normalize(t[1] ?? "")).filter(Boolean),
    response: (match[2] ?? "").trim(),
  }));
  const now = /^(?:now|current time|today is)\s*[:=]?\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))/im.exec(system);
  const nowMs = now ? Date.parse(now[1] ?? "") : Number.NaN;

  return {
    lang,
    agent: /^You are ([^,.\n]+?)(?:,|\.| an AI)/m.exec(system)?.[1]?.trim() ?? known(/^- Name:\s*(.+)$/m.exec(system)?.[1]),
    org: /on behalf of ([^.\n]+?)\./.exec(system)?.[1]?.trim() ?? known(/^Sender\n(?:- .*\n)*?- Company:\s*(.+)$/m.exec(system)?.[1]),
    callee: known(callee?.trim().split(/\s+/)[0]),
    script: scriptText
      .split(/(?<=[.!?…])\s+|\n+/)
      .map((sentence) => sentence.trim().slice(0, 300))
      .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence)),
    handlers,
    now: now && Number.isFinite(nowMs) ? { ms: nowMs, offsetMinutes: offsetOf(now[2] ?? "Z") } : null,
  };
}

function known(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && trimmed !== "unknown" && trimmed !== "(unknown)" ? trimmed : null;
}

function offsetOf(zone: string): number {
  if (zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}
