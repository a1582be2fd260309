import { describe, expect, it } from "vitest";
import { isOptOut } from "./index";

describe("opt-out replies", () => {
  it.each([
    "STOP",
    "stop.",
    "Stop please",
    "STOP STOP STOP!!!",
    "Unsubscribe",
    "please unsubscribe me from this list",
    "Remove me from your list",
    "Don't call me again",
    "Don’t call me",
    "dont call me",
    "DO NOT CALL",
    "Stop messaging me, thanks",
    "Please stop texting me.",
    "I want to opt-out",
    "Leave me alone!",
    "Не пишіть мені більше",
    "не дзвоніть",
    "НЕ ДЗВОНІТЬ!!!",
    "Хочу відписатися",
    "Відпишіть мене, будь ласка",
    "Стоп",
    "стоп, будь ласка",
    "Видаліть мій номер з бази",
    "Не турбуйте мене",
    "Не пишите мне",
    "Отпишите меня",
  ])("%j asks us to stop", (reply) => {
    expect(isOptOut(reply)).toBe(true);
  });

  it.each([
    "I lost my stopwatch at your office",
    "Don't stop, this sounds great",
    "We run a non-stop delivery service",
    "Could you stop by our office on Tuesday?",
    "Please call me tomorrow",
    "Call me at 10",
    "Can you remove the setup fee?",
    "Please remove meetings on Friday from the invite",
    "Removed the old contact, use this one",
    "Пишіть мені в телеграм",
    "Не знаю, напишіть пізніше",
    "Зателефонуйте після обіду",
    "Стопка документів на столі",
    "",
    "   !!! ",
  ])("%j does not", (reply) => {
    expect(isOptOut(reply)).toBe(false);
  });

  it("checks the reply's language and English, and Russian with Ukrainian", () => {
    expect(isOptOut("STOP", "uk")).toBe(true);
    expect(isOptOut("Bitte austragen", "de")).toBe(true);
    expect(isOptOut("Stopp", "de")).toBe(true);
    expect(isOptOut("Nie dzwońcie do mnie", "pl")).toBe(true);
    expect(isOptOut("Ne m'appelez plus", "fr")).toBe(true);
    expect(isOptOut("Por favor, no me llamen", "es")).toBe(true);
    expect(isOptOut("Отпишите меня", "uk-en")).toBe(true);
    expect(isOptOut("не пишіть", "en")).toBe(false);
  });

  it("matches without the accents a phone keyboard may drop", () => {
    expect(isOptOut("ne m'appelez plus", "fr")).toBe(true);
    expect(isOptOut("desabonner", "fr")).toBe(true);
  });
});
