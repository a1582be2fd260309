/**
 * Test helpers for the Twilio stand-in: a tiny WebSocket server playing our Worker's media socket,
 * an HTTP server receiving status callbacks, and REST calls with Basic auth. Not a test file.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { WebSocketServer, type WebSocket } from "ws";
import { SpeechDecoder, type SpeechEvent } from "../speech/codec";
import type { Sandbox } from "../harness/server";

// ——— "our Worker" on the media socket ———

export interface Received {
  /** performance.now() when it arrived. */
  at: number;
  message: Record<string, unknown> & { event: string };
}

export interface WorkerConnection {
  path: string;
  headers: IncomingHttpHeaders;
  received: Received[];
  streamSid: string | null;
  callSid: string | null;
  customParameters: Record<string, string>;
  /** What the Worker heard of the callee (decoded from inbound media), in stream time. */
  heard: SpeechEvent[];
  closed: Promise<number>;
  send(message: unknown): void;
  /** Base64 μ-law `media` messages of `chunkBytes` each (default: all at once). */
  sendAudio(audio: Uint8Array, chunkBytes?: number): void;
  mark(name: string): void;
  clear(): void;
  close(): void;
  /** The first message (already received or to come) matching `test`. */
  next(test: (message: Received["message"]) => boolean, timeoutMs?: number): Promise<Received>;
  /** The first heard speech event matching `test`. */
  nextHeard(test: (event: SpeechEvent) => boolean, timeoutMs?: number): Promise<SpeechEvent>;
}

export interface FakeWorker {
  /** `ws://127.0.0.1:<port>/media`: put it in the TwiML's `<Stream url>`. */
  url: string;
  connections: WorkerConnection[];
  /** The next connection (or one already open that no test has taken). */
  nextConnection(timeoutMs?: number): Promise<WorkerConnection>;
  /** The connection whose `start` names this call. */
  connectionFor(callSid: string, timeoutMs?: number): Promise<WorkerConnection>;
  close(): Promise<void>;
}

export async function startFakeWorker(onConnection?: (connection: WorkerConnection) => void): Promise<FakeWorker> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const connections: WorkerConnection[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };

  wss.on("connection", (socket: WebSocket, request) => {
    const decoder = new SpeechDecoder();
    let closedResolve!: (code: number) => void;
    const connection: WorkerConnection = {
      path: request.url ?? "/",
      headers: request.headers,
      received: [],
      streamSid: null,
      callSid: null,
      customParameters: {},
      heard: [],
      closed: new Promise((resolve) => (closedResolve = resolve)),
      send: (message) => socket.send(typeof message === "string" ? message : JSON.stringify(message)),
      sendAudio(audio, chunkBytes = audio.length) {
        for (let i = 0; i < audio.length; i += chunkBytes) {
          connection.send({ event: "media", streamSid: connection.streamSid, media: { payload: Buffer.from(audio.subarray(i, i + chunkBytes)).toString("base64") } });
        }
      },
      mark: (name) => connection.send({ event: "mark", streamSid: connection.streamSid, mark: { name } }),
      clear: () => connection.send({ event: "clear", streamSid: connection.streamSid }),
      close: () => socket.close(1000, "done"),
      next: (test, timeoutMs = 10_000) =>
        until(listeners, () => connection.received.find((r) => test(r.message)), timeoutMs, "a media socket message"),
      nextHeard: (test, timeoutMs = 10_000) => until(listeners, () => connection.heard.find(test), timeoutMs, "heard speech"),
    };
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Received["message"];
      connection.received.push({ at: performance.now(), message });
      if (message.event === "start") {
        const start = message.start as { streamSid: string; callSid: string; customParameters: Record<string, string> };
        connection.streamSid = start.streamSid;
        connection.callSid = start.callSid;
        connection.customParameters = start.customParameters;
      }
      if (message.event === "media") {
        const media = message.media as { payload: string };
        connection.heard.push(...decoder.push(new Uint8Array(Buffer.from(media.payload, "base64"))));
      }
      changed();
    });
    socket.on("close", (code) => {
      closedResolve(code);
      changed();
    });
    connections.push(connection);
    onConnection?.(connection);
    changed();
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const taken = new Set<WorkerConnection>();
  return {
    url: `ws://127.0.0.1:${port}/media`,
    connections,
    nextConnection: (timeoutMs = 10_000) =>
      until(
        listeners,
        () => {
          const connection = connections.find((c) => !taken.has(c));
          if (connection) taken.add(connection);
          return connection;
        },
        timeoutMs,
        "a media socket connection",
      ),
    connectionFor: (callSid, timeoutMs = 10_000) =>
      until(listeners, () => connections.find((c) => c.callSid === callSid), timeoutMs, `the media socket of ${callSid}`),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function until<T>(listeners: Set<() => void>, probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = probe();
      if (found === undefined) return;
      listeners.delete(check);
      clearTimeout(timer);
      resolve(found);
    };
    const timer = setTimeout(() => {
      listeners.delete(check);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    listeners.add(check);
    check();
  });
}

