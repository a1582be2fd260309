import { z } from "zod";

/**
 * Twilio Media Streams on a bidirectional `<Connect><Stream>` socket: the only code that knows
 * Twilio's JSON. Inbound messages become typed values with their audio decoded; outbound ones are
 * built here. Pure: no I/O, never throws on what Twilio (or anyone) sends.
 * https://www.twilio.com/docs/voice/media-streams/websocket-messages
 *
 * What the CallSession relies on (from that page and the stand-in in sandbox/twilio):
 * - Inbound `media` carries the callee's audio, μ-law 8 kHz mono, every 20 ms (160 bytes), silence
 *   included. `chunk` counts from 1; `timestamp` is ms from the stream's start.
 * - Outbound `media` is queued by Twilio and played in order in real time; any size is accepted.
 * - An outbound `mark` comes back (same name) once everything queued before it has played, at once
 *   when nothing is queued. `clear` drops the unplayed audio and sends back every pending mark at
 *   once, so a mark's echo means "played or dropped", never "heard".
 * - A message with an unknown event, a missing or extra field, bad base64 or another stream's
 *   `streamSid` is ignored by Twilio (warning 31951); a binary frame too (31950).
 */

/** 20 ms of μ-law at 8 kHz: the frame Twilio sends, and the unit we send in. */
export const FRAME_BYTES = 160;
export const FRAME_MS = 20;
/** μ-law's zero level (0xFF, "negative zero"). */
export const MULAW_SILENCE = 0xff;
export const TWILIO_MEDIA_FORMAT = { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } as const;

// ── Inbound ─────────────────────────────────────────────────────────────────────────────────

export type TwilioInbound =
  | { event: "connected"; protocol: string; version: string }
  | {
      event: "start";
      sequenceNumber: number;
      streamSid: string;
      callSid: string;
      accountSid: string;
      tracks: string[];
      /** The `<Parameter>`s of the `<Stream>`: how the socket learns whose call it carries. */
      customParameters: Record<string, string>;
    }
  | { event: "media"; sequenceNumber: number; streamSid: string; track: "inbound" | "outbound"; chunk: number; timestampMs: number; audio: Uint8Array }
  | { event: "mark"; sequenceNumber: number; streamSid: string; name: string }
  | { event: "dtmf"; sequenceNumber: number; streamSid: string; track: string; digit: string }
  | { event: "stop"; sequenceNumber: number; streamSid: string; accountSid: string; callSid: string };

export interface TwilioProtocolError {
  kind: "binary-frame" | "not-json" | "unknown-event" | "invalid-message" | "unsupported-format" | "bad-payload";
  /** The stream cannot go on (no usable `start`, or audio we cannot read): close it. Otherwise skip the message. */
  fatal: boolean;
  event: string | null;
  detail: string;
}

export type ParsedTwilioMessage = { ok: true; message: TwilioInbound } | { ok: false; error: TwilioProtocolError };

// Twilio sends counters as strings ("sequenceNumber": "2"); numbers are accepted too.
const Count = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.number().int().nonnegative()]); // as count() below
const Text = z.string().min(1);

// Objects, not strict: Twilio adds fields over time, and an extra one must not drop the audio.
const schemas = {
  connected: z.object({ protocol: z.string(), version: z.string() }),
  start: z.object({
    sequenceNumber: Count,
    start: z.object({
      streamSid: Text,
      accountSid: Text,
      callSid: Text,
      tracks: z.array(z.string()).default([]),
      customParameters: z.record(z.string(), z.string()).default({}),
      mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }),
    }),
  }),
  media: z.object({
    sequenceNumber: Count,
    streamSid: Text,
    media: z.object({ track: z.enum(["inbound", "outbound"]), chunk: Count, timestamp: Count, payload: z.string() }),
  }),
  mark: z.object({ sequenceNumber: Count, streamSid: Text, mark: z.object({ name: z.string() }) }),
  dtmf: z.object({ sequenceNumber: Count, streamSid: Text, dtmf: z.object({ track: z.string(), digit: Text }) }),
  stop: z.object({ sequenceNumber: Count, streamSid: Text, stop: z.object({ accountSid: Text, callSid: Text }) }),
};

const Head = z.object({ event: z.string() });
type KnownEvent = keyof typeof schemas;
const isKnown = (event: string): event is KnownEvent => Object.hasOwn(schemas, event);

/** One WebSocket message from Twilio: a typed message, or why it cannot be used. Never throws. */
export function parseTwilioMessage(data: string | ArrayBuffer | ArrayBufferView): ParsedTwilioMessage {
  return parse(data, true);
}

/**
 * The same reading with every message through its schema, the media fast path left out: the
 * reference that path is held to (twilio-media.test.ts).
 */
