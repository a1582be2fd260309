import { createWorker } from "../workers/worker";

// The production entry (workers/index.ts) also serves the Astro build; API tests do not need it.
export default createWorker(async () => new Response("site not built in API tests", { status: 404 }));
export { CampaignRunner } from "../durable-objects/campaign-runner/campaign-runner";
export { CallSession } from "../durable-objects/call-session/call-session";
export { ProviderPacer } from "../durable-objects/provider-pacer/provider-pacer";
export { TelegramPool } from "../container/telegram-pool";
