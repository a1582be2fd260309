/**
 * Who picks up, as data. A persona is chosen per call by the `To` number (see `PERSONA_SUFFIXES`,
 * or `setPersona(number, name)` on the handle); the callee runtime (`callee.ts`) plays its script
 * against what it actually heard of the bot's audio.
 */

export const PERSONA_NAMES = ["interested", "objecting", "silent", "interrupting", "voicemail", "busy", "no-answer", "do-not-call"] as const;
export type PersonaName = (typeof PERSONA_NAMES)[number];

export function isPersonaName(value: unknown): value is PersonaName {
  return typeof value === "string" && (PERSONA_NAMES as readonly string[]).includes(value);
}

/** A reply rule: the first rule whose `match` fits the bot's words heard this turn answers. */
export interface ReplyRule {
  match: RegExp;
  /** One is picked with the call's seeded generator. */
  say: readonly string[];
  /** After saying it, hang up this many ms later (line time). */
  hangupAfterMs?: number;
  /** Fire at most once per call; later turns fall through to the next rules. */
  once?: boolean;
}

export interface PersonaScript {
  name: PersonaName;
  /** `busy` / `no-answer` never pick up; everything else does. */
  outcome: "answer" | "busy" | "no-answer";
  /** Said this long after picking up (ms, seeded within the range); null says nothing. */
  pickup: { say: readonly string[]; delayMs: readonly [number, number] } | null;
  rules: readonly ReplyRule[];
  /** Said, in order, on turns no rule answers; once used up the callee says goodbye and hangs up. */
  fallback: readonly string[];
  /** After `fallback` runs out: the last words, then hang up. Null repeats the last fallback line forever. */
  farewell: string | null;
  /** Speaks over a long bot utterance, this far into it (ms, seeded). */
  interrupt: { afterMs: readonly [number, number]; minUtteranceMs: number; max: number; say: readonly string[] } | null;
  /** A greeting, a tone, then everything heard is the message. */
  voicemail: { greeting: string; beepAfterMs: number; beepMs: number; maxMessageMs: number; hangupAfterSilenceMs: number } | null;
  /** Hangs up on its own after this long on the line (ms since answering). */
  maxCallMs: number;
  /** Never says a word after picking up. */
  silent: boolean;
}

const GOODBYE = /\b(good ?bye|bye|have a (great|good|nice|lovely) (day|one|evening|weekend)|talk (to you )?soon)\b/i;
const MEETING = /\b(meeting|demo|schedule|calendar|book|appointment|slot|monday|tuesday|wednesday|thursday|friday|tomorrow|next week)\b/i;
const PRICE = /\b(price|prices|pricing|cost|costs|plan|plans|per month|dollars?|euros?|discount)\b|\$/i;
const EMAIL = /\b(e-?mail|send (you|over)|follow up)\b/i;

/** The reply gap a person leaves after the other side stops talking, ms (seeded in range). */
export const REPLY_GAP_MS: readonly [number, number] = [400, 700];

const base = {
  outcome: "answer",
  pickup: { say: ["Hello?"], delayMs: [500, 900] },
  rules: [],
  fallback: [],
  farewell: null,
  interrupt: null,
  voicemail: null,
  maxCallMs: 180_000,
  silent: false,
} as const satisfies Omit<PersonaScript, "name">;

export const PERSONAS: Readonly<Record<PersonaName, PersonaScript>> = {
  interested: {
    ...base,
    name: "interested",
    rules: [
      { match: GOODBYE, say: ["Thanks, bye!", "Great, talk soon. Bye!"], hangupAfterMs: 300 },
      { match: MEETING, say: ["Sure, a meeting works for me. Tuesday at ten is good.", "Yes, let's book a call. Thursday afternoon works."] },
      { match: PRICE, say: ["That price sounds fair to me.", "Okay, that fits our budget."] },
      { match: /\?/, say: ["Yes, that sounds interesting. Tell me more.", "Sure, go ahead, I'm listening."] },
    ],
    fallback: ["Okay, that sounds good.", "Interesting, go on.", "Right, makes sense."],
  },
  objecting: {
    ...base,
    name: "objecting",
    pickup: { say: ["Hello, who is this?"], delayMs: [500, 900] },
    rules: [
      { match: GOODBYE, say: ["Bye."], hangupAfterMs: 300 },
      { match: PRICE, say: ["That is too expensive for us."] },
      { match: EMAIL, say: ["Yes, just send me an email."] },
      { match: MEETING, say: ["I don't have time for a meeting. Send me an email."] },
    ],
    fallback: ["Sounds too expensive for us.", "We already use another tool for that.", "Look, just send me an email."],
    farewell: "I'm not interested, thanks. Goodbye.",
  },
  silent: {
    ...base,
    name: "silent",
    pickup: null,
    silent: true,
    maxCallMs: 20_000,
  },
  interrupting: {
    ...base,
    name: "interrupting",
    pickup: { say: ["Yeah, hello?"], delayMs: [400, 700] },
    rules: [
      { match: GOODBYE, say: ["Bye."], hangupAfterMs: 300 },
      { match: MEETING, say: ["Fine, a meeting is okay. Wednesday."] },
      { match: /\?/, say: ["Yes, yes, go on."] },
    ],
    fallback: ["Okay.", "Right."],
    interrupt: {
      afterMs: [550, 700],
      minUtteranceMs: 1_500,
      max: 3,
      say: ["Sorry, how much does it cost?", "Wait, who did you say you are?", "Hold on, is this a sales call?"],
    },
  },
  voicemail: {
    ...base,
    name: "voicemail",
    pickup: null,
    voicemail: {
      greeting: "Hi, you've reached Olena. Leave a message after the tone.",
      beepAfterMs: 200,
      beepMs: 500,
      maxMessageMs: 30_000,
      hangupAfterSilenceMs: 6_000,
    },
    maxCallMs: 60_000,
  },
  busy: { ...base, name: "busy", outcome: "busy", pickup: null },
  "no-answer": { ...base, name: "no-answer", outcome: "no-answer", pickup: null },
  "do-not-call": {
    ...base,
    name: "do-not-call",
    rules: [{ match: /[\s\S]/, say: ["Please don't call me again. Take me off your list."], hangupAfterMs: 2_500 }],
  },
};

/**
 * The persona a `To` number reaches, by its last four digits; any other number reaches `interested`.
 * 555-01XX numbers are reserved for fiction in North America, so `+1 415 555 0101` is a safe example.
 */
export const PERSONA_SUFFIXES: Readonly<Record<string, PersonaName>> = {
  "0100": "interested",
  "0101": "objecting",
  "0102": "silent",
  "0103": "interrupting",
  "0104": "voicemail",
  "0105": "busy",
  "0106": "no-answer",
  "0107": "do-not-call",
};

export const DEFAULT_PERSONA: PersonaName = "interested";

export function personaBySuffix(number: string): PersonaName {
  return PERSONA_SUFFIXES[number.slice(-4)] ?? DEFAULT_PERSONA;
}
