import OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { ProviderError } from "../ports";
import type { ChatDelta, ChatMessage, ChatModel, ToolCall, ToolSpec } from "../voice-ports";
import { DEFAULT_LLM_BASE_URL, DEFAULT_LLM_MODEL } from "./email-writer";

const PROVIDER = "openrouter";

export interface ChatModelOptions {
  /** `OPENROUTER_API_KEY` (or an OpenAI key with an OpenAI base URL). */
  apiKey: string;
  /** `LLM_BASE_URL`; the sandbox's `…/openai/v1` locally. */
  baseURL?: string;
  /** `VOICE_LLM_MODEL`. */
  model?: string;
  /**
   * No text or tool call within this (from the request) drops the request with a retryable
   * ProviderError: on a call, a silent model is dead air, better replaced by a retry or a filler.
   */
  firstTokenTimeoutMs?: number;
  /** Once the reply has started, no chunk for this long drops it the same way (a stalled stream). */
  stallTimeoutMs?: number;
  /** Token counts of each finished reply, for cost logs (`stream_options.include_usage`). */
  onUsage?: (usage: { promptTokens: number; completionTokens: number }) => void;
}

export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 8_000;
export const DEFAULT_STALL_TIMEOUT_MS = 5_000;

/**
 * The voice agent's model over the OpenAI chat API with `stream: true`, as OpenRouter serves it.
 * Text deltas are passed on as they arrive; tool calls are put together from their streamed
 * fragments and passed on whole; `done` comes last. Aborting the signal (barge-in) aborts the
 * HTTP request and ends the iterable quietly; every other failure is a ProviderError.
 */
export function createChatModel(options: ChatModelOptions): ChatModel {
  const baseURL = options.baseURL ?? DEFAULT_LLM_BASE_URL;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL,
    // Only a backstop: the first-token timer below decides much earlier.
    timeout: 60_000,
    // A retry here would be more dead air; the call session decides what to do instead.
    maxRetries: 0,
  });
  const model = options.model ?? DEFAULT_LLM_MODEL;
  const timeouts = {
    firstTokenMs: options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS,
    stallMs: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
  };
  // OpenRouter's routing preferences; OpenAI's own API refuses unknown parameters.
  const openRouter = new URL(baseURL).hostname !== "api.openai.com";

  return {
    stream(request, signal) {
      const body: ChatCompletionCreateParamsStreaming & { provider?: Record<string, unknown> } = {
        model,
        messages: request.messages.map(toWireMessage),
        stream: true,
        // The usage arrives as one last chunk with empty `choices`.
        stream_options: { include_usage: true },
        ...(request.tools?.length ? { tools: request.tools.map(toWireTool) } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
        // Fastest provider first (https://openrouter.ai/docs/features/provider-routing#provider-sorting),
        // and only providers that support every parameter sent, tools included.
        ...(openRouter ? { provider: { sort: "latency", require_parameters: true } } : {}),
      };
      return streamReply(client, body, signal, timeouts, options.onUsage);
    },
  };
}

