import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../workers/env";
import { notImplemented } from "../shared/not-implemented";

/**
 * One per campaign (`idFromName(campaignId)`): will walk the campaign's leads, pace sends
 * with alarms and apply channel fallback. Declared now so the binding and the SQLite
 * migration exist from the first deploy; the state machine arrives with the campaign engine.
 */
export class CampaignRunner extends DurableObject<Env> {
  override async fetch(_request: Request): Promise<Response> {
    return notImplemented("The campaign runner arrives with the campaign engine.");
  }
}
