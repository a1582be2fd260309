/**
 * Cuts the model's streamed text into clauses text-to-speech can start on, as early as is safe:
 * the first clause of a reply is what the callee waits for, so it may end at a comma once it is
 * long enough to sound natural; later clauses only need to arrive before the audio runs out.
 *
 * Pure and chunking-blind: a boundary is decided only once the characters after it are known
 * (or the reply has ended), so feeding a reply token by token gives the same clauses as feeding
 * it at once. Numbers ("3.5", "$1,000", "10:30"), URLs and emails never split, because every
 * boundary needs whitespace after it.
 */

export interface ClauseSplitterOptions {
  /** The first clause may end at `, ; : —` once it has this many characters (audio starts sooner). */
  firstClauseMinChars?: number;
  /** Later clauses end at `, ; : —` only from this length: fewer, more natural breaks. */
  clauseMinChars?: number;
  /** A clause with no boundary in sight is cut at the last space before this length. */
  maxClauseChars?: number;
}

export interface ClauseSplitter {
  /** Adds a text delta; returns the clauses it completed, trimmed, never empty. */
  push(delta: string): string[];
  /** The reply ended: whatever is left, as clauses. */
  flush(): string[];
}

export const DEFAULT_CLAUSE_OPTIONS: Required<ClauseSplitterOptions> = {
  firstClauseMinChars: 24,
  clauseMinChars: 64,
  maxClauseChars: 180,
};

/** Ends a sentence when followed by whitespace (or the end). */
const SENTENCE_END = new Set([".", "!", "?", "…", "؟", "।", "॥", "።"]);
/** CJK full-width enders need no space after them. */
const SENTENCE_END_TIGHT = new Set(["。", "！", "？", "｡"]);
/** Clause breaks, when followed by whitespace and the clause is long enough. */
const CLAUSE_BREAK = new Set([",", ";", ":", "—", "–", "،", "؛"]);
const CLAUSE_BREAK_TIGHT = new Set(["，", "；", "：", "、"]);
/** Kept with the sentence they close: `"Stop." Then` cuts after the quote. */
const CLOSERS = new Set(['"', "'", "”", "’", "»", "›", ")", "]", "}", "」", "』", "）"]);

/**
 * Words that are never the end of a sentence before a period: titles and address parts that a
 * name or a number follows ("Dr. Koval", "вул. Хрещатик", "проф. Іваненко"). Lower case.
 */
const TITLES = new Set([
  // en
  "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "rev", "hon", "gen", "col", "capt", "lt", "sgt", "mt", "ft", "vs", "approx", "dept", "est",
  // uk / ru
  "вул", "просп", "пр", "пл", "пров", "буд", "кв", "обл", "д-р", "проф", "доц", "акад", "ім", "св", "напр", "див", "тел", "моб", "ул", "пер",
  // de / pl / fr / es
  "hr", "fr", "bzw", "ca", "ul", "np", "tzw", "mgr", "inż", "mme", "mlle", "sra", "srta", "ud", "uds", "av", "pág",
  // dotted ones that introduce what follows
  "e.g", "i.e", "cf", "viz", "z.b", "d.h", "u.a", "т.зв", "т.б",
]);
/** One-letter abbreviations that a name follows ("м. Київ", "с. Гребінки", "г. Москва"). */
const ONE_LETTER = new Set(["м", "с", "г", "п", "ч"]);
/** Periods after these are abbreviations when a number follows ("No. 5", "ст. 12", "p. 4"). */
const BEFORE_NUMBER = new Set(["no", "nr", "vol", "ch", "art", "fig", "p", "pp", "ст", "с", "№"]);

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/u.test(ch);
const isLower = (ch: string) => ch !== ch.toUpperCase() && ch === ch.toLowerCase();
const isUpper = (ch: string) => ch !== ch.toLowerCase() && ch === ch.toUpperCase();
const isDigit = (ch: string) => /\p{Nd}/u.test(ch);
const SPEAKABLE = /[\p{L}\p{N}]/u;

type Scan =
  /** Cut after `end` (exclusive index into the pending text). */
  | { kind: "cut"; end: number }
  /** The decision at `at` needs characters not received yet. */
  | { kind: "wait"; at: number }
  /** No boundary up to the end of what was received. */
  | { kind: "none" };

export function createClauseSplitter(options: ClauseSplitterOptions = {}): ClauseSplitter {
  const settings = { ...DEFAULT_CLAUSE_OPTIONS, ...options };
  // All state is per reply: one splitter per turn, so nothing outlives the turn it belongs to.
  let pending = "";
  let resumeAt = 0;
  let emitted = 0;
  /** Text with nothing to say ("…", "😊") waits to lead the next clause instead of being spoken alone. */
  let carry = "";

  function take(end: number, out: string[]): void {
    const text = pending.slice(0, end).trim();
    pending = pending.slice(end);
    resumeAt = 0;
    if (text === "") return;
    if (!SPEAKABLE.test(text)) {
      carry = carry ? `${carry} ${text}` : text;
      return;
    }
    out.push(carry ? `${carry} ${text}` : text);
    carry = "";
    emitted++;
  }

  function drain(final: boolean): string[] {
    const out: string[] = [];
    for (;;) {
      const minChars = emitted === 0 ? settings.firstClauseMinChars : settings.clauseMinChars;
      const scan = findBoundary(pending, resumeAt, final, minChars, settings.maxClauseChars);
      if (scan.kind === "cut") {
        take(scan.end, out);
        continue;
      }
      resumeAt = scan.kind === "wait" ? scan.at : pending.length;
      return out;
    }
  }

  return {
    push(delta) {
      if (delta === "") return [];
      pending += delta;
      return drain(false);
    },
    flush() {
      const out = drain(true);
      take(pending.length, out);
      carry = "";
      return out;
    },
  };
}

