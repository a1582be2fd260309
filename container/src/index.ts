import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { buildApp } from "./app.ts";
import { jsonLogger, type Logger } from "./log.ts";
import { Logins } from "./logins.ts";
import { gramjsClientFactory, type GramjsOptions } from "./mtproto.ts";
import { Pool } from "./pool.ts";
import type { ClientFactory } from "./port.ts";
import { ReplyPoster } from "./replies.ts";
import { Sender } from "./sender.ts";
import { standInClientFactory } from "./stand-in/client.ts";
import { mountStandInRoutes } from "./stand-in/routes.ts";
import { StandInTelegram, type Behaviour } from "./stand-in/telegram.ts";

export { signPoolRequest, poolRequestHeaders, verifyPoolRequest } from "./auth.ts";
export type { ReplyBody } from "./replies.ts";

export interface TelegramPoolOptions {
  /** 0 picks any free port. Default 8080. */
  port?: number;
  /** Host to listen on. Default 0.0.0.0 (the container's port must be reachable). */
  hostname?: string;
  /** TELEGRAM_POOL_SECRET: signs both directions. At least 16 characters. */
  secret: string;
  backend: "sandbox" | "gramjs";
  /** Where replies are posted: `${workerUrl}/api/webhook/telegram`. */
  workerUrl?: string;
  /** gramjs only: my.telegram.org's app credentials. */
  apiId?: number;
  apiHash?: string;
  /** gramjs only, for tests: builds each gramjs client (see mtproto.test.ts). */
  makeGramjsClient?: GramjsOptions["makeClient"];
  /** Default 360 minutes; a connected client is how replies are heard. */
  idleDisconnectMs?: number;
  /** Pauses between reply-post tries (3 tries by default: 1 s, then 5 s). */
  replyRetryDelaysMs?: number[];
  /** The stand-in's starting behaviour (sandbox only). */
  standIn?: Partial<Behaviour>;
  log?: Logger;
}

export interface TelegramPool {
  url: string;
  close(): Promise<void>;
  setWorkerUrl(url: string): void;
}

export async function startTelegramPool(options: TelegramPoolOptions): Promise<TelegramPool> {
  if (options.secret.length < 16) throw new Error("The pool secret must be at least 16 characters");
  const log = options.log ?? jsonLogger();
  let workerUrl = options.workerUrl;

  let createClient: ClientFactory;
  let standIn: StandInTelegram | undefined;
  if (options.backend === "sandbox") {
    standIn = new StandInTelegram({ secret: options.secret, ...(options.standIn ? { behaviour: options.standIn } : {}) });
    createClient = standInClientFactory(standIn);
  } else {
    if (!options.apiId || !options.apiHash) throw new Error("The gramjs backend needs TELEGRAM_API_ID and TELEGRAM_API_HASH");
    createClient = gramjsClientFactory({
      apiId: options.apiId,
      apiHash: options.apiHash,
      log,
      ...(options.makeGramjsClient ? { makeClient: options.makeGramjsClient } : {}),
    });
  }

  const replies = new ReplyPoster({
    secret: options.secret,
    workerUrl: () => workerUrl,
    log,
    ...(options.replyRetryDelaysMs ? { retryDelaysMs: options.replyRetryDelaysMs } : {}),
  });
  const pool = new Pool({ createClient, replies, log, idleDisconnectMs: options.idleDisconnectMs ?? 360 * 60 * 1000 });
  const sender = new Sender(pool, log);
  const logins = new Logins({ createClient, pool, log });
  const app = buildApp({
    secret: options.secret,
    log,
    services: { backend: options.backend, pool, sender, logins },
    ...(standIn ? { mount: (a) => mountStandInRoutes(a, standIn) } : {}),
  });

  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname: options.hostname ?? "0.0.0.0" }, () => resolve(started));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The pool is not listening on a TCP port");
  const port = (address satisfies AddressInfo).port;
  log.info("pool_listening", { port, backend: options.backend });

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    setWorkerUrl(url) {
      workerUrl = url;
    },
    close() {
      closing ??= (async () => {
        standIn?.close();
        await Promise.all([pool.closeAll(), logins.closeAll()]);
        await replies.settled();
        await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      })();
      return closing;
    },
  };
}
