import { randomBytes } from "node:crypto";
import { defineProvider } from "../harness/provider";
import { openAiFaultResponse } from "./errors";
import { createOpenAiApp, SANDBOX_MODELS } from "./routes";

export { SANDBOX_MODELS } from "./routes";

export interface OpenAiStandIn {
  /** A key for `.dev.vars`; the stand-in accepts any `sk-…` bearer key. */
  readonly apiKey: string;
  /** Model names that make one request misbehave (junk JSON, the prompt echoed, 500, hang…). */
  readonly models: typeof SANDBOX_MODELS;
}

export const openai = defineProvider({
  name: "openai",
  async create({ random }) {
    const handle: OpenAiStandIn = { apiKey: `sk-or-v1-sandbox${randomBytes(16).toString("hex")}`, models: SANDBOX_MODELS };
    return {
      app: createOpenAiApp(random),
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
