import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { providers } from "../providers";
import { createAdminApp } from "./admin";
import {
  loadSandboxConfig,
  mergeConfig,
  SandboxConfigSchema,
  type FaultConfig,
  type FaultConfigInput,
  type SandboxConfigInput,
} from "./config";
import { FaultRegistry } from "./faults";
import { mountProvider } from "./mount";
import { acceptSockets } from "./sockets";
import { streamFor } from "./prng";
import type { HandleOf, ProviderInstance } from "./provider";
import { RequestLog, type RequestLogEntry } from "./request-log";

type Providers = (typeof providers)[number];
export type ProviderName = Providers["name"];
/** `sandbox.clerk`, and later `sandbox.twilio`…, typed from the provider list. */
export type StandIns = { [D in Providers as D["name"]]: HandleOf<D> };

export interface SandboxOptions {
  /** 0 picks a free port. Defaults to `SANDBOX_PORT`, else 8790. */
  port?: number;
  hostname?: string;
  /** Applied over `configFile`, provider by provider. */
  config?: SandboxConfigInput;
  /** Read only when given, so a developer's local file never changes a test run. */
  configFile?: string;
  /** Wins over the config's seed; defaults to 1. */
  seed?: number;
}

export type Sandbox = StandIns & {
  url: string;
  port: number;
  /** Variables pointing our Worker at the stand-ins (`CLERK_JWT_KEY`…). */
  env: Record<string, string>;
  setProviderConfig(name: ProviderName, config: FaultConfigInput): FaultConfig;
  providerConfig(name: ProviderName): FaultConfig;
  requests(provider?: ProviderName): RequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
};

const DEFAULT_PORT = 8790;
const PortSchema = z.coerce.number().int().min(0).max(65_535);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const base = options.configFile ? loadSandboxConfig(options.configFile) : SandboxConfigSchema.parse({});
  const config = mergeConfig(base, options.config);
  const seed = options.seed ?? config.seed ?? 1;
  const names = providers.map((p) => p.name);
  const faults = new FaultRegistry(seed, names, config.providers);
  const log = new RequestLog();
  const lifetime = new AbortController();

  const instances = new Map<string, ProviderInstance<unknown>>();
  for (const provider of providers) {
    const random = streamFor(seed, `ids:${provider.name}`);
    const jitter = streamFor(seed, `latency:${provider.name}`);
    const latencyMs = () => {
      const { latencyMs: base, jitterMs } = faults.get(provider.name);
      return base + jitterMs * jitter();
    };
    instances.set(provider.name, await provider.create({ name: provider.name, random, latencyMs }));
  }

  const app = new Hono();
  app.route("/__admin", createAdminApp(faults, log));
  for (const [name, instance] of instances) {
    mountProvider(app, name, instance, { faults, log, lifetime: lifetime.signal });
  }
  app.onError((error, c) => {
    console.error(`[sandbox] ${c.req.method} ${c.req.path}:`, error);
    return c.json({ error: "sandbox_internal_error" }, 500);
  });

  const hostname = options.hostname ?? "127.0.0.1";
  const server = createAdaptorServer({ fetch: app.fetch, hostname });
  if (!(server instanceof Server)) throw new Error("Expected an HTTP/1.1 server");
  acceptSockets(server, instances, { faults, log, lifetime: lifetime.signal });
  const requestedPort = options.port ?? PortSchema.parse(process.env.SANDBOX_PORT ?? DEFAULT_PORT);
  const port = await listen(server, requestedPort, hostname).catch(async (error: unknown) => {
    await Promise.all([...instances.values()].map((instance) => instance.close?.()));
    throw error;
  });
  const url = `http://${hostname}:${port}`;

  const env: Record<string, string> = { SANDBOX_URL: url };
  for (const instance of instances.values()) Object.assign(env, instance.env?.(url));

  const handles = Object.fromEntries([...instances].map(([name, instance]) => [name, instance.handle]));
  let closing: Promise<void> | undefined;
  return {
    // Built from the provider list above, so every name maps to that provider's handle.
    ...(handles as StandIns),
    url,
    port,
    env,
    setProviderConfig: (name, cfg) => faults.set(name, cfg),
    providerConfig: (name) => faults.get(name),
    requests: (provider) => log.list(provider),
    clearRequests: () => log.clear(),
    close: () => {
      closing ??= shutdown(server, lifetime, [...instances.values()]);
      return closing;
    },
  };
}

function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("Sandbox is not on a TCP port"));
      else resolve((address satisfies AddressInfo).port);
    });
  });
}

async function shutdown(
  server: Server,
  lifetime: AbortController,
  instances: ProviderInstance<unknown>[],
): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  // Drop open sockets first, so a hanging request ends as a dropped connection, not an answer;
  // then release whatever still waits on a delay.
  server.closeAllConnections();
  lifetime.abort();
  await Promise.all(instances.map((instance) => instance.close?.()));
  await closed;
}
