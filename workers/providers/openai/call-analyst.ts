import OpenAI from "openai";
import { buildAnalysisPrompt, CALL_ANALYSIS_SCHEMA, CallAnalysis, fallbackAnalysis, type CallForAnalysis } from "../../domain/voice/call-analysis";

export interface CallAnalyst {
  analyse(call: CallForAnalysis): Promise<CallAnalysis & { source: "llm" | "fallback" }>;
}

/** The post-call pass: the model with structured output, parsed with zod; the fallback when it fails. */
export function createCallAnalyst(options: { apiKey: string; baseURL: string; model: string; timeoutMs?: number; onFallback?: (reason: string) => void }): CallAnalyst {
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs ?? 20_000, maxRetries: 0 });
  return {
    async analyse(call) {
      const prompt = buildAnalysisPrompt(call);
      try {
        const completion = await client.chat.completions.create({
          model: options.model,
          temperature: 0,
          messages: [
            { role: "system", content: prompt.system },
            { role: "user", content: prompt.user },
          ],
          response_format: { type: "json_schema", json_schema: { name: "call_analysis", strict: true, schema: CALL_ANALYSIS_SCHEMA } },
        });
        const parsed = CallAnalysis.safeParse(JSON.parse(completion.choices[0]?.message.content ?? ""));
        if (parsed.success) return { ...parsed.data, source: "llm" };
        options.onFallback?.("the model's answer did not match the schema");
      } catch (error) {
        options.onFallback?.(error instanceof Error ? error.message : String(error));
      }
      return { ...fallbackAnalysis(call), source: "fallback" };
    },
  };
}
