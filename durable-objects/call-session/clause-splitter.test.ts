import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createClauseSplitter, type ClauseSplitterOptions } from "./clause-splitter";

/** All clauses of `text` fed as the given pieces, then flushed. */
function split(pieces: string[], options?: ClauseSplitterOptions): string[] {
  const splitter = createClauseSplitter(options);
  return [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()];
}

/** Code points, so an emoji is never fed as half a surrogate pair (the model never sends one). */
const chars = (text: string) => Array.from(text);
/** Pieces of 1–4 code points, like a model's tokens. */
function tokens(text: string): string[] {
  const all = chars(text);
  const out: string[] = [];
  for (let i = 0, size = 1; i < all.length; i += size, size = (size % 4) + 1) out.push(all.slice(i, i + size).join(""));
  return out;
}

const CASES: { name: string; text: string; clauses: string[] }[] = [
  { name: "sentence ends", text: "Hello! How are you today?", clauses: ["Hello!", "How are you today?"] },
  {
    name: "the first clause ends at a comma once it is 24 characters long",
    text: "Thanks for picking up, Olena, I'm calling from Noir about your sales team.",
    clauses: ["Thanks for picking up, Olena,", "I'm calling from Noir about your sales team."],
  },
  {
    name: "later clauses need 64 characters before a comma ends them",
    text: "Sure. We work with logistics companies, retailers and banks, and most of them start with a two-week pilot.",
    clauses: ["Sure.", "We work with logistics companies, retailers and banks, and most of them start with a two-week pilot."],
  },
  {
    name: "titles and dotted abbreviations do not end a sentence",
    text: "Dr. Koval said e.g. this works. Then we call Mr. Smith.",
    clauses: ["Dr. Koval said e.g. this works.", "Then we call Mr. Smith."],
  },
  {
    name: "decimals, thousands and prices stay whole",
    text: "Our plan starts at $1,500 per month, which is 3.5 percent of a rep. That's it.",
    clauses: ["Our plan starts at $1,500 per month,", "which is 3.5 percent of a rep.", "That's it."],
  },
  {
    name: "URLs and emails stay whole",
    text: "Write to sales@noir.example or visit https://noir.example/demo?x=1. Thanks!",
    clauses: ["Write to sales@noir.example or visit https://noir.example/demo?x=1.", "Thanks!"],
  },
  {
    name: "an ellipsis before a lower-case word continues the sentence",
    text: "Well... let me think… Okay! Tuesday works.",
    clauses: ["Well... let me think…", "Okay!", "Tuesday works."],
  },
  {
    name: "closing quotes stay with their sentence",
    text: 'He said "stop." Then he left. «Добре!» — відповіла вона.',
    clauses: ['He said "stop."', "Then he left.", "«Добре!»", "— відповіла вона."],
  },
  {
    name: "Ukrainian, with т.д. before a capital ending the sentence",
    text: "Добрий день, Олено! Мене звати Анна, я з компанії Noir. Ми допомагаємо відділам продажів, і т.д. Коли вам зручно: у вівторок о 10:30?",
    clauses: ["Добрий день, Олено!", "Мене звати Анна, я з компанії Noir.", "Ми допомагаємо відділам продажів, і т.д.", "Коли вам зручно: у вівторок о 10:30?"],
  },
  {
    name: "Ukrainian abbreviations: вул., м., грн.",
    text: "Наш офіс на вул. Хрещатик, 22 у м. Київ. Ціна 100 грн. Це недорого, правда?",
    clauses: ["Наш офіс на вул. Хрещатик,", "22 у м. Київ.", "Ціна 100 грн.", "Це недорого, правда?"],
  },
  { name: "a one-letter word still ends a sentence", text: "Це я. Дзвоню щодо зустрічі.", clauses: ["Це я.", "Дзвоню щодо зустрічі."] },
  { name: "initials", text: "J. K. Rowling wrote it. Fine.", clauses: ["J. K. Rowling wrote it.", "Fine."] },
  { name: "No. before a number", text: "No. 5 is ours. No. I mean it.", clauses: ["No. 5 is ours.", "No.", "I mean it."] },
  { name: "list markers", text: "1. Call Olena. 2. Send the deck.", clauses: ["1. Call Olena.", "2. Send the deck."] },
  { name: "runs of enders", text: "Really?! Yes!!! Great.", clauses: ["Really?!", "Yes!!!", "Great."] },
  {
    name: "a spaced dash is a clause break, a tight one is not",
    text: "That is exactly what we built — a voice agent for 2019—2020 leads.",
    clauses: ["That is exactly what we built —", "a voice agent for 2019—2020 leads."],
  },
  {
    name: "times and colons",
    text: "Let's meet at 10:30 tomorrow: does that work for you?",
    clauses: ["Let's meet at 10:30 tomorrow:", "does that work for you?"],
  },
  {
    name: "line breaks end a clause",
    text: "Here are two options:\n- a call on Tuesday\n- a demo on Friday",
    clauses: ["Here are two options:", "- a call on Tuesday", "- a demo on Friday"],
  },
  {
    name: "emoji are never spoken alone",
    text: "Great to hear! 😊 See you on Tuesday. 👋",
    clauses: ["Great to hear!", "😊 See you on Tuesday."],
  },
  { name: "CJK enders need no space", text: "你好。我们明天见！", clauses: ["你好。", "我们明天见！"] },
  { name: "nothing but whitespace says nothing", text: "  \n \t ", clauses: [] },
];

