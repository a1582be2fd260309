import { createRequire } from "node:module";
import type { RawData } from "ws";
import type WebSocketClass from "ws";

// Loaded with require: the Workers test plugin resolves imports with the "browser" condition, where
// `ws` exports a stub that throws, even for a sandbox that a globalSetup runs in Node.
const WebSocket: typeof WebSocketClass = createRequire(import.meta.url)("ws");
type WebSocket = WebSocketClass;
import type { ProtocolError } from "./call-record";
import { signTwilioRequest } from "./signature";

/**
 * Twilio's side of a bidirectional Media Stream (`<Connect><Stream>`), as a WebSocket client:
 * https://www.twilio.com/docs/voice/media-streams/websocket-messages
 *
 *   → connected  {event, protocol: "Call", version: "1.0.0"}
 *   → start      {event, sequenceNumber: "1", start: {accountSid, streamSid, callSid, tracks: ["inbound"],
 *                  customParameters, mediaFormat: {encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1}}, streamSid}
 *   → media      {event, sequenceNumber, media: {track: "inbound", chunk, timestamp, payload}, streamSid}  every 20 ms
 *   → mark       {event, sequenceNumber, streamSid, mark: {name}}  once the audio before it has played
 *   → stop       {event, sequenceNumber, streamSid, stop: {accountSid, callSid}}  then the socket closes
 *   ← media      {event, streamSid, media: {payload}}   ← mark {event, streamSid, mark: {name}}   ← clear {event, streamSid}
 *
 * `sequenceNumber`, `chunk` and `timestamp` are strings, as Twilio sends them.
 */

export type AppMessage = { event: "media"; audio: Uint8Array } | { event: "mark"; name: string } | { event: "clear" };

export interface MediaStreamOptions {
  url: string;
  authToken: string;
  accountSid: string;
  callSid: string;
  streamSid: string;
  customParameters: Record<string, string>;
  onMessage: (message: AppMessage) => void;
  onProtocolError: (error: Omit<ProtocolError, "atMs">) => void;
  /** The socket closed; `byApp` when the app closed it (or it dropped) before Twilio's `stop`. */
  onClose: (code: number, byApp: boolean) => void;
}

