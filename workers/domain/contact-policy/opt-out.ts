import { COURTESY_WORDS, OPT_OUT_PHRASES, type Language, type PhraseLanguage } from "./opt-out-phrases";

interface CompiledLanguage {
  phrases: readonly string[];
  keywords: ReadonlySet<string>;
}

const compile = (table: { phrases: readonly string[]; keywords: readonly string[] }): CompiledLanguage => ({
  phrases: table.phrases.map(normalise),
  keywords: new Set(table.keywords.map(normalise)),
});
const COMPILED: Readonly<Record<PhraseLanguage, CompiledLanguage>> = {
  en: compile(OPT_OUT_PHRASES.en),
  uk: compile(OPT_OUT_PHRASES.uk),
  ru: compile(OPT_OUT_PHRASES.ru),
  de: compile(OPT_OUT_PHRASES.de),
  pl: compile(OPT_OUT_PHRASES.pl),
  fr: compile(OPT_OUT_PHRASES.fr),
  es: compile(OPT_OUT_PHRASES.es),
};
const COURTESY = COURTESY_WORDS.map((words) => ` ${normalise(words)} `);

/**
 * Does this reply ask us to stop contacting the lead? Pass only the lead's own words: an email reply
 * usually quotes our message, whose footer says "unsubscribe". With a language, that language's
 * phrases are checked plus English (STOP is understood everywhere) and, for Ukrainian, Russian;
 * without one, every language is.
 */
export function isOptOut(text: string, language?: Language): boolean {
  const reply = normalise(text);
  if (reply === "") return false;
  const padded = ` ${reply} `;
  const remaining = withoutCourtesy(padded).split(" ").filter((word) => word !== "");
  for (const table of languagesFor(language).map((l) => COMPILED[l])) {
    if (table.phrases.some((phrase) => padded.includes(` ${phrase} `))) return true;
    if (remaining.length > 0 && remaining.every((word) => table.keywords.has(word))) return true;
  }
  return false;
}

/** The reply without "please" and friends, which may go with a bare keyword. */
function withoutCourtesy(padded: string): string {
  let bare = padded;
  for (const courtesy of COURTESY) while (bare.includes(courtesy)) bare = bare.replace(courtesy, " ");
  return bare;
}

function languagesFor(language: Language | undefined): PhraseLanguage[] {
  switch (language) {
    case undefined:
      return ["en", "uk", "ru", "de", "pl", "fr", "es"];
    case "uk":
    case "uk-en":
      return ["en", "uk", "ru"];
    case "en":
      return ["en"];
    default:
      return ["en", language];
  }
}

/**
 * Lower case without accents, apostrophes or punctuation, words separated by single spaces, so
 * "Don’t CALL me!!!" becomes "dont call me". Accents go from both sides alike (й → и), so
 * phrases still match exactly what they should.
 */
function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’ʼ`´‘]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
