import { createHash, type Hash } from "node:crypto";
import type { RawData, WebSocket } from "ws";
import type { SocketHandler, SocketRefusal, SocketRequest } from "../harness/provider";
import { deepgramRefusal } from "./errors";
import { parseListenQuery, type ListenOptions } from "./query";
import { Recognizer, type RecognizerEvent } from "./recognizer";
import { WireFormat, type DeepgramMessage } from "./wire";

/** One `/v1/listen` handshake as a test sees it: what was asked, what was heard, what went back. */
export interface DeepgramSession {
  /** Deepgram's request id: in `dg-request-id` and the error body of a refusal, in every `metadata` otherwise. */
  readonly requestId: string;
  readonly path: string;
  /** The query string as sent (`model`, `language`, `endpointing`…). */
  readonly query: Readonly<Record<string, string>>;
  /** The options in force; null when the handshake was refused. */
  readonly options: ListenOptions | null;
  /**
   * The HTTP answer when the handshake was refused (the socket never opened): the status, the
   * body's `err_code` and `err_msg`, and the `dg-error` header. Null when accepted.
   */
  readonly refused: { status: 400 | 401; code: string; message: string; dgError: string } | null;
  readonly openedAt: string;
  /** False once either side has sent its close frame; false from the start for a refused handshake. */
  open: boolean;
  /** Audio received, in ms (8 bytes a ms). */
  audioMs: number;
  /** Text messages received, by type, in order: `KeepAlive`, `Finalize`, `CloseStream`. */
  controls: string[];
  /** Messages sent, in the order and at the moment they went out (after the injected latency). */
  sent: DeepgramMessage[];
  /** Who closed the socket, how; null while open, and for a refused handshake (there was no socket). */
  closed: { code: number; reason: string; by: "server" | "client" } | null;
}

export interface LiveDeps {
  apiKey: string;
  latencyMs: () => number;
  idleTimeoutMs: () => number;
  random: () => number;
  record: (session: DeepgramSession) => void;
  track: (live: { stop(): void; drop(): void }) => () => void;
}

/** Close frame codes and payloads Deepgram uses on its live sockets. */
export const CLOSE = {
  normal: 1000,
  /** No audio or KeepAlive within the timeout window: `NET-0001`. */
  idle: 1011,
  /** Policy violation: the sandbox ends a socket that sends a text message Deepgram does not document. */
  policy: 1008,
} as const;

/**
 * The `/v1/listen` handshake, judged as Deepgram judges it before upgrading: a missing or wrong
 * key is refused with 401 `INVALID_AUTH`, a bad query with 400 `Bad Request`, each with Deepgram's
 * body and its `dg-request-id` / `dg-error` headers. Refusals are recorded here, when the stand-in
 * decides; an accepted socket is recorded once the harness has upgraded it.
 */
export function listenHandshake(request: SocketRequest, deps: LiveDeps): SocketHandler | SocketRefusal {
  const requestId = uuid(deps.random);
  const base = { requestId, path: request.path, query: Object.fromEntries(request.query), audioMs: 0, controls: [], sent: [], closed: null };

  const refuse = (status: 400 | 401, code: string, message: string, dgError: string): SocketRefusal => {
    deps.record({ ...base, openedAt: new Date().toISOString(), options: null, refused: { status, code, message, dgError }, open: false });
    return deepgramRefusal(status, code, message, requestId, dgError);
  };

  if (tokenOf(request.headers) !== deps.apiKey) return refuse(401, "INVALID_AUTH", "Invalid credentials.", "Invalid credentials.");
  const parsed = parseListenQuery(request.query);
  if (!parsed.ok) return refuse(400, "Bad Request", `Bad Request: ${parsed.message}`, parsed.message);

  return (socket) => {
    // A malformed frame closes the socket; without a listener, ws would throw the error instead.
    socket.on("error", () => undefined);
    const session: DeepgramSession = { ...base, openedAt: new Date().toISOString(), options: parsed.options, refused: null, open: true };
    deps.record(session);
    new LiveSocket(socket, session, parsed.options, deps);
  };
}

/** `Authorization: Token <key>` (any case), or the browser form `Sec-WebSocket-Protocol: token, <key>`. */
function tokenOf(headers: Record<string, string>): string | null {
  const auth = /^token\s+(\S+)$/i.exec(headers.authorization?.trim() ?? "");
  if (auth?.[1]) return auth[1];
  const [scheme, key] = (headers["sec-websocket-protocol"] ?? "").split(",").map((s) => s.trim());
  return scheme?.toLowerCase() === "token" && key ? key : null;
}

