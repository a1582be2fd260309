import { Container } from "@cloudflare/containers";
import type { Env } from "../workers/env";

/**
 * The Telegram account pool: a Node server (gramjs MTProto clients) in a Cloudflare
 * Container. The Worker talks to it over HTTP on port 8080; it sleeps after ten idle minutes
 * so an org without Telegram traffic costs nothing. Locally (no Docker engine) the same
 * server runs as a plain Node process and is reached by URL instead.
 */
export class TelegramPool extends Container<Env> {
  override defaultPort = 8080;
  override sleepAfter = "10m";
}
