import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cutFrames,
  decodeBase64,
  encodeBase64,
  FRAME_BYTES,
  MULAW_SILENCE,
  padFrame,
  parseTwilioMessage,
  parseTwilioMessageWithSchemas,
  serializeClear,
  serializeMark,
  serializeMedia,
  TwilioOutboundSchema,
  type TwilioProtocolError,
} from "./twilio-media";

// Messages as Twilio sends them (https://www.twilio.com/docs/voice/media-streams/websocket-messages),
// with counters as strings. Payloads are base64'd by Buffer, independent of the codec's encoder.
const STREAM = "MZ18ad3ab5a668481ce02b83e7395059f0";
const CALL = "CA3b40e9ae1c4ba8a1a1e2a6f2e21f0c5a";
// A made-up account SID, built so no scanner mistakes it for a real one.
const ACCOUNT = `AC${"0123456789abcdef".repeat(2)}`;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const FRAME = Uint8Array.from({ length: FRAME_BYTES }, (_, i) => (i * 7 + 3) & 0xff);

const start = (mediaFormat: Record<string, unknown> = { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 }, extra: Record<string, unknown> = {}) => ({
  event: "start",
  sequenceNumber: "1",
  start: { accountSid: ACCOUNT, streamSid: STREAM, callSid: CALL, tracks: ["inbound"], customParameters: { callId: "call_1", token: "t&<k>" }, mediaFormat, ...extra },
  streamSid: STREAM,
});
const media = (payload: unknown, fields: Record<string, unknown> = {}) => ({
  event: "media",
  sequenceNumber: "3",
  media: { track: "inbound", chunk: "2", timestamp: "20", payload, ...fields },
  streamSid: STREAM,
});