async function* streamReply(
  client: OpenAI,
  body: ChatCompletionCreateParamsStreaming,
  signal: AbortSignal,
  timeouts: { firstTokenMs: number; stallMs: number },
  onUsage: ChatModelOptions["onUsage"],
): AsyncGenerator<ChatDelta> {
  if (signal.aborted) return;
  // One controller for the request: the caller's abort and our silence watchdog both end it.
  const request = new AbortController();
  const stop = () => request.abort(signal.reason);
  signal.addEventListener("abort", stop, { once: true });
  /** Set when the watchdog, not the caller, ended the request. */
  let silence: ProviderError | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      silence = new ProviderError(PROVIDER, `${what} for ${ms} ms`, true, 408);
      request.abort(silence);
    }, ms);
  };
  // Paused while the caller holds a delta: its own work (opening TTS…) is not the model's silence.
  const pause = () => clearTimeout(timer);
  let started = false;
  const resume = () => watch(timeouts.stallMs, "the reply stalled");
  watch(timeouts.firstTokenMs, "no first token");
  const aborted = new Promise<typeof ABORTED>((resolve) => request.signal.addEventListener("abort", () => resolve(ABORTED), { once: true }));
  let chunks: AsyncIterator<ChatCompletionChunk> | undefined;
  /** Only two things abort the request: the caller (end quietly) and the watchdog (an error). */
  const endAborted = () => {
    if (!signal.aborted && silence) throw silence;
  };

  try {
    const stream = await untilAborted(client.chat.completions.create(body, { signal: request.signal }), aborted);
    if (stream === ABORTED) return endAborted();
    chunks = stream[Symbol.asyncIterator]();

    const calls = new ToolCallAssembler();
    let finishReason: string | null = null;
    for (;;) {
      // Raced against the abort, so barge-in ends the reply now, not when the next chunk arrives.
      const next = await untilAborted(chunks.next(), aborted);
      if (next === ABORTED) return endAborted();
      if (next.done) break;
      const chunk = next.value;
      if (started) resume();
      if (chunk.usage) onUsage?.({ promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens });
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.delta.content) {
        started = true;
        pause();
        yield { type: "text", text: choice.delta.content };
        // The caller may have aborted while it held this delta: nothing more after that.
        if (signal.aborted) return;
        resume();
      }
      for (const fragment of choice.delta.tool_calls ?? []) {
        if (!started) resume();
        started = true;
        for (const call of calls.add(fragment)) {
          pause();
          yield { type: "tool-call", call };
          if (signal.aborted) return;
          resume();
        }
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }

    // OpenRouter reports a failure after the stream started as finish_reason "error".
    if (finishReason === "error") throw new ProviderError(PROVIDER, "the model failed mid-reply", true);
    // The SDK ends quietly when the connection drops; without a finish reason the reply is cut.
    if (finishReason === null) throw new ProviderError(PROVIDER, "the reply stream ended before the model finished", true);
    pause();
    for (const call of calls.finish()) yield { type: "tool-call", call };
    yield { type: "done", finishReason };
  } catch (error) {
    if (signal.aborted) return;
    if (silence) throw silence;
    throw toProviderError(error);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", stop);
    // Ended early (abort, error, the caller stopped reading): close the HTTP stream now.
    request.abort();
    chunks?.return?.().catch(() => undefined);
  }
}

const ABORTED = Symbol("aborted");

/** The promise's value, or ABORTED as soon as the request is aborted; a late rejection is dropped. */
function untilAborted<T>(promise: PromiseLike<T>, aborted: Promise<typeof ABORTED>): Promise<T | typeof ABORTED> {
  const settled = Promise.resolve(promise);
  settled.catch(() => undefined);
  return Promise.race([settled, aborted]);
}

/**
 * Tool calls arrive as fragments keyed by `index`: the first carries the id and name, later ones
 * pieces of the arguments. OpenAI streams one call after another, so a new index means the earlier
 * ones are complete. https://platform.openai.com/docs/guides/function-calling#streaming
 */
class ToolCallAssembler {
  readonly #open = new Map<number, ToolCall>();

  add(fragment: ChatCompletionChunk.Choice.Delta.ToolCall): ToolCall[] {
    const done = [...this.#open.keys()].filter((index) => index < fragment.index).flatMap((index) => this.#close(index));
    const call = this.#open.get(fragment.index) ?? { id: "", name: "", arguments: "" };
    this.#open.set(fragment.index, call);
    if (fragment.id && !call.id) call.id = fragment.id;
    // Some providers repeat the name on every fragment; others could split it.
    const name = fragment.function?.name;
    if (name && call.name !== name) call.name += name;
    call.arguments += fragment.function?.arguments ?? "";
    return done;
  }

  finish(): ToolCall[] {
    return [...this.#open.keys()].sort((a, b) => a - b).flatMap((index) => this.#close(index));
  }

  #close(index: number): ToolCall[] {
    const call = this.#open.get(index);
    this.#open.delete(index);
    if (!call?.name) return [];
    // A few providers behind OpenRouter send no id; the tool result still needs one to answer.
    return [{ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments || "{}" }];
  }
}

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content };
    case "assistant":
      return {
        role: "assistant",
        content: message.content,
        // An empty tool_calls array is refused by OpenAI; leave it out instead.
        ...(message.toolCalls?.length
          ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: "function" as const, function: { name: call.name, arguments: call.arguments } })) }
          : {}),
      };
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
  }
}

function toWireTool(tool: ToolSpec): ChatCompletionTool {
  return { type: "function", function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError(PROVIDER, "the model did not answer in time", true);
  if (error instanceof OpenAI.APIConnectionError) return new ProviderError(PROVIDER, `could not reach the model: ${error.message}`, true);
  if (error instanceof OpenAI.APIError) {
    // No status: an error event inside a 200 stream (OpenRouter puts its code in the body).
    const status = error.status ?? (typeof error.code === "number" ? error.code : undefined);
    const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    const retryAfter = Number(error.headers?.get("retry-after") ?? Number.NaN);
    return new ProviderError(PROVIDER, `${status ?? "stream"} ${error.message}`, retryable, status, Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.ceil(retryAfter) : undefined);
  }
  return new ProviderError(PROVIDER, error instanceof Error ? error.message : String(error), true);
}
