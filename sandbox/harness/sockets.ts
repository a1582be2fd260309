import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { createRequire } from "node:module";
import type { WebSocketServer as WebSocketServerType } from "ws";

// Loaded with require: the Workers test plugin resolves imports with the "browser" condition,
// where `ws` exports a stub that throws, even for a globalSetup that runs in Node.
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");
import type { FaultRegistry } from "./faults";
import type { ProviderInstance } from "./provider";
import type { RequestLog } from "./request-log";

/**
 * Routes WebSocket upgrades to `/<name>/…` to the stand-in's `socket` handler, with the same fault
 * dice as HTTP: the handshake is delayed, refused with the failure status, or left hanging.
 */
export function acceptSockets(
  server: Server,
  instances: ReadonlyMap<string, ProviderInstance<unknown>>,
  { faults, log, lifetime }: { faults: FaultRegistry; log: RequestLog; lifetime: AbortSignal },
): WebSocketServerType {
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(request, socket, head).catch((error: unknown) => {
      console.error("[sandbox] upgrade failed:", error);
      socket.destroy();
    });
  });

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "http://sandbox");
    const [, name = "", ...rest] = url.pathname.split("/");
    const instance = instances.get(name);
    const path = `/${rest.join("/")}`;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    const handshake = { path, query: url.searchParams, headers };
    const handler = instance?.socket?.(path, handshake) ?? null;
    if (!instance || !handler) return refuse(socket, 404);
    const decision = faults.roll(name);
    const entry = await log.record(name, new Request(url, { headers }), decision.kind);
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (decision.kind === "timeout") {
      lifetime.addEventListener("abort", () => socket.destroy(), { once: true });
      return;
    }
    if (decision.kind === "fail") {
      entry.status = decision.status;
      return refuse(socket, decision.status);
    }
    if (typeof handler !== "function") {
      entry.status = handler.refuse;
      return refuse(socket, handler.refuse, handler.headers, handler.body);
    }
    entry.status = 101;
    wss.handleUpgrade(request, socket, head, (ws) => handler(ws, handshake));
  }
  lifetime.addEventListener("abort", () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return wss;
}

function refuse(socket: Duplex, status: number, headers: Record<string, string> = {}, body = ""): void {
  const lines = Object.entries({ "content-type": "application/json", ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Refused"}\r\nConnection: close\r\n${lines}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
