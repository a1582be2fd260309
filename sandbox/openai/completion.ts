import type { ChatRequest } from "./chat-request";

/** What the stand-in answers, before it is shaped as one body or as an SSE stream. */
export interface Answer {
  content: string;
  finishReason: "stop" | "length";
  promptChars: number;
}

// ~4 characters per token: the usage figures only need to be plausible and stable.
const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/** A `chat.completion` object: https://platform.openai.com/docs/api-reference/chat/object */
export function completionBody(id: string, created: number, request: ChatRequest, answer: Answer) {
  return {
    id,
    object: "chat.completion",
    created,
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.content, refusal: null },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: usage(answer),
  };
}

/**
 * `chat.completion.chunk` events as OpenAI streams them: a first chunk with the role, content in
 * small deltas, a last chunk with the finish reason, the usage chunk when asked for
 * (`stream_options.include_usage`), then `data: [DONE]`.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function completionStream(id: string, created: number, request: ChatRequest, answer: Answer): ReadableStream<Uint8Array> {
  const withUsage = request.stream_options?.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: request.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(withUsage ? { usage: null } : {}),
  });
  const events: unknown[] = [chunk({ role: "assistant", content: "" }, null)];
  for (const piece of answer.content.match(/\S+\s*|\s+/g) ?? []) events.push(chunk({ content: piece }, null));
  events.push(chunk({}, answer.finishReason));
  if (withUsage) events.push({ id, object: "chat.completion.chunk", created, model: request.model, choices: [], usage: usage(answer) });

  const encoder = new TextEncoder();
  const lines = [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), "data: [DONE]\n\n"];
  return new ReadableStream({
    pull(controller) {
      const next = lines.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
}

function usage(answer: Answer) {
  const prompt = tokens(answer.promptChars);
  const completion = tokens(answer.content.length);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
