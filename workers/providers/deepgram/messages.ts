import { z } from "zod";
import type { SttEvent } from "../voice-ports";

/**
 * Deepgram's live (`/v1/listen`) server messages, read with zod, and what each means as a port
 * event. Only the fields we use are required, so a field Deepgram adds or drops elsewhere in a
 * message never costs us a transcript.
 * https://developers.deepgram.com/docs/live-streaming-audio (Results, SpeechStarted, UtteranceEnd, Metadata)
 */

/** Times in Deepgram's messages are seconds of audio since the stream's first byte. */
const seconds = z.number().nonnegative();

const Results = z.object({
  type: z.literal("Results"),
  start: seconds,
  duration: seconds,
  is_final: z.boolean(),
  /** The speaker paused for `endpointing` ms: the end of their turn. */
  speech_final: z.boolean(),
  /** The answer to our `Finalize`; absent from older messages. */
  from_finalize: z.boolean().optional(),
  channel: z.object({ alternatives: z.array(z.object({ transcript: z.string() })) }),
});

const SpeechStarted = z.object({ type: z.literal("SpeechStarted"), timestamp: seconds });

const UtteranceEnd = z.object({ type: z.literal("UtteranceEnd"), last_word_end: seconds });

/** Sent once after `CloseStream`; it says nothing the port carries. */
const Metadata = z.object({ type: z.literal("Metadata"), request_id: z.string() });

const ServerMessage = z.discriminatedUnion("type", [Results, SpeechStarted, UtteranceEnd, Metadata]);
const KNOWN_TYPES: ReadonlySet<string> = new Set(["Results", "SpeechStarted", "UtteranceEnd", "Metadata"]);
const Typed = z.object({ type: z.string() });

export type ParsedMessage =
  /** A known message, as zero or more port events. */
  | { kind: "events"; events: SttEvent[] }
  /** A message type this adapter does not know (Deepgram adds them): skipped. */
  | { kind: "unknown"; type: string | null }
  /** A known type that does not have the shape Deepgram documents. */
  | { kind: "malformed"; type: string; issue: string };

const ms = (s: number): number => Math.round(s * 1000);

/** One text frame from Deepgram, read into port events. Never throws. */
export function parseServerMessage(text: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "unknown", type: null };
  }
  const typed = Typed.safeParse(json);
  if (!typed.success) return { kind: "unknown", type: null };
  if (!KNOWN_TYPES.has(typed.data.type)) return { kind: "unknown", type: typed.data.type };
  const parsed = ServerMessage.safeParse(json);
  if (!parsed.success) return { kind: "malformed", type: typed.data.type, issue: z.prettifyError(parsed.error) };
  return { kind: "events", events: toEvents(parsed.data) };
}

function toEvents(message: z.infer<typeof ServerMessage>): SttEvent[] {
  switch (message.type) {
    case "SpeechStarted":
      return [{ type: "speech-started", atMs: ms(message.timestamp) }];
    case "UtteranceEnd":
      return [{ type: "utterance-end", lastWordEndMs: ms(message.last_word_end) }];
    case "Metadata":
      return [];
    case "Results": {
      const text = message.channel.alternatives[0]?.transcript.trim() ?? "";
      if (!message.is_final) return text === "" ? [] : [{ type: "interim", text }];
      // Deepgram also finalises windows of silence with an empty transcript; those say nothing,
      // unless they end the turn or answer our Finalize (the caller is waiting for that one).
      if (text === "" && !message.speech_final && !message.from_finalize) return [];
      return [{ type: "final", text, endOfTurn: message.speech_final, startMs: ms(message.start), endMs: ms(message.start + message.duration) }];
    }
  }
}