export function parseTwilioMessageWithSchemas(data: string | ArrayBuffer | ArrayBufferView): ParsedTwilioMessage {
  return parse(data, false);
}

function parse(data: string | ArrayBuffer | ArrayBufferView, fast: boolean): ParsedTwilioMessage {
  if (typeof data !== "string") return fail("binary-frame", false, null, "Media Streams messages are JSON text");
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return fail("not-json", false, null, "not JSON");
  }
  if (fast) {
    const media = quickMedia(json);
    if (media) return media;
  }
  const head = Head.safeParse(json);
  if (!head.success) return fail("invalid-message", false, null, "not an object with an event");
  const { event } = head.data;
  if (!isKnown(event)) return fail("unknown-event", false, event, `unknown event ${JSON.stringify(event.slice(0, 40))}`);
  return read(event, json);
}

function read(event: KnownEvent, json: unknown): ParsedTwilioMessage {
  // Without a readable start there is no stream to speak to.
  const invalid = (error: z.ZodError) => fail("invalid-message", event === "start", event, z.prettifyError(error));
  switch (event) {
    case "connected": {
      const parsed = schemas.connected.safeParse(json);
      return parsed.success ? ok({ event, ...parsed.data }) : invalid(parsed.error);
    }
    case "start": {
      const parsed = schemas.start.safeParse(json);
      if (!parsed.success) return invalid(parsed.error);
      const { sequenceNumber, start } = parsed.data;
      const { encoding, sampleRate, channels } = start.mediaFormat;
      if (encoding !== TWILIO_MEDIA_FORMAT.encoding || sampleRate !== TWILIO_MEDIA_FORMAT.sampleRate || channels !== TWILIO_MEDIA_FORMAT.channels) {
        return fail("unsupported-format", true, event, `audio is ${encoding} ${sampleRate} Hz × ${channels}; only audio/x-mulaw 8000 Hz mono is understood`);
      }
      const { streamSid, callSid, accountSid, tracks, customParameters } = start;
      return ok({ event, sequenceNumber, streamSid, callSid, accountSid, tracks, customParameters });
    }
    case "media": {
      const parsed = schemas.media.safeParse(json);
      if (!parsed.success) return invalid(parsed.error);
      const { sequenceNumber, streamSid, media } = parsed.data;
      // Any size is taken: Twilio sends 160-byte frames, but nothing downstream needs whole ones.
      const audio = decodeBase64(media.payload);
      if (audio === null) return fail("bad-payload", false, event, "media.payload is not base64");
      return ok({ event, sequenceNumber, streamSid, track: media.track, chunk: media.chunk, timestampMs: media.timestamp, audio });
    }
    case "mark": {
      const parsed = schemas.mark.safeParse(json);
      return parsed.success ? ok({ event, sequenceNumber: parsed.data.sequenceNumber, streamSid: parsed.data.streamSid, name: parsed.data.mark.name }) : invalid(parsed.error);
    }
    case "dtmf": {
      const parsed = schemas.dtmf.safeParse(json);
      return parsed.success ? ok({ event, sequenceNumber: parsed.data.sequenceNumber, streamSid: parsed.data.streamSid, ...parsed.data.dtmf }) : invalid(parsed.error);
    }
    case "stop": {
      const parsed = schemas.stop.safeParse(json);
      return parsed.success ? ok({ event, sequenceNumber: parsed.data.sequenceNumber, streamSid: parsed.data.streamSid, ...parsed.data.stop }) : invalid(parsed.error);
    }
  }
}

/**
 * A well-formed inbound `media` message, read without zod: it comes 50 times a second per call,
 * and the schema's parse was most of what reading one cost. The same checks as `schemas.media`
 * written out; anything short of them (or a payload that is not base64) gives null, and the
 * schema path then reads the message and says what is wrong.
 */
function quickMedia(json: unknown): ParsedTwilioMessage | null {
  if (typeof json !== "object" || json === null || !("event" in json) || json.event !== "media") return null;
  if (!("sequenceNumber" in json) || !("streamSid" in json) || !("media" in json)) return null;
  const { sequenceNumber, streamSid, media } = json;
  if (typeof streamSid !== "string" || streamSid === "" || typeof media !== "object" || media === null || Array.isArray(media)) return null;
  if (!("track" in media) || !("chunk" in media) || !("timestamp" in media) || !("payload" in media)) return null;
  const { track, chunk, timestamp, payload } = media;
  if ((track !== "inbound" && track !== "outbound") || typeof payload !== "string") return null;
  const sequence = count(sequenceNumber);
  const chunkCount = count(chunk);
  const timestampMs = count(timestamp);
  if (sequence === null || chunkCount === null || timestampMs === null) return null;
  const audio = decodeBase64(payload);
  if (audio === null) return null;
  return ok({ event: "media", sequenceNumber: sequence, streamSid, track, chunk: chunkCount, timestampMs, audio });
}

