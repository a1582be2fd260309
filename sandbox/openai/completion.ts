import { setTimeout as sleep } from "node:timers/promises";
import { streamFor } from "../harness/prng";
import type { ChatRequest } from "./chat-request";
import type { StreamRecord } from "./stream-control";

/** What the stand-in answers, before it is shaped as one body or as an SSE stream. */
export interface Answer {
  content: string;
  /** Function calls, each with its arguments as the JSON text the API sends. */
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason: "stop" | "length" | "tool_calls";
  promptChars: number;
}

// ~4 characters per token: the usage figures only need to be plausible and stable.
const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/** A `chat.completion` object: https://platform.openai.com/docs/api-reference/chat/object */
export function completionBody(id: string, created: number, request: ChatRequest, answer: Answer) {
  const calls = answer.toolCalls ?? [];
  return {
    id,
    object: "chat.completion",
    created,
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: calls.length > 0 && answer.content === "" ? null : answer.content,
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } })) } : {}),
        },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: usage(answer),
  };
}

export interface StreamPacing {
  /** Seeds the token cuts: the same seed and answer stream the same chunks. */
  seed: number;
  /** Between chunks, after the first (the harness's `latencyMs` already delays the first). */
  tokenDelayMs: number;
  /** Told what was sent and whether the client went away. */
  record: StreamRecord;
}

/**
 * `chat.completion.chunk` events as OpenAI streams them: a first chunk with the role, content in
 * token-sized deltas (2–5 characters), then each tool call as a first fragment with its index, id,
 * type and name and its arguments in later fragments, a last chunk with the finish reason, the
 * usage chunk when asked for (`stream_options.include_usage`), then `data: [DONE]`.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 * https://platform.openai.com/docs/guides/function-calling#streaming
 */
export function completionStream(id: string, created: number, request: ChatRequest, answer: Answer, pacing: StreamPacing): ReadableStream<Uint8Array> {
  const withUsage = request.stream_options?.include_usage === true;
  const calls = answer.toolCalls ?? [];
  const random = streamFor(pacing.seed, `${answer.content}\u0000${calls.map((call) => call.name + call.arguments).join("\u0000")}`);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: request.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(withUsage ? { usage: null } : {}),
  });
  const events: unknown[] = [chunk({ role: "assistant", content: calls.length > 0 && answer.content === "" ? null : "" }, null)];
  for (const piece of cut(answer.content, random, 2, 5)) events.push(chunk({ content: piece }, null));
  calls.forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }, null));
    for (const piece of cut(call.arguments, random, 3, 9)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
  });
  events.push(chunk({}, answer.finishReason));
  if (withUsage) events.push({ id, object: "chat.completion.chunk", created, model: request.model, choices: [], usage: usage(answer) });
  return sseStream(events, pacing);
}

/** Pieces of `min`–`max` code points, so an emoji is never cut in half. */
function cut(text: string, random: () => number, min: number, max: number): string[] {
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; ) {
    const size = min + Math.floor(random() * (max - min + 1));
    pieces.push(points.slice(i, i + size).join(""));
    i += size;
  }
  return pieces;
}

function sseStream(events: unknown[], { tokenDelayMs, record }: StreamPacing): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), "data: [DONE]\n\n"];
  record.chunks = events.length;
  const stopped = new AbortController();
  let next = 0;
  return new ReadableStream({
    async pull(controller) {
      if (next > 0 && next < events.length && tokenDelayMs > 0) {
        try {
          await sleep(tokenDelayMs, undefined, { signal: stopped.signal });
        } catch {
          return; // cancelled while waiting
        }
      }
      const line = lines[next];
      if (line === undefined) return;
      controller.enqueue(encoder.encode(line));
      next++;
      record.sent = Math.min(next, events.length);
      if (next === lines.length) {
        record.state = "done";
        controller.close();
      }
    },
    // The client went away (barge-in, timeout): stop, as the real API stops generating.
    cancel() {
      stopped.abort();
      if (record.state === "streaming") record.state = "cancelled";
    },
  });
}

function usage(answer: Answer) {
  const prompt = tokens(answer.promptChars);
  const completion = tokens(answer.content.length + (answer.toolCalls ?? []).reduce((sum, call) => sum + call.name.length + call.arguments.length, 0));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