const CONNECT_TIMEOUT_MS = 10_000;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class MediaStreamClient {
  readonly #options: MediaStreamOptions;
  #socket: WebSocket | null = null;
  #sequence = 0;
  #chunk = 0;
  #stopping = false;
  #closed = false;
  readonly sent = { connected: 0, start: 0, media: 0, mark: 0, stop: 0 };

  readonly #streamSidJson: string;

  constructor(options: MediaStreamOptions) {
    this.#options = options;
    this.#streamSidJson = JSON.stringify(options.streamSid);
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN && !this.#stopping;
  }

  /**
   * Opens the socket and sends `connected` + `start`. The handshake carries `X-Twilio-Signature`
   * over the stream URL with no parameters, as Twilio signs its WebSocket requests.
   */
  connect(): Promise<void> {
    const { url, authToken } = this.#options;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, {
        headers: { "x-twilio-signature": signTwilioRequest(authToken, url), "user-agent": "Twilio.TmeWs/1.0" },
        handshakeTimeout: CONNECT_TIMEOUT_MS,
        perMessageDeflate: false,
      });
      this.#socket = socket;
      socket.once("open", () => {
        socket.on("message", (data, isBinary) => this.#receive(data, isBinary));
        this.#send({ event: "connected", protocol: "Call", version: "1.0.0" });
        this.sent.connected++;
        const { accountSid, callSid, streamSid, customParameters } = this.#options;
        this.#send({
          event: "start",
          sequenceNumber: this.#nextSequence(),
          start: {
            accountSid,
            streamSid,
            callSid,
            tracks: ["inbound"],
            customParameters,
            mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
          },
          streamSid,
        });
        this.sent.start++;
        resolve();
      });
      socket.once("unexpected-response", (_request, response) => {
        reject(new Error(`The WebSocket handshake answered ${response.statusCode}, not 101`));
        socket.terminate();
      });
      socket.once("error", (error) => {
        if (socket.readyState !== WebSocket.OPEN) reject(error);
      });
      socket.once("close", (code) => {
        this.#closed = true;
        this.#options.onClose(code, !this.#stopping);
      });
    });
  }

  /** One 20 ms frame of the callee's audio; `timestamp` counts 20 ms per chunk from 0. */
  sendMedia(frame: Uint8Array): void {
    if (!this.open) return;
    this.#chunk++;
    // What JSON.stringify makes of {event, sequenceNumber, media: {track, chunk, timestamp, payload},
    // streamSid}, built by hand: it goes 50 times a second per call, and only the counters and the
    // payload (base64, nothing to escape) change. The view is encoded in place, not copied.
    const payload = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("base64");
    const sequence = this.#nextSequence();
    this.#socket?.send(`{"event":"media","sequenceNumber":"${sequence}","media":{"track":"inbound","chunk":"${this.#chunk}","timestamp":"${(this.#chunk - 1) * 20}","payload":"${payload}"},"streamSid":${this.#streamSidJson}}`);
    this.sent.media++;
  }

  sendMark(name: string): void {
    if (!this.open) return;
    this.#send({ event: "mark", sequenceNumber: this.#nextSequence(), streamSid: this.#options.streamSid, mark: { name } });
    this.sent.mark++;
  }

  /** Twilio ends the stream: `stop`, then a normal close. Resolves once the socket is closed; safe to call twice. */
  async stop(): Promise<void> {
    const socket = this.#socket;
    if (!socket || this.#closed) return;
    if (!this.#stopping) {
      this.#stopping = true;
      if (socket.readyState === WebSocket.OPEN) {
        const { accountSid, callSid, streamSid } = this.#options;
        this.#send({ event: "stop", sequenceNumber: this.#nextSequence(), streamSid, stop: { accountSid, callSid } });
        this.sent.stop++;
        socket.close(1000, "stream stopped");
      } else {
        socket.terminate();
      }
    }
    if (this.#closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (socket.terminate(), resolve()), 2_000);
      socket.once("close", () => (clearTimeout(timer), resolve()));
    });
  }

  /** Drops the connection without a `stop` (the sandbox is closing). */
  terminate(): void {
    this.#stopping = true;
    this.#socket?.terminate();
  }

  #nextSequence(): string {
    this.#sequence++;
    return String(this.#sequence);
  }

  #send(message: object): void {
    this.#socket?.send(JSON.stringify(message));
  }

  #receive(data: RawData, isBinary: boolean): void {
    if (this.#stopping) return;
    const raw = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const text = raw.toString("utf8");
    const frame = text.slice(0, 200);
    const invalid = (message: string) => this.#options.onProtocolError({ code: 31951, message, frame, ignored: true });
    if (isBinary) {
      this.#options.onProtocolError({ code: 31950, message: "Binary frame: Media Streams messages are JSON text", frame: `<${raw.length} bytes>`, ignored: true });
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return invalid("Not JSON");
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) return invalid("Not a JSON object");
    const fields = message as Record<string, unknown>;
    const event = fields.event;
    if (event !== "media" && event !== "mark" && event !== "clear") {
      return invalid(`Unsupported event ${JSON.stringify(event)}: an app may send media, mark or clear`);
    }
    if (typeof fields.streamSid !== "string") return invalid("streamSid is missing");
    if (fields.streamSid !== this.#options.streamSid) return invalid(`streamSid ${fields.streamSid} is not this stream's`);

    const allowed = event === "clear" ? ["event", "streamSid"] : ["event", "streamSid", event];
    const extra = Object.keys(fields).filter((key) => !allowed.includes(key));
    if (event === "media") {
      const media = fields.media;
      if (typeof media !== "object" || media === null) return invalid("media is missing");
      const payload = (media as Record<string, unknown>).payload;
      if (typeof payload !== "string") return invalid("media.payload is missing");
      if (!BASE64.test(payload)) return invalid("media.payload is not base64");
      extra.push(...Object.keys(media).filter((key) => key !== "payload").map((key) => `media.${key}`));
      this.#noteExtra(extra, frame);
      this.#options.onMessage({ event: "media", audio: new Uint8Array(Buffer.from(payload, "base64")) });
    } else if (event === "mark") {
      const mark = fields.mark;
      const name = typeof mark === "object" && mark !== null ? (mark as Record<string, unknown>).name : undefined;
      if (typeof name !== "string") return invalid("mark.name is missing");
      extra.push(...Object.keys(mark as object).filter((key) => key !== "name").map((key) => `mark.${key}`));
      this.#noteExtra(extra, frame);
      this.#options.onMessage({ event: "mark", name });
    } else {
      this.#noteExtra(extra, frame);
      this.#options.onMessage({ event: "clear" });
    }
  }

  #noteExtra(extra: string[], frame: string): void {
    if (extra.length === 0) return;
    this.#options.onProtocolError({ code: 31951, message: `Unexpected field(s): ${extra.join(", ")}`, frame, ignored: false });
  }
}
