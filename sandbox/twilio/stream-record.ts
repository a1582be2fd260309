import type { StreamRecord } from "./call-record";
import { sid } from "./ids";
import type { StreamVerb } from "./twiml";

/**
 * A `<Connect><Stream>` checked as Twilio checks it before dialling the app's socket: an absolute
 * wss:// URL (ws:// accepted locally) without a query string (dropped, with a warning). Gives the
 * stream's fresh record, or the error Twilio would log instead of connecting.
 */
export function openStreamRecord(stream: StreamVerb["stream"], random: () => number): { record: StreamRecord; warning: string | null } | { issue: string } {
  let url: URL;
  try {
    url = new URL(stream.url);
  } catch {
    return { issue: `31920: <Stream> url ${stream.url} is not an absolute URL` };
  }
  if (url.protocol !== "wss:" && url.protocol !== "ws:") return { issue: `31922: <Stream> url scheme ${url.protocol} is not supported (wss; ws:// accepted locally)` };
  let warning: string | null = null;
  if (url.search) {
    // Twilio does not support a query string on the stream URL; callers see it dropped.
    warning = `31920: <Stream> url ${stream.url} has a query string; dropped (use <Parameter>)`;
    url.search = "";
  }
  return {
    warning,
    record: {
      url: url.toString(),
      name: stream.name,
      streamSid: sid("MZ", random),
      customParameters: { ...stream.parameters },
      connectedAtMs: null,
      mediaStartMs: null,
      stoppedAtMs: null,
      endedBy: null,
      closeCode: null,
      error: null,
      sent: { connected: 0, start: 0, media: 0, mark: 0, stop: 0 },
      received: { media: 0, mark: 0, clear: 0 },
      receivedAudioBytes: 0,
    },
  };
}
