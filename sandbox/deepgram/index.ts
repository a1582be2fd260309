import { randomBytes } from "node:crypto";
import { defineProvider } from "../harness/provider";
import { deepgramError, deepgramFaultResponse } from "./errors";
import { listenHandshake, type DeepgramSession } from "./live";

export { CLOSE } from "./live";
export type { DeepgramSession } from "./live";
export type { ListenOptions } from "./query";
export type { DeepgramMessage, MetadataMessage, ResultsMessage, SpeechStartedMessage, UtteranceEndMessage } from "./wire";

/** Deepgram closes a live socket that gets no audio or KeepAlive for 10 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

export interface DeepgramStandIn {
  /** The key for `.dev.vars`; sockets must send `Authorization: Token <apiKey>`. */
  readonly apiKey: string;
  /** How long a socket may go without audio or KeepAlive before `1011 NET-0001`; read at each message. */
  idleTimeoutMs: number;
  /** Every `/v1/listen` handshake so far, refused ones included (`refused`), oldest first (live records). */
  sessions(): DeepgramSession[];
  clearSessions(): void;
}

export const deepgram = defineProvider({
  name: "deepgram",
  async create({ random, latencyMs }) {
    const sessions: DeepgramSession[] = [];
    const live = new Set<{ stop(): void; drop(): void }>();
    const handle: DeepgramStandIn = {
      apiKey: randomBytes(20).toString("hex"),
      idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
      sessions: () => [...sessions],
      clearSessions: () => void sessions.splice(0),
    };
    const deps = {
      apiKey: handle.apiKey,
      latencyMs,
      idleTimeoutMs: () => handle.idleTimeoutMs,
      random,
      record: (session: DeepgramSession) => void sessions.push(session),
      track: (socket: { stop(): void; drop(): void }) => {
        live.add(socket);
        return () => void live.delete(socket);
      },
    };
    return {
      // Only the live socket is stood in for; pre-recorded `POST /v1/listen` and the rest are not.
      // Ours: `POST /deepgram/sandbox/drop` closes every live socket from the server side (1011),
      // for tests of a recogniser that fails mid-call.
      app: {
        fetch: (request: Request) => {
          if (request.method === "POST" && new URL(request.url).pathname === "/sandbox/drop") {
            const dropped = live.size;
            for (const socket of [...live]) socket.drop();
            return Response.json({ dropped });
          }
          return deepgramError(404, "NOT_FOUND", "The sandbox serves only the live WebSocket at /v1/listen.");
        },
      },
      handle,
      faultResponse: deepgramFaultResponse,
      // A bad key or query is refused at the HTTP handshake, as Deepgram does (401 / 400).
      socket: (path, request) => (path === "/v1/listen" ? listenHandshake(request, deps) : null),
      env: (sandboxUrl) => ({
        DEEPGRAM_API_KEY: handle.apiKey,
        DEEPGRAM_BASE_URL: `${sandboxUrl.replace(/^http/, "ws")}/deepgram`,
      }),
      close: async () => {
        for (const socket of [...live]) socket.stop();
      },
    };
  },
});
