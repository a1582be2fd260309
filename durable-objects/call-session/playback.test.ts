import { describe, expect, it } from "vitest";
import { Playback, wholeWordsSpoken } from "./playback";

describe("what a voice that stopped early got out", () => {
  const text = "Great to hear. We help sales teams call every lead.";
  it.each([
    [0, ""],
    [4, ""], // "Grea": a word cut off was not heard
    [5, "Great"],
    [7, "Great to"],
    [11, "Great to"],
    [12, "Great to hear."],
    // Alignment leaves out the space between two generations; counting characters does not care.
    [15, "Great to hear. We"],
    [1_000, text],
  ])("%i characters of it: %j", (chars, expected) => {
    expect(wholeWordsSpoken(text, chars)).toBe(expected);
  });

  it("counts the characters the provider aligned with the audio, whitespace aside", () => {
    const playback = new Playback(() => 0);
    playback.frames(new Uint8Array(400), "Great to h");
    playback.frames(new Uint8Array(400), "ear.");
    playback.frames(new Uint8Array(400), null);
    playback.frames(new Uint8Array(400), "We he");
    expect(playback.spokenChars).toBe(16);
    expect(wholeWordsSpoken(text, playback.spokenChars)).toBe("Great to hear. We");
  });
});
