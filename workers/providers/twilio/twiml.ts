import type { VoiceLanguage } from "../voice-ports";

/**
 * The two TwiML documents a call needs, built as strings: the SDK's builder would bring the SDK.
 * Twilio refuses a `Twiml` parameter over 4,000 characters (error 12100), so keep parameters short.
 */

export interface StreamTwimlOptions {
  /** `wss://…` (`ws://` locally). Twilio drops a query string: pass what the socket needs as parameters. */
  streamUrl: string;
  /** Arrive in the stream's `start` message as `customParameters`. */
  parameters?: Record<string, string>;
  /** Where Twilio posts `stream-started` / `stream-stopped` / `stream-error`. */
  statusCallbackUrl?: string;
}

/**
 * Connects the answered call to our media socket as a bidirectional stream. Nothing follows the
 * `<Connect>`: when the socket closes the TwiML runs out and Twilio ends the call.
 * https://www.twilio.com/docs/voice/twiml/stream
 */
export function connectStreamTwiml(options: StreamTwimlOptions): string {
  const url = new URL(options.streamUrl);
  if (url.protocol !== "wss:" && url.protocol !== "ws:") throw new TypeError(`A media stream URL is wss:// (or ws://), not ${url.protocol}`);
  if (url.search !== "") throw new TypeError("Twilio does not pass a stream URL's query string on: use parameters");
  const callback = options.statusCallbackUrl === undefined ? "" : ` statusCallback="${escapeXml(options.statusCallbackUrl)}" statusCallbackMethod="POST"`;
  const parameters = Object.entries(options.parameters ?? {})
    .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
    .join("");
  return `<Response><Connect><Stream url="${escapeXml(options.streamUrl)}"${callback}>${parameters}</Stream></Connect></Response>`;
}

/**
 * Twilio's voice for each language we speak. `<Say>` fails on a voice and language that do not go
 * together, and the default voice ("man") has no Ukrainian, hence a named voice per language.
 * https://www.twilio.com/docs/voice/twiml/say/text-speech#available-voices-and-languages
 */
const SAY_VOICES: Record<VoiceLanguage, { language: string; voice: string }> = {
  uk: { language: "uk-UA", voice: "Google.uk-UA-Standard-A" },
  "uk-en": { language: "uk-UA", voice: "Google.uk-UA-Standard-A" },
  en: { language: "en-US", voice: "Polly.Joanna" },
  de: { language: "de-DE", voice: "Polly.Vicki" },
  pl: { language: "pl-PL", voice: "Polly.Ewa" },
  fr: { language: "fr-FR", voice: "Polly.Celine" },
  es: { language: "es-ES", voice: "Polly.Conchita" },
};

/** Says `text` (a voicemail message, a goodbye) and hangs up: what `updateCall` swaps in. */
export function sayAndHangUpTwiml(text: string, language: VoiceLanguage, voice?: string): string {
  const say = SAY_VOICES[language];
  return `<Response><Say voice="${escapeXml(voice ?? say.voice)}" language="${say.language}">${escapeXml(text)}</Say><Hangup/></Response>`;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe inside an element or a quoted attribute; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