// ——— status callbacks ———

export interface Callback {
  /** The full URL as requested: what Twilio signs. */
  url: string;
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
}

export interface CallbackReceiver {
  /** `http://127.0.0.1:<port>`; any path is accepted. */
  url: string;
  received: Callback[];
  /** Callbacks about one call, in arrival order. */
  forCall(callSid: string, path?: string): Callback[];
  /** Answer requests to `path` with this body (e.g. TwiML for a `Url`). */
  respond(path: string, status: number, body: string, contentType?: string): void;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: Callback[] = [];
  const answers = new Map<string, { status: number; body: string; contentType: string }>();
  let base = "";
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const url = `${base}${request.url ?? "/"}`;
      const parsed = new URL(url);
      const params = request.method === "GET" ? Object.fromEntries(parsed.searchParams) : Object.fromEntries(new URLSearchParams(body));
      received.push({ url, path: parsed.pathname, method: request.method ?? "", headers: request.headers, params });
      const answer = answers.get(parsed.pathname);
      if (answer) response.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
      else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    forCall: (callSid, path) => received.filter((c) => c.params.CallSid === callSid && (path === undefined || c.path === path)),
    respond: (path, status, body, contentType = "text/xml") => answers.set(path, { status, body, contentType }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ——— REST ———

export function twilioRest(sandbox: Sandbox, credentials?: { user: string; password: string }) {
  const { accountSid, authToken } = sandbox.twilio;
  const auth = `Basic ${Buffer.from(`${credentials?.user ?? accountSid}:${credentials?.password ?? authToken}`).toString("base64")}`;
  const base = `${sandbox.url}/twilio/2010-04-01/Accounts/${accountSid}`;
  const request = (method: string, path: string, params?: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(params ?? {})) for (const one of [value].flat()) body.append(key, one);
    return fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, ...(params ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      ...(params ? { body: body.toString() } : {}),
    });
  };
  return {
    base,
    get: (path: string) => request("GET", path),
    post: (path: string, params: Record<string, string | string[]>) => request("POST", path, params),
    delete: (path: string) => request("DELETE", path),
    /** Places a call and returns its SID (throws on an error answer). */
    async createCall(params: Record<string, string | string[]>): Promise<string> {
      const response = await request("POST", "/Calls.json", params);
      const body = (await response.json()) as { sid?: string; message?: string };
      if (response.status !== 201 || !body.sid) throw new Error(`Create call answered ${response.status}: ${JSON.stringify(body)}`);
      return body.sid;
    },
  };
}

/** `<Response><Connect><Stream url=…>` with parameters, as our Worker will send it. */
export function streamTwiml(url: string, parameters: Record<string, string> = {}, extra = ""): string {
  const params = Object.entries(parameters)
    .map(([name, value]) => `<Parameter name="${name}" value="${value}"/>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="${url}">${params}</Stream></Connect>${extra}</Response>`;
}
