import OpenAI from "openai";
import { buildEmailPrompt } from "../../domain/email/email-prompt";
import { fallbackDraft } from "../../domain/email/fallback-draft";
import { DRAFT_JSON_SCHEMA, readModelDraft } from "../../domain/email/model-draft";
import type { EmailBrief, EmailDraft, EmailWriter } from "../ports";

/** OpenRouter speaks the OpenAI chat API, so the official SDK talks to it by base URL. */
export const DEFAULT_LLM_BASE_URL = "https://openrouter.ai/api/v1";
/** The model the seed wrote with; any OpenRouter model with structured outputs works. */
export const DEFAULT_LLM_MODEL = "google/gemini-2.0-flash-001";

export interface LlmEmailWriterOptions {
  /** `OPENROUTER_API_KEY` (or an OpenAI key with an OpenAI base URL). */
  apiKey: string;
  /** `LLM_BASE_URL`; the sandbox's `…/openai/v1` locally. */
  baseURL?: string;
  /** `LLM_MODEL`. */
  model?: string;
  /** The whole answer must arrive within this; after it the template writes the email. */
  timeoutMs?: number;
  /** Told why the template was used (model down, junk answer…), for the log. */
  onFallback?: (reason: string) => void;
}

/**
 * Writes an email with the model and falls back to the template when the model fails, is slow, or
 * answers with anything we would not send (see `readModelDraft`). Only the caller's own abort
 * escapes as an error: a campaign never stalls on the model.
 */
export function createLlmEmailWriter(options: LlmEmailWriterOptions): EmailWriter {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? DEFAULT_LLM_BASE_URL,
    timeout: options.timeoutMs ?? 20_000,
    // A retry would spend the time budget twice; the template is the better second attempt.
    maxRetries: 0,
  });
  const model = options.model ?? DEFAULT_LLM_MODEL;

  return {
    async write(brief: EmailBrief, signal?: AbortSignal): Promise<EmailDraft> {
      const prompt = buildEmailPrompt(brief);
      let reason: string;
      try {
        const completion = await client.chat.completions.create(
          {
            model,
            messages: [
              { role: "system", content: prompt.system },
              { role: "user", content: prompt.user },
            ],
            response_format: { type: "json_schema", json_schema: DRAFT_JSON_SCHEMA },
            temperature: 0.7,
            max_tokens: 800,
          },
          signal ? { signal } : {},
        );
        const choice = completion.choices[0];
        const draft = readModelDraft(choice?.message.content, prompt);
        if (draft.ok && choice?.finish_reason !== "length") {
          return { subject: draft.subject, text: draft.text, source: "llm" };
        }
        reason = draft.ok ? "the answer was cut off at the token limit" : draft.reason;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        reason = describe(error);
      }
      options.onFallback?.(reason);
      return fallbackDraft(brief);
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return "the model did not answer in time";
  if (error instanceof OpenAI.APIError) return `the model API failed: ${error.status ?? "no status"} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
