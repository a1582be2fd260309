import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../workers/env";
import { notImplemented } from "../shared/not-implemented";

/**
 * One per live call: will bridge Twilio's media socket to speech-to-text, the LLM and
 * text-to-speech. Declared now so the binding and the SQLite migration exist from the first
 * deploy; the turn pipeline arrives with the voice agent.
 */
export class CallSession extends DurableObject<Env> {
  override async fetch(_request: Request): Promise<Response> {
    return notImplemented("The call session arrives with the voice agent.");
  }
}