class LiveSocket {
  readonly #socket: WebSocket;
  readonly #session: DeepgramSession;
  readonly #deps: LiveDeps;
  readonly #recognizer: Recognizer;
  readonly #wire: WireFormat;
  readonly #outbox = new Outbox();
  readonly #sha256: Hash = createHash("sha256");
  readonly #created = new Date();
  readonly #untrack: () => void;
  #idle: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(socket: WebSocket, session: DeepgramSession, options: ListenOptions, deps: LiveDeps) {
    this.#socket = socket;
    this.#session = session;
    this.#deps = deps;
    this.#recognizer = new Recognizer({ ...options, confidence: () => Math.round((0.9 + 0.0999 * deps.random()) * 1e4) / 1e4 });
    this.#wire = new WireFormat(options, session.requestId);
    this.#untrack = deps.track(this);
    socket.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    socket.on("close", (code, reason) => {
      session.open = false;
      session.closed ??= { code, reason: reason.toString(), by: "client" };
      this.stop();
    });
    this.#touch();
  }

  /** Deepgram failing mid-stream: the server closes the socket (1011), as on an internal error. */
  drop(): void {
    this.#close(1011, "NET-0000");
  }

  /** Drops timers; the socket itself is the harness's or the peer's to end. */
  stop(): void {
    clearTimeout(this.#idle);
    this.#outbox.clear();
    this.#untrack();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closing) return;
    const arrived = Date.now();
    if (isBinary) {
      const audio = toBytes(data);
      // Deepgram's original way to end a stream, still honoured: an empty binary frame.
      if (audio.length === 0) return this.#closeStream(arrived);
      this.#touch();
      this.#sha256.update(audio);
      this.#emit(arrived, this.#recognizer.push(audio));
      this.#session.audioMs = this.#recognizer.audioMs;
      return;
    }
    const type = controlType(toBytes(data));
    this.#session.controls.push(type ?? "?");
    switch (type) {
      case "KeepAlive":
        return this.#touch();
      case "Finalize":
        this.#touch();
        return this.#emit(arrived, this.#recognizer.flush(true));
      case "CloseStream":
        return this.#closeStream(arrived);
      default:
        // Deepgram documents no other client message; the sandbox ends the socket so a stray one shows.
        return this.#close(CLOSE.policy, "Unknown text message: expected KeepAlive, Finalize or CloseStream");
    }
  }

  #closeStream(arrived: number): void {
    this.#closing = true;
    clearTimeout(this.#idle);
    this.#emit(arrived, this.#recognizer.flush(false));
    const metadata = this.#wire.metadata(this.#created, this.#recognizer.audioMs, this.#sha256.digest("hex"));
    this.#outbox.push(arrived + this.#deps.latencyMs(), () => this.#send(metadata));
    this.#outbox.push(arrived, () => this.#close(CLOSE.normal, ""));
  }

  #emit(arrived: number, events: RecognizerEvent[]): void {
    for (const event of events) {
      const message = this.#wire.message(event);
      this.#outbox.push(arrived + this.#deps.latencyMs(), () => this.#send(message));
    }
  }

  #send(message: DeepgramMessage): void {
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    this.#session.sent.push(message);
    this.#socket.send(JSON.stringify(message));
  }

  #touch(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#close(CLOSE.idle, "NET-0001"), this.#deps.idleTimeoutMs());
  }

  #close(code: number, reason: string): void {
    this.#closing = true;
    this.stop();
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    this.#session.open = false;
    this.#session.closed = { code, reason, by: "server" };
    this.#socket.close(code, reason);
  }
}

/**
 * Sends each message at its due time, in the order queued: one whose latency drew short waits
 * for the one ahead of it, as results on one socket never overtake each other.
 */
class Outbox {
  #queue: { dueAt: number; run: () => void }[] = [];
  #timer: NodeJS.Timeout | undefined;

  push(dueAt: number, run: () => void): void {
    this.#queue.push({ dueAt, run });
    this.#arm();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
  }

  #arm(): void {
    const head = this.#queue[0];
    if (this.#timer !== undefined || !head) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      while (this.#queue[0] && this.#queue[0].dueAt <= now) this.#queue.shift()?.run();
      this.#arm();
    }, Math.max(0, head.dueAt - Date.now()));
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function controlType(bytes: Uint8Array): string | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (parsed && typeof parsed === "object" && "type" in parsed && typeof parsed.type === "string") return parsed.type;
  } catch {
    // not JSON
  }
  return null;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
