import type { LANGUAGES } from "../../../drizzle/schema/enums";

export type Language = (typeof LANGUAGES)[number];
export type PhraseLanguage = Exclude<Language, "uk-en"> | "ru";

/**
 * Replies that withdraw consent, per language. Phrases match as whole words anywhere in a reply.
 * Bare keywords ("stop", "стоп") match only when they are the whole reply, give or take a
 * "please": carriers read SMS keywords the same way, and "don't stop", "stop by our office" or
 * "non-stop" are not requests to be left alone. Matching ignores case, accents, punctuation and
 * apostrophes, so "Don’t call me!!" and "dont call me" are the same phrase.
 *
 * Russian is listed because many Ukrainian leads answer in it; it is checked with Ukrainian.
 */
export const OPT_OUT_PHRASES: Readonly<Record<PhraseLanguage, { phrases: readonly string[]; keywords: readonly string[] }>> = {
  en: {
    phrases: [
      "unsubscribe", "opt out", "opt me out", "optout", "remove me", "take me off", "do not contact", "don't contact me",
      "do not call", "don't call me", "don't call again", "stop calling", "stop texting", "stop messaging",
      "stop emailing", "stop writing", "stop contacting", "stop spamming", "stop sending", "leave me alone",
      "no more messages", "no more emails", "no more calls", "do not message", "don't message me",
      "don't text me", "don't email me", "don't write to me", "lose my number", "delete my number",
    ],
    keywords: ["stop", "stopall", "end", "quit", "cancel", "unsub"],
  },
  uk: {
    phrases: [
      "не пишіть", "не пиши", "не пишіть мені", "не дзвоніть", "не дзвони", "не телефонуйте", "не турбуйте",
      "не турбуй", "відписатися", "відписатись", "відпишіть", "відпиши", "відпишіть мене", "видаліть мене",
      "видаліть мій номер", "видаліть мої дані", "припиніть писати", "припиніть дзвонити", "досить писати",
      "досить дзвонити", "більше не пишіть", "більше не дзвоніть", "дайте спокій",
    ],
    keywords: ["стоп", "відписка", "зупиніть", "припиніть", "досить"],
  },
  ru: {
    phrases: [
      "не пишите", "не звоните", "не беспокойте", "отписаться", "отпишите", "отпишите меня", "удалите меня",
      "удалите мой номер", "хватит писать", "хватит звонить", "прекратите писать", "прекратите звонить",
      "оставьте меня в покое",
    ],
    keywords: ["стоп", "отписка", "хватит", "прекратите"],
  },
  de: {
    phrases: ["abmelden", "austragen", "nicht mehr kontaktieren", "nicht mehr anrufen", "nicht anrufen", "keine e-mails mehr", "keine nachrichten mehr", "lassen sie mich in ruhe"],
    keywords: ["stopp", "stop"],
  },
  pl: {
    phrases: ["wypisz mnie", "wypisać", "nie dzwoń", "nie dzwońcie", "nie pisz", "nie piszcie", "usuń mnie", "usuńcie mnie", "rezygnuję", "proszę nie kontaktować"],
    keywords: ["stop"],
  },
  fr: {
    phrases: ["désabonner", "me désabonner", "désinscrire", "me désinscrire", "ne m'appelez plus", "ne plus me contacter", "ne me contactez plus", "arrêtez de m'écrire", "arrêtez de m'appeler", "retirez-moi"],
    keywords: ["stop", "arrêt", "arrêtez"],
  },
  es: {
    phrases: ["darme de baja", "dar de baja", "dame de baja", "no me llames", "no me llamen", "no me escribas", "no me escriban", "no me contacten", "no me contactes", "déjame en paz"],
    keywords: ["stop", "baja", "alto"],
  },
};

/** Words a bare keyword may come with and still be the whole reply ("Stop please", "СТОП!!! будь ласка"). */
export const COURTESY_WORDS: readonly string[] = ["please", "pls", "now", "будь ласка", "пожалуйста", "bitte", "proszę", "s'il vous plaît", "por favor"];
