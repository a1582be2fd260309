import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseServerMessage } from "./messages";

/** A Results message as Deepgram's live API documents it (fields we do not read included). */
function results(fields: { transcript: string; start?: number; duration?: number; is_final: boolean; speech_final: boolean; from_finalize?: boolean }) {
  return JSON.stringify({
    type: "Results",
    channel_index: [0, 1],
    duration: fields.duration ?? 1.2,
    start: fields.start ?? 0.5,
    is_final: fields.is_final,
    speech_final: fields.speech_final,
    from_finalize: fields.from_finalize ?? false,
    channel: { alternatives: [{ transcript: fields.transcript, confidence: 0.98, words: [] }] },
    metadata: { request_id: "7a1c…", model_info: { name: "general-nova-3", version: "2025-01-01", arch: "nova-3" }, model_uuid: "e1f…" },
  });
}

describe("reading Deepgram's live messages", () => {
  it("reads each message type into the port's events, times in ms", () => {
    expect(parseServerMessage(JSON.stringify({ type: "SpeechStarted", channel: [0, 1], timestamp: 1.23 }))).toEqual({ kind: "events", events: [{ type: "speech-started", atMs: 1230 }] });
    expect(parseServerMessage(results({ transcript: "Hello, I", is_final: false, speech_final: false }))).toEqual({ kind: "events", events: [{ type: "interim", text: "Hello, I" }] });
    expect(parseServerMessage(results({ transcript: "Hello, I would.", start: 0.5, duration: 1.2, is_final: true, speech_final: true }))).toEqual({
      kind: "events",
      events: [{ type: "final", text: "Hello, I would.", endOfTurn: true, startMs: 500, endMs: 1700 }],
    });
    expect(parseServerMessage(JSON.stringify({ type: "UtteranceEnd", channel: [0, 1], last_word_end: 2.05 }))).toEqual({ kind: "events", events: [{ type: "utterance-end", lastWordEndMs: 2050 }] });
    expect(parseServerMessage(JSON.stringify({ type: "Metadata", request_id: "r1", duration: 3 }))).toEqual({ kind: "events", events: [] });
  });

  it("drops empty results, except a final that ends the turn or answers Finalize", () => {
    expect(parseServerMessage(results({ transcript: "", is_final: false, speech_final: false }))).toEqual({ kind: "events", events: [] });
    expect(parseServerMessage(results({ transcript: " ", is_final: true, speech_final: false }))).toEqual({ kind: "events", events: [] });
    expect(parseServerMessage(results({ transcript: "", is_final: true, speech_final: true }))).toMatchObject({ events: [{ type: "final", text: "", endOfTurn: true }] });
    expect(parseServerMessage(results({ transcript: "", is_final: true, speech_final: false, from_finalize: true }))).toMatchObject({ events: [{ type: "final", text: "", endOfTurn: false }] });
  });

  it("skips message types it does not know, and reports a known one with the wrong shape", () => {
    expect(parseServerMessage(JSON.stringify({ type: "SomethingNew", detail: 1 }))).toEqual({ kind: "unknown", type: "SomethingNew" });
    expect(parseServerMessage("not json")).toEqual({ kind: "unknown", type: null });
    expect(parseServerMessage(JSON.stringify({ type: "Results", is_final: true }))).toMatchObject({ kind: "malformed", type: "Results" });
  });

  it("never throws on any text, and reads any well-formed Results consistently", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => JSON.stringify({ type: "Results", ...(typeof value === "object" && value !== null && !Array.isArray(value) ? value : { value }) }))), (text) => {
        expect(["events", "unknown", "malformed"]).toContain(parseServerMessage(text).kind);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ transcript: fc.string(), start: fc.double({ min: 0, max: 3600, noNaN: true }), duration: fc.double({ min: 0, max: 60, noNaN: true }), is_final: fc.boolean(), speech_final: fc.boolean(), from_finalize: fc.boolean() }),
        (message) => {
          const parsed = parseServerMessage(results(message));
          if (parsed.kind !== "events") throw new Error(`not read: ${JSON.stringify(parsed)}`);
          const text = message.transcript.trim();
          const [event, ...rest] = parsed.events;
          expect(rest).toEqual([]);
          if (!message.is_final) {
            expect(event).toEqual(text === "" ? undefined : { type: "interim", text });
          } else if (text === "" && !message.speech_final && !message.from_finalize) {
            expect(event).toBeUndefined();
          } else {
            expect(event).toMatchObject({ type: "final", text, endOfTurn: message.speech_final });
            if (event?.type === "final") expect(event.endMs).toBeGreaterThanOrEqual(event.startMs);
          }
        },
      ),
    );
  });
});
