import { randomBytes } from "node:crypto";
import { defineProvider } from "../harness/provider";
import { openAiFaultResponse } from "./errors";
import { createOpenAiApp, SANDBOX_MODELS } from "./routes";
import { StreamControl, type StreamRecord } from "./stream-control";

export { SANDBOX_MODELS } from "./routes";
export type { StreamRecord } from "./stream-control";

export interface OpenAiStandIn {
  /** A key for `.dev.vars`; the stand-in accepts any `sk-…` bearer key. */
  readonly apiKey: string;
  /** Model names that make one request misbehave (junk JSON, the prompt echoed, 500, hang…). */
  readonly models: typeof SANDBOX_MODELS;
  /** Pause between streamed chunks after the first (0 by default); `PUT /openai/sandbox/streaming` over HTTP. */
  setTokenDelay(ms: number): void;
  /** Every streamed answer, oldest first: chunks sent and whether the client left early. */
  streams(): StreamRecord[];
}

export const openai = defineProvider({
  name: "openai",
  async create({ random }) {
    const streams = new StreamControl();
    const handle: OpenAiStandIn = {
      apiKey: `sk-or-v1-sandbox${randomBytes(16).toString("hex")}`,
      models: SANDBOX_MODELS,
      setTokenDelay: (ms) => {
        streams.tokenDelayMs = Math.max(0, ms);
      },
      streams: () => streams.records(),
    };
    return {
      app: createOpenAiApp(random, Date.now, streams),
      handle,
      faultResponse: openAiFaultResponse,
      env: (sandboxUrl) => ({
        OPENROUTER_API_KEY: handle.apiKey,
        // The SDK appends `/chat/completions` to its base URL, as with OpenRouter's `…/api/v1`.
        LLM_BASE_URL: `${sandboxUrl}/openai/v1`,
      }),
    };
  },
});
