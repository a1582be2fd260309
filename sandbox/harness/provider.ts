/**
 * The contract between the harness and a provider stand-in. A stand-in is one folder that
 * exports `defineProvider({ name, create })`; listing it in `sandbox/providers.ts` mounts it
 * under `/<name>/` with faults and request logging, and puts its handle on the sandbox.
 */

/** What the harness hands a stand-in when the sandbox starts. */
export interface ProviderContext {
  /** The mount name, e.g. `clerk`. */
  name: string;
  /** Seeded stream for generated ids, separate from the fault dice. */
  random: () => number;
  /**
   * This provider's injected latency right now (`latencyMs` + jitter), for stand-ins that answer
   * over a socket: the harness delays HTTP answers itself, a socket stand-in delays each result.
   */
  latencyMs: () => number;
}

/** A WebSocket the harness accepted for a stand-in; `path` is inside the provider's mount. */
export type SocketHandler = (socket: import("ws").WebSocket, request: SocketRequest) => void;

export interface SocketRequest {
  path: string;
  query: URLSearchParams;
  /** Lower-cased names, as Node reports them. */
  headers: Record<string, string>;
}

/** A handshake the stand-in turns down with an HTTP answer, as providers do for a bad key or query. */
export interface SocketRefusal {
  refuse: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Anything with a fetch handler: a Hono app, or a hand-written function. */
export interface FetchHandler {
  fetch(request: Request): Response | Promise<Response>;
}

export interface ProviderInstance<Handle> {
  /** Serves requests with the `/<name>` prefix already stripped. */
  app: FetchHandler;
  /** The programmatic side a test drives directly (mint a token, read sent messages…). */
  handle: Handle;
  /** Variables that point our Worker at this stand-in; the CLI prints them. */
  env?: (sandboxUrl: string) => Record<string, string>;
  /** The provider's own error shape for injected failures, so adapters parse what they would in production. */
  faultResponse?: (status: number) => Response;
  /**
   * WebSocket endpoints: given the path inside the mount and the handshake, the handler for that
   * socket, a refusal (status, headers, body), or null for a 404. The harness applies faults to the handshake (latency, failures, hangs).
   */
  socket?: (path: string, request: SocketRequest) => SocketHandler | SocketRefusal | null;
  /** Stops timers or sockets the stand-in owns. */
  close?: () => Promise<void>;
}

export interface ProviderDefinition<Name extends string, Handle> {
  name: Name;
  create(ctx: ProviderContext): Promise<ProviderInstance<Handle>>;
}

/** Names the harness uses itself; a provider cannot take them. */
export const RESERVED_NAMES: readonly string[] = [
  "__admin",
  "url",
  "port",
  "env",
  "close",
  "setProviderConfig",
  "providerConfig",
  "requests",
  "clearRequests",
];

/** Keeps the literal name in the type, so `sandbox.clerk` is typed as the Clerk handle. */
export function defineProvider<const Name extends string, Handle>(
  definition: ProviderDefinition<Name, Handle>,
): ProviderDefinition<Name, Handle> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name) || RESERVED_NAMES.includes(definition.name)) {
    throw new Error(`Invalid sandbox provider name "${definition.name}"`);
  }
  return definition;
}

/** The handle type of a definition, for building the sandbox's typed surface. */
export type HandleOf<D> = D extends ProviderDefinition<string, infer Handle> ? Handle : never;

/** Default body for an injected failure when a stand-in does not mimic its provider's. */
export function genericFaultResponse(status: number): Response {
  return Response.json({ error: "sandbox_injected_fault", status }, { status });
}