describe("reading Twilio's media stream", () => {
  it.each([
    { name: "connected", raw: { event: "connected", protocol: "Call", version: "1.0.0" }, message: { event: "connected", protocol: "Call", version: "1.0.0" } },
    {
      name: "start, with the stream's parameters",
      raw: start(),
      message: { event: "start", sequenceNumber: 1, streamSid: STREAM, callSid: CALL, accountSid: ACCOUNT, tracks: ["inbound"], customParameters: { callId: "call_1", token: "t&<k>" } },
    },
    {
      name: "media, with its audio decoded and counters as numbers",
      raw: media(b64(FRAME)),
      message: { event: "media", sequenceNumber: 3, streamSid: STREAM, track: "inbound", chunk: 2, timestampMs: 20, audio: FRAME },
    },
    { name: "media of any size (not a whole frame)", raw: media(b64(FRAME.subarray(0, 7))), message: { event: "media", audio: FRAME.subarray(0, 7) } },
    { name: "mark", raw: { event: "mark", sequenceNumber: "4", streamSid: STREAM, mark: { name: "utt-3" } }, message: { event: "mark", sequenceNumber: 4, streamSid: STREAM, name: "utt-3" } },
    {
      name: "dtmf",
      raw: { event: "dtmf", streamSid: STREAM, sequenceNumber: "5", dtmf: { track: "inbound_track", digit: "#" } },
      message: { event: "dtmf", sequenceNumber: 5, streamSid: STREAM, track: "inbound_track", digit: "#" },
    },
    {
      name: "stop",
      raw: { event: "stop", sequenceNumber: "6", streamSid: STREAM, stop: { accountSid: ACCOUNT, callSid: CALL } },
      message: { event: "stop", sequenceNumber: 6, streamSid: STREAM, accountSid: ACCOUNT, callSid: CALL },
    },
    { name: "a field Twilio adds later, ignored", raw: media(b64(FRAME), { future: true }), message: { event: "media", audio: FRAME } },
    { name: "start without tracks or parameters", raw: { event: "start", sequenceNumber: "1", start: { ...start().start, tracks: undefined, customParameters: undefined } }, message: { event: "start", tracks: [], customParameters: {} } },
  ])("reads $name", ({ raw, message }) => {
    const parsed = parseTwilioMessage(JSON.stringify(raw));
    expect(parsed).toMatchObject({ ok: true, message });
  });

  const refusals: { name: string; raw: string | ArrayBuffer; error: Partial<TwilioProtocolError> }[] = [
    { name: "a binary frame", raw: new Uint8Array([1, 2, 3]).buffer, error: { kind: "binary-frame", fatal: false } },
    { name: "text that is not JSON", raw: '{"event":"media",', error: { kind: "not-json", fatal: false } },
    { name: "JSON that is not a message", raw: "[1,2]", error: { kind: "invalid-message", fatal: false, event: null } },
    { name: "a message without an event", raw: JSON.stringify({ streamSid: STREAM }), error: { kind: "invalid-message", fatal: false } },
    { name: "an event we do not know (skipped, not fatal)", raw: JSON.stringify({ event: "transcription", streamSid: STREAM }), error: { kind: "unknown-event", fatal: false, event: "transcription" } },
    { name: "an inherited name as the event", raw: JSON.stringify({ event: "toString" }), error: { kind: "unknown-event", fatal: false } },
    { name: "a start in another encoding", raw: JSON.stringify(start({ encoding: "audio/l16", sampleRate: 8000, channels: 1 })), error: { kind: "unsupported-format", fatal: true, event: "start" } },
    { name: "a start at another sample rate", raw: JSON.stringify(start({ encoding: "audio/x-mulaw", sampleRate: 16000, channels: 1 })), error: { kind: "unsupported-format", fatal: true } },
    { name: "a start in stereo", raw: JSON.stringify(start({ encoding: "audio/x-mulaw", sampleRate: 8000, channels: 2 })), error: { kind: "unsupported-format", fatal: true } },
    { name: "a start without its media format", raw: JSON.stringify(start(undefined, { mediaFormat: undefined })), error: { kind: "invalid-message", fatal: true, event: "start" } },
    { name: "a start without a stream", raw: JSON.stringify({ ...start(), start: { ...start().start, streamSid: "" } }), error: { kind: "invalid-message", fatal: true } },
    { name: "media whose payload is not base64", raw: JSON.stringify(media("not base64!")), error: { kind: "bad-payload", fatal: false, event: "media" } },
    { name: "media whose payload lost its padding", raw: JSON.stringify(media(b64(FRAME.subarray(0, 5)).replace(/=+$/, ""))), error: { kind: "bad-payload", fatal: false } },
    { name: "media whose payload is not a string", raw: JSON.stringify(media(12)), error: { kind: "invalid-message", fatal: false, event: "media" } },
    { name: "media with a counter that is not a number", raw: JSON.stringify(media(b64(FRAME), { chunk: "two" })), error: { kind: "invalid-message", fatal: false } },
    { name: "media on an unknown track", raw: JSON.stringify(media(b64(FRAME), { track: "both" })), error: { kind: "invalid-message", fatal: false } },
    { name: "a mark without a name", raw: JSON.stringify({ event: "mark", sequenceNumber: "4", streamSid: STREAM, mark: {} }), error: { kind: "invalid-message", fatal: false, event: "mark" } },
    { name: "a stop without its call", raw: JSON.stringify({ event: "stop", sequenceNumber: "6", streamSid: STREAM }), error: { kind: "invalid-message", fatal: false, event: "stop" } },
  ];
  it.each(refusals)("refuses $name, saying whether the stream can go on", ({ raw, error }) => {
    const parsed = parseTwilioMessage(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatchObject(error);
  });

  it("never throws, whatever arrives on the socket", () => {
    const anyJson = fc.oneof(fc.json(), fc.jsonValue().map((value) => JSON.stringify(value)));
    const nearMisses = fc.record({
      event: fc.constantFrom("connected", "start", "media", "mark", "dtmf", "stop", "clear"),
      sequenceNumber: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
      streamSid: fc.oneof(fc.string(), fc.constant(STREAM)),
      media: fc.option(fc.record({ track: fc.string(), chunk: fc.string(), timestamp: fc.string(), payload: fc.string() })),
      start: fc.option(fc.object()),
      mark: fc.option(fc.record({ name: fc.anything() })),
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyJson, nearMisses.map((m) => JSON.stringify(m))), (text) => {
        const parsed = parseTwilioMessage(text);
        expect(typeof parsed.ok).toBe("boolean");
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it("reads media on its fast path exactly as the schemas read it, near misses included", () => {
    const counter = fc.oneof(
      fc.nat().map(String),
      fc.nat(),
      fc.constantFrom("", "0001", "1e3", "-1", " 1", "1234567890123456", "123456789012345", 1.5, -1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, null, true, "٣"),
    );
    const payload = fc.oneof(fc.uint8Array({ maxLength: 200 }).map(b64), fc.string(), fc.constantFrom("", "AA==", "AA=", "A===", " AAA", 7, null));
    const message = fc.record(
      {
        event: fc.constantFrom("media", "media", "media", "mark"),
        sequenceNumber: counter,
        streamSid: fc.oneof(fc.constant(STREAM), fc.constantFrom("", 12, null)),
        media: fc.oneof(
          fc.record({ track: fc.constantFrom("inbound", "outbound", "both", 1), chunk: counter, timestamp: counter, payload, extra: fc.anything() }, { requiredKeys: ["track", "chunk", "timestamp", "payload"] }),
          fc.record({ track: fc.constantFrom("inbound"), chunk: counter, payload }, { requiredKeys: [] }),
          fc.constantFrom(null, [], "media"),
        ),
        future: fc.anything(),
      },
      { requiredKeys: ["event", "sequenceNumber", "streamSid", "media"] },
    );
    fc.assert(
      fc.property(fc.oneof(message.map((m) => JSON.stringify(m)), fc.constant(JSON.stringify(media(b64(FRAME))))), (text) => {
        expect(parseTwilioMessage(text)).toEqual(parseTwilioMessageWithSchemas(text));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it("hands back exactly the audio Twilio sent, for any bytes and frame size", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 * FRAME_BYTES }), fc.nat({ max: 1_000_000 }), (audio, chunk) => {
        const parsed = parseTwilioMessage(JSON.stringify(media(b64(audio), { chunk: String(chunk + 1), timestamp: String(chunk * 20) })));
        expect(parsed).toMatchObject({ ok: true, message: { event: "media", chunk: chunk + 1, timestampMs: chunk * 20 } });
        if (parsed.ok && parsed.message.event === "media") expect(parsed.message.audio).toEqual(audio);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe("writing to Twilio's media stream", () => {
  it("sends audio, marks and clears in exactly the shape Twilio accepts (no extra fields)", () => {
    const messages = [serializeMedia(STREAM, FRAME), serializeMark(STREAM, 'utt-"3"'), serializeClear(STREAM)].map((text) => JSON.parse(text));
    expect(messages.map((m) => TwilioOutboundSchema.parse(m))).toEqual([
      { event: "media", streamSid: STREAM, media: { payload: b64(FRAME) } },
      { event: "mark", streamSid: STREAM, mark: { name: 'utt-"3"' } },
      { event: "clear", streamSid: STREAM },
    ]);
  });

  it("encodes audio as standard padded base64, for any length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (audio) => {
        expect(encodeBase64(audio)).toBe(b64(audio));
        expect(decodeBase64(encodeBase64(audio))).toEqual(audio);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it.each([
    ["length not a multiple of four", "QUJD="],
    ["a character outside the alphabet", "QU*D"],
    ["URL-safe characters", "-_-_"],
    ["whitespace", "QUJD QUJD"],
    ["padding in the middle", "QQ==QUJD"],
    ["three padding characters", "Q==="],
    ["a non-ASCII character", "QUJé"],
  ])("refuses base64 with %s", (_, text) => {
    expect(decodeBase64(text)).toBeNull();
  });

  it("encodes a 20 ms frame in a few microseconds (the hot path: 50 frames a second per call)", () => {
    // Best of five rounds, so a busy machine does not fail it; a slow encoder (spreading the frame
    // into String.fromCharCode, ~35 µs in workerd) does.
    const rounds = Array.from({ length: 5 }, () => {
      const started = performance.now();
      for (let i = 0; i < 2_000; i++) encodeBase64(FRAME);
      return ((performance.now() - started) * 1000) / 2_000;
    });
    expect(Math.min(...rounds)).toBeLessThan(15);
  });
});

describe("cutting audio into 20 ms frames", () => {
  it("takes whole 160-byte frames and leaves the rest for the next audio", () => {
    const audio = Uint8Array.from({ length: 2 * FRAME_BYTES + 30 }, (_, i) => i & 0xff);
    const { frames, rest } = cutFrames(audio);
    expect(frames.map((f) => f.length)).toEqual([FRAME_BYTES, FRAME_BYTES]);
    expect(frames[1]).toEqual(audio.subarray(FRAME_BYTES, 2 * FRAME_BYTES));
    expect(rest).toEqual(audio.subarray(2 * FRAME_BYTES));
    expect(cutFrames(new Uint8Array(0))).toEqual({ frames: [], rest: new Uint8Array(0) });
  });

  it("keeps every byte in order however the audio arrives", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 500 }), { maxLength: 8 }), (chunks) => {
        let carry: Uint8Array = new Uint8Array(0);
        const sent: Uint8Array[] = [];
        for (const chunk of chunks) {
          const joined = new Uint8Array(carry.length + chunk.length);
          joined.set(carry);
          joined.set(chunk, carry.length);
          const { frames, rest } = cutFrames(joined);
          sent.push(...frames);
          carry = rest;
        }
        expect(sent.every((f) => f.length === FRAME_BYTES)).toBe(true);
        expect(Buffer.concat([...sent, carry])).toEqual(Buffer.concat(chunks));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("pads the last short piece with μ-law silence", () => {
    const frame = padFrame(Uint8Array.of(1, 2, 3));
    expect(frame.length).toBe(FRAME_BYTES);
    expect([...frame.subarray(0, 4)]).toEqual([1, 2, 3, MULAW_SILENCE]);
    expect(frame.subarray(3).every((b) => b === MULAW_SILENCE)).toBe(true);
  });
});