/**
 * The first boundary in `text` at or after `from`. Scanning stops at the first position whose
 * decision needs more text, so later boundaries are never judged before earlier ones are settled.
 */
function findBoundary(text: string, from: number, final: boolean, minChars: number, maxChars: number): Scan {
  for (let i = from; i < text.length; i++) {
    const ch = text[i] ?? "";

    if (ch === "\n") return { kind: "cut", end: i + 1 };
    if (SENTENCE_END_TIGHT.has(ch) || (CLAUSE_BREAK_TIGHT.has(ch) && clauseLength(text, i + 1) >= minChars)) {
      const end = closersEnd(text, i + 1);
      // A closing quote may still be on its way.
      if (end >= text.length && !final) return { kind: "wait", at: i };
      return { kind: "cut", end };
    }

    if (SENTENCE_END.has(ch)) {
      // The whole run of enders and closing quotes: "?!", "...", `."`, `!»`.
      let end = i + 1;
      while (end < text.length && SENTENCE_END.has(text[end] ?? "")) end++;
      end = closersEnd(text, end);
      const decision = sentenceEnds(text, i, end, final);
      if (decision === "wait") return { kind: "wait", at: i };
      if (decision) return { kind: "cut", end };
      i = end - 1;
      continue;
    }

    if (CLAUSE_BREAK.has(ch) && clauseLength(text, i + 1) >= minChars) {
      if (i + 1 >= text.length) {
        if (!final) return { kind: "wait", at: i };
        continue;
      }
      // "$1,000", "10:30", "https://", "2019—2020" have no space after the mark.
      if (isSpace(text[i + 1])) return { kind: "cut", end: i + 1 };
      continue;
    }

    if (i >= maxChars) {
      // A run-on with no boundary: break at the last space rather than let the callee wait.
      const space = lastSpace(text, maxChars);
      if (space > 0) return { kind: "cut", end: space };
    }
  }
  return { kind: "none" };
}

/**
 * Does the ender run `text[at, end)` close a sentence? "wait" when the answer depends on text
 * not received yet.
 */
function sentenceEnds(text: string, at: number, end: number, final: boolean): boolean | "wait" {
  if (end >= text.length) return final ? true : "wait";
  if (!isSpace(text[end])) return false; // "3.5", "example.com", "e.g.x", "?!" inside a URL
  const ender = text[at] ?? "";
  if (ender !== "." && ender !== "…") return true; // "!" and "?" end a sentence whatever follows

  // A period's meaning depends on the next word: wait for its first character.
  let next = end;
  while (next < text.length && isSpace(text[next])) next++;
  if (next >= text.length) return final ? true : "wait";
  const following = text[next] ?? "";
  // "Well... maybe", "approx. five", "т.д. та інше": a lower-case word continues the sentence.
  if (isLower(following)) return false;
  if (ender === "…" || text.slice(at, end).startsWith("..")) return true;

  const word = wordBefore(text, at);
  const lower = word.toLowerCase();
  if (TITLES.has(lower)) return false;
  if (isDigit(following) && BEFORE_NUMBER.has(lower)) return false;
  // An initial ("J. Smith", "Т. Шевченко") or a one-letter abbreviation ("м. Київ"); "Це я." still ends.
  if ([...word].length === 1 && (isUpper(word) || ONE_LETTER.has(word))) return false;
  // A list marker at the start of a clause ("1. First") is not a sentence of its own.
  if (/^\p{Nd}+$/u.test(word) && text.slice(0, at).trim() === word) return false;
  // "It costs 3.5. Then": a number with a decimal point is not an abbreviation.
  if (/^[\p{Nd}.,]+$/u.test(word)) return true;
  // Dotted abbreviations ("e.g", "т.д", "U.S") end a sentence only before a capital.
  if (word.includes(".")) return isUpper(following);
  return true;
}

/** The token right before `at`: letters, digits, dots and hyphens ("e.g", "т.д", "д-р", "100"). */
function wordBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && /[\p{L}\p{N}.\-№]/u.test(text[start - 1] ?? "")) start--;
  return text.slice(start, at).replace(/^[.\-]+/, "");
}

function closersEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && CLOSERS.has(text[end] ?? "")) end++;
  return end;
}

function clauseLength(text: string, end: number): number {
  return text.slice(0, end).trim().length;
}

/** The index just after the last whitespace in `text[1, limit]`, or 0 if there is none. */
function lastSpace(text: string, limit: number): number {
  for (let i = Math.min(limit, text.length - 1); i > 0; i--) {
    if (isSpace(text[i])) return i + 1;
  }
  return 0;
}
