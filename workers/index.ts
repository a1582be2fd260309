import { handle as astroHandle } from "@astrojs/cloudflare/handler";
import { createWorker } from "./worker";

/**
 * The deployed Worker. It imports Astro's virtual modules, so `astro build` (site/) bundles
 * it; API-only tests use test/worker-entry.ts instead, which needs no site build.
 */
export { CampaignRunner } from "../durable-objects/campaign-runner/campaign-runner";
export { CallSession } from "../durable-objects/call-session/call-session";
export { ProviderPacer } from "../durable-objects/provider-pacer/provider-pacer";
export { TelegramPool } from "../container/telegram-pool";

export default createWorker(astroHandle);