const DIGITS = /^\d{1,15}$/;

/** `Count` without zod: a string of 1–15 digits, or a non-negative safe integer (zod's `int()`). */
function count(value: unknown): number | null {
  if (typeof value === "string") return DIGITS.test(value) ? Number(value) : null;
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

const ok = (message: TwilioInbound): ParsedTwilioMessage => ({ ok: true, message });
const fail = (kind: TwilioProtocolError["kind"], fatal: boolean, event: string | null, detail: string): ParsedTwilioMessage => ({ ok: false, error: { kind, fatal, event, detail } });

// ── Outbound ────────────────────────────────────────────────────────────────────────────────

/**
 * What Twilio accepts from us, exactly: strict, because Twilio ignores a message with an extra
 * field. For tests and for anything that relays messages built elsewhere.
 */
export const TwilioOutboundSchema = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("media"), streamSid: Text, media: z.strictObject({ payload: z.string() }) }),
  z.strictObject({ event: z.literal("mark"), streamSid: Text, mark: z.strictObject({ name: z.string() }) }),
  z.strictObject({ event: z.literal("clear"), streamSid: Text }),
]);
export type TwilioOutbound = z.infer<typeof TwilioOutboundSchema>;

/** μ-law 8 kHz audio for Twilio to play after what it already holds. No file header: raw bytes only. */
export function serializeMedia(streamSid: string, audio: Uint8Array): string {
  // Built by hand: this runs 50 times a second per call, and base64 needs no JSON escaping.
  return `{"event":"media","streamSid":${JSON.stringify(streamSid)},"media":{"payload":"${encodeBase64(audio)}"}}`;
}

/** Comes back as a `mark` with this name once the audio sent before it has played (or was cleared). */
export function serializeMark(streamSid: string, name: string): string {
  return JSON.stringify({ event: "mark", streamSid, mark: { name } });
}

/** Drops everything not yet played (barge-in); Twilio then echoes every pending mark. */
export function serializeClear(streamSid: string): string {
  return JSON.stringify({ event: "clear", streamSid });
}

// ── Frames ──────────────────────────────────────────────────────────────────────────────────

/**
 * The whole 20 ms frames of `audio` (views into it, not copies) and the bytes left over, which the
 * caller puts in front of the next audio so no silence is inserted mid-word.
 */
export function cutFrames(audio: Uint8Array): { frames: Uint8Array[]; rest: Uint8Array } {
  const whole = audio.length - (audio.length % FRAME_BYTES);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < whole; at += FRAME_BYTES) frames.push(audio.subarray(at, at + FRAME_BYTES));
  return { frames, rest: audio.subarray(whole) };
}

/** The last, short piece of an utterance as a whole frame, padded with silence. */
export function padFrame(partial: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);
  frame.set(partial.subarray(0, FRAME_BYTES));
  return frame;
}

// ── Base64 ──────────────────────────────────────────────────────────────────────────────────
// Table-driven rather than btoa/atob: btoa needs a binary string built first and atob a copy back
// out, and atob is lenient (whitespace, missing padding) where Twilio's payload is strict base64.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Two base64 characters for every 12-bit value: three bytes become two lookups. */
const PAIRS: readonly string[] = Array.from({ length: 4096 }, (_, i) => ALPHABET.charAt(i >> 6) + ALPHABET.charAt(i & 63));
/** Character code → 6-bit value, or -1. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // "="

export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const whole = n - (n % 3);
  let out = "";
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += PAIRS[v >> 12]! + PAIRS[v & 0xfff]!;
  }
  if (n - whole === 1) {
    const v = bytes[whole]! << 4;
    out += `${PAIRS[v]!}==`;
  } else if (n - whole === 2) {
    const v = (bytes[whole]! << 10) | (bytes[whole + 1]! << 2);
    out += `${PAIRS[v >> 6]!}${ALPHABET.charAt(v & 63)}=`;
  }
  return out;
}

/** Strict standard base64 (padded, no whitespace) → bytes; null when it is not. */
export function decodeBase64(text: string): Uint8Array | null {
  const n = text.length;
  if (n % 4 !== 0) return null;
  if (n === 0) return new Uint8Array(0);
  const pad = text.charCodeAt(n - 1) !== PAD ? 0 : text.charCodeAt(n - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  const full = pad === 0 ? n : n - 4;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (pad > 0) {
    const a = sextet(text, full);
    const b = sextet(text, full + 1);
    const c = pad === 1 ? sextet(text, full + 2) : 0;
    if ((a | b | c) < 0) return null;
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o++] = v >> 16;
    if (pad === 1) out[o] = (v >> 8) & 0xff;
  }
  return out;
}

/** 0–63, or -1 for a character outside the alphabet (padding included). */
function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? VALUES[code]! : -1;
}
