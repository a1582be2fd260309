/**
 * What the phone stand-in listens for in the callee's words, and when they said to meet, in
 * English and Ukrainian. Deliberately small: enough for the Twilio stand-in's personas and for
 * tests to steer a call, not a language model.
 */

export type Lang = "en" | "uk";

/** Lower case, one kind of apostrophe, single spaces. */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/[’ʼ`]/g, "'").replace(/\s+/g, " ").trim();
}

/** `phrase` as whole words of `text` (both normalized); `\b` knows no Cyrillic, so lookarounds. */
export function hasPhrase(text: string, phrase: string): boolean {
  const escaped = normalize(phrase).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}'])${escaped}(?![\\p{L}\\p{N}])`, "u").test(text);
}

const any = (text: string, phrases: readonly string[]) => phrases.some((phrase) => hasPhrase(text, phrase));

const DO_NOT_CALL = [
  "don't call", "do not call", "dont call", "stop calling", "never call", "take me off", "remove me", "remove my number", "lose my number",
  "delete my number", "leave me alone", "unsubscribe", "не дзвоніть", "не телефонуйте", "більше не дзвоніть", "видаліть мій номер",
  "видаліть мене", "не турбуйте", "дайте спокій", "не звоните",
];
const GOODBYE = ["bye", "goodbye", "good bye", "bye-bye", "talk soon", "до побачення", "бувайте", "на все добре", "па-па"];
const NOT_INTERESTED = [
  "not interested", "no thanks", "no thank you", "not for us", "we're fine", "we are fine", "don't need", "do not need",
  "не цікаво", "нецікаво", "не потрібно", "не треба", "не зацікавлен", "ні, дякую", "не интересно",
];
const CALL_BACK = [
  "call me back", "call back", "call me later", "call later", "another time", "not a good time", "bad time", "later",
  "передзвоніть", "зателефонуйте пізніше", "подзвоніть пізніше", "пізніше", "не зараз", "іншим разом",
];
const AGREE = [
  "yes", "yeah", "yep", "sure", "ok", "okay", "fine", "sounds good", "works", "let's", "great", "of course", "absolutely", "good",
  "так", "добре", "згоден", "згодна", "давайте", "підходить", "звісно", "гаразд", "можна", "чудово",
];
const REFUSE = ["no", "not", "don't", "can't", "cannot", "no time", "e-mail", "email", "busy", "ні", "не", "ніколи", "пошту", "лист"];
const MEETING = ["meet", "meeting", "demo", "book", "schedule", "appointment", "calendar", "slot", "зустріч", "зустрічі", "зустрінемось", "зустрінемося", "демо", "запишіть"];

export const saysDoNotCall = (text: string) => any(text, DO_NOT_CALL);
export const saysGoodbye = (text: string) => any(text, GOODBYE);
export const saysNotInterested = (text: string) => any(text, NOT_INTERESTED);
export const saysCallBack = (text: string) => any(text, CALL_BACK);
export const mentionsMeeting = (text: string) => any(text, MEETING);

const withoutPleasantries = (text: string) => text.replace(/\bno (problem|worries)\b|\bnot a problem\b/g, "");
/** A yes word ("sure", "добре"), whatever else was said. */
export const saysYes = (text: string) => any(withoutPleasantries(text), AGREE);
/** A no, an "email me" or an "I'm busy": whatever else they said, this is not a yes to a meeting. */
export const holdsBack = (text: string) => any(withoutPleasantries(text), REFUSE) || saysNotInterested(text);

// ── When ─────────────────────────────────────────────────────────────────────────────────────

const EN_DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const UK_DAY_STEMS = ["неділ", "понеділ", "вівтор", "серед", "четвер", "п'ятниц", "субот"];
const UK_DAYS_ON = ["неділю", "понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу"];
const EN_DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const EN_HOURS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const UK_HOURS = ["першій", "другій", "третій", "четвертій", "п'ятій", "шостій", "сьомій", "восьмій", "дев'ятій", "десятій", "одинадцятій", "дванадцятій"];

/** A day and time the callee named, relative to now; null parts were not said. */
export interface Named {
  daysAhead: number | null;
  hour: number | null;
  minute: number;
}

export function namedTime(text: string, localWeekday: number): Named {
  return { daysAhead: namedDay(text, localWeekday), ...namedHour(text) };
}

function namedDay(text: string, today: number): number | null {
  if (any(text, ["day after tomorrow", "післязавтра"])) return 2;
  if (any(text, ["tomorrow", "завтра"])) return 1;
  if (any(text, ["today", "сьогодні"])) return 0;
  for (let day = 0; day < 7; day++) {
    const named = hasPhrase(text, EN_DAYS[day] ?? "") || new RegExp(`(?<![\\p{L}])${UK_DAY_STEMS[day]}`, "u").test(text);
    // The next such day, never today: "Tuesday" said on a Tuesday means next week.
    if (named) return (day - today + 7) % 7 || 7;
  }
  if (any(text, ["next week", "наступного тижня"])) return (1 - today + 7) % 7 || 7;
  return null;
}

