import { describe, expect, it } from "vitest";
import { encodeSpeech, heardText, silence, speechMs, SpeechDecoder, toFrames, FRAME_BYTES } from "./codec";

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

describe("sandbox speech codec", () => {
  it("reads the words back from audio cut into any chunks, with audio-time offsets", () => {
    const text = "Так, мені цікаво. Tell me more";
    const audio = concat(silence(200), encodeSpeech(text), silence(500));
    for (const size of [1, 7, FRAME_BYTES, 4096]) {
      const decoder = new SpeechDecoder();
      const events = [];
      for (let i = 0; i < audio.length; i += size) events.push(...decoder.push(audio.subarray(i, i + size)));
      expect(events.map((e) => e.type)).toEqual(["speech-start", "text", "speech-end"]);
      expect(events[0]).toEqual({ type: "speech-start", atMs: 200 });
      expect(events[1]).toMatchObject({ text, startMs: 200 });
      expect(events[2]).toMatchObject({ text, atMs: 200 + speechMs(text) });
    }
  });

  it("lasts as long as saying it takes and pads frames with silence", () => {
    expect(encodeSpeech("hello there").length).toBe(speechMs("hello there") * 8);
    const frames = toFrames(encodeSpeech("hi"));
    expect(frames.every((f) => f.length === FRAME_BYTES)).toBe(true);
  });

  it("tells what a listener heard of an utterance that was cut off", () => {
    const text = "one two three four";
    expect(heardText(text, speechMs(text))).toBe(text);
    expect(heardText(text, 7 * 70)).toBe("one two");
    expect(heardText(text, 0)).toBe("");
  });
});