describe("the clause splitter", () => {
  it.each(CASES)("$name", ({ text, clauses }) => {
    expect(split([text])).toEqual(clauses);
  });

  it.each(CASES)("gives the same clauses token by token: $name", ({ text, clauses }) => {
    expect(split(tokens(text))).toEqual(clauses);
    expect(split(chars(text))).toEqual(clauses);
  });

  it("speaks a sentence as soon as the next word starts, not at the end of the reply", () => {
    const splitter = createClauseSplitter();
    expect(splitter.push("Hello")).toEqual([]);
    expect(splitter.push("!")).toEqual([]);
    // "!" needs only the space after it; a period would wait for the next word's first letter.
    expect(splitter.push(" ")).toEqual(["Hello!"]);
    expect(splitter.push("I called about 3")).toEqual([]);
    expect(splitter.push(".")).toEqual([]);
    expect(splitter.push("5")).toEqual([]);
    expect(splitter.push(" percent. ")).toEqual([]);
    expect(splitter.push("Okay")).toEqual(["I called about 3.5 percent."]);
    expect(splitter.flush()).toEqual(["Okay"]);
  });

  it("starts the first clause at a comma early, the next ones later", () => {
    const splitter = createClauseSplitter();
    expect(splitter.push("Thanks for picking up, Olena, ")).toEqual(["Thanks for picking up, Olena,"]);
    expect(splitter.push("I know you are busy, so I will be quick, ")).toEqual([]);
    expect(splitter.flush()).toEqual(["I know you are busy, so I will be quick,"]);
  });

  it("takes its thresholds from the options", () => {
    const text = "Yes, of course, that works, see you then.";
    expect(split([text], { firstClauseMinChars: 3, clauseMinChars: 8 })).toEqual(["Yes,", "of course,", "that works,", "see you then."]);
    expect(split([text])).toEqual(["Yes, of course, that works,", "see you then."]);
  });

  it("cuts a run-on without punctuation at a space before the length limit", () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const clauses = split([words], { maxClauseChars: 50 });
    expect(clauses.length).toBeGreaterThan(4);
    for (const clause of clauses) expect(clause.length).toBeLessThanOrEqual(50);
    expect(clauses.join(" ")).toBe(words);
    expect(split(tokens(words), { maxClauseChars: 50 })).toEqual(clauses);
  });

  it("never emits an empty clause, and flush empties it", () => {
    const splitter = createClauseSplitter();
    expect(splitter.push("")).toEqual([]);
    expect(splitter.push("Hi. ")).toEqual([]);
    expect(splitter.push("\n\n")).toEqual([]);
    expect(splitter.push("There")).toEqual(["Hi."]);
    expect(splitter.flush()).toEqual(["There"]);
    expect(splitter.flush()).toEqual([]);
  });
});

// Pieces a reply is made of, chosen for the cases the rules are about.
const FRAGMENTS = [
  "Hello", "Olena", "we", "call", "Dr.", "e.g.", "т.д.", "вул.", "м.", "Київ", "3.5", "$1,000", "10:30", "No.", "5",
  "https://noir.example/a?b=1", "sales@noir.example", "...", "…", ".", ",", "!", "?", "?!", ":", ";", "—", "«", "»", '"',
  "😊", "👋🏽", "так", "Добре", " ", " ", " ", " ", "\n", "1.", "J.", "你好。", "，",
];

describe("the clause splitter, on generated replies", () => {
  it("gives the same clauses however the reply is cut into deltas, and loses no words", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        fc.record({ firstClauseMinChars: fc.integer({ min: 1, max: 40 }), clauseMinChars: fc.integer({ min: 1, max: 80 }), maxClauseChars: fc.integer({ min: 20, max: 200 }) }),
        (fragments, sizes, options) => {
          const text = fragments.join("");
          const points = chars(text);
          const pieces: string[] = [];
          for (let i = 0, k = 0; i < points.length; k++) {
            const size = sizes[k % sizes.length] ?? 1;
            pieces.push(points.slice(i, i + size).join(""));
            i += size;
          }
          const whole = split([text], options);
          expect(split(pieces, options)).toEqual(whole);

          for (const clause of whole) {
            expect(clause).toBe(clause.trim());
            expect(clause).toMatch(/[\p{L}\p{N}]/u);
          }
          // Every word is spoken, in order; only a trailing run with nothing speakable is dropped.
          const said = whole.join("").replace(/\s/g, "");
          const all = text.replace(/\s/g, "");
          expect(all.startsWith(said)).toBe(true);
          expect(all.slice(said.length)).not.toMatch(/[\p{L}\p{N}]/u);
        },
      ),
      { numRuns: 400 },
    );
  });
});