function namedHour(text: string): { hour: number | null; minute: number } {
  const clock = /(?<!\d)(\d{1,2})[:.](\d{2})(?!\d)/.exec(text);
  if (clock) return business(Number(clock[1]), Number(clock[2]), text);
  const meridiem = /(?<!\d)(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)/.exec(text);
  if (meridiem) return { hour: (Number(meridiem[1]) % 12) + (meridiem[2]?.startsWith("p") ? 12 : 0), minute: 0 };
  const atNumber = /(?:\bat|(?<![\p{L}])об?)\s+(\d{1,2})(?!\d)/u.exec(text);
  if (atNumber) return business(Number(atNumber[1]), 0, text);
  const words = EN_HOURS.join("|");
  const enWord = new RegExp(`\\bat (${words})\\b|\\b(${words}) o'clock`).exec(text);
  if (enWord) return business(EN_HOURS.indexOf(enWord[1] ?? enWord[2] ?? "") + 1, 0, text);
  const ukWord = new RegExp(`(?<![\\p{L}])об? (${UK_HOURS.join("|")})`, "u").exec(text);
  if (ukWord) return business(UK_HOURS.indexOf(ukWord[1] ?? "") + 1, 0, text);
  if (any(text, ["morning", "ранку", "вранці", "зранку"])) return { hour: 10, minute: 0 };
  if (any(text, ["noon", "midday", "полудні", "обід"])) return { hour: 12, minute: 0 };
  if (any(text, ["afternoon", "після обіду", "по обіді", "вдень"])) return { hour: 14, minute: 0 };
  if (any(text, ["evening", "ввечері", "увечері", "вечора"])) return { hour: 18, minute: 0 };
  return { hour: null, minute: 0 };
}

/** "At three" on a business call is 15:00; "at ten" is 10:00. */
function business(hour: number, minute: number, text: string): { hour: number; minute: number } {
  const evening = any(text, ["pm", "afternoon", "evening", "після обіду", "вечора", "дня"]);
  const h = hour < 8 || (evening && hour < 12) ? hour + 12 : hour;
  return { hour: h % 24, minute: Math.min(minute, 59) };
}

/** A moment as the tools take it (ISO 8601 in the prompt's offset) and as the agent says it. */
export interface Moment {
  iso: string;
  spoken: Record<Lang, string>;
}

/**
 * The moment the callee named, on the clock `nowMs` in a zone `offsetMinutes` from UTC. Missing
 * parts fall back to `fallback` (tomorrow at ten for a meeting), or null when nothing was named
 * and there is no fallback.
 */
export function resolveMoment(named: Named, nowMs: number, offsetMinutes: number, fallback: { daysAhead: number; hour: number } | null): Moment | null {
  if (named.daysAhead === null && named.hour === null && !fallback) return null;
  const local = new Date(nowMs + offsetMinutes * 60_000);
  const daysAhead = named.daysAhead ?? fallback?.daysAhead ?? 1;
  const hour = named.hour ?? fallback?.hour ?? 10;
  const day = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + daysAhead, hour, named.minute));
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
  const time = `${pad(day.getUTCHours())}:${pad(day.getUTCMinutes())}`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const zone = offsetMinutes === 0 ? "Z" : `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const weekday = day.getUTCDay();
  return {
    iso: `${date}T${time}:00${zone}`,
    spoken: { en: `${EN_DAY_NAMES[weekday]} at ${time}`, uk: `${UK_DAYS_ON[weekday]} о ${time}` },
  };
}

// ── What the agent says ──────────────────────────────────────────────────────────────────────

export const LINES: Record<Lang, {
  opener: (callee: string | null, agent: string | null, org: string | null) => string;
  minute: string;
  meetingAsk: string;
  wrapUp: string;
  booked: (when: string) => string;
  doNotCall: string;
  notInterested: string;
  goodbye: string;
  callBack: (when: string | null) => string;
  afterTools: string;
}> = {
  en: {
    opener: (callee, agent, org) => `Hi${callee ? ` ${callee}` : ""}, this is ${agent ?? "your assistant"}${org ? ` from ${org}` : ""}.`,
    minute: "Do you have a minute?",
    meetingAsk: "Would you have time for a short meeting this week, say tomorrow at ten?",
    wrapUp: "No problem, I won't keep you. Thank you for your time, goodbye!",
    booked: (when) => `Great, I've booked our meeting for ${when}. Thank you, goodbye!`,
    doNotCall: "I'm sorry to have bothered you. We won't call you again. Goodbye.",
    notInterested: "I understand. Thank you for your time, goodbye!",
    goodbye: "Thank you, goodbye!",
    callBack: (when) => `Of course, I'll call you back ${when ? `on ${when}` : "later"}. Goodbye!`,
    afterTools: "Is there anything else I can help you with?",
  },
  uk: {
    opener: (callee, agent, org) => `Вітаю${callee ? `, ${callee}` : ""}! Це ${agent ?? "ваш асистент"}${org ? ` з ${org}` : ""}.`,
    minute: "Маєте хвилинку?",
    meetingAsk: "Чи знайдете час на коротку зустріч цього тижня, скажімо, завтра о десятій?",
    wrapUp: "Гаразд, не забиратиму ваш час. Дякую, до побачення!",
    booked: (when) => `Чудово, зустріч призначено на ${when}. Дякую, до побачення!`,
    doNotCall: "Вибачте за турботу. Більше не телефонуватимемо. До побачення.",
    notInterested: "Розумію. Дякую за ваш час, до побачення!",
    goodbye: "Дякую, до побачення!",
    callBack: (when) => `Звісно, передзвоню ${when ? `у ${when}` : "пізніше"}. До побачення!`,
    afterTools: "Чи можу я ще чимось допомогти?",
  },
};
