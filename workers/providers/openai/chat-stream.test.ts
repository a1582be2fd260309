import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ProviderError } from "../ports";
import type { ChatDelta, ChatMessage, ToolSpec } from "../voice-ports";
import { createChatModel } from "./chat-stream";

// The sandbox from test/global-setup.ts, reached over HTTP like the real OpenRouter.
const { SANDBOX_URL } = z.object({ SANDBOX_URL: z.url() }).parse(env);
const LLM_BASE_URL = `${SANDBOX_URL}/openai/v1`;

async function put(path: string, body: Record<string, number>): Promise<void> {
  const response = await fetch(`${SANDBOX_URL}${path}`, { method: "PUT", body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}
const setChatFaults = (config: Record<string, number>) => put("/__admin/providers/openai", config);
/** How long the stand-in "model" takes per token after the first. */
const setTokenDelay = (ms: number) => put("/openai/sandbox/streaming", { tokenDelayMs: ms });

afterEach(async () => {
  await setChatFaults({});
  await setTokenDelay(0);
});

const StreamRecords = z.object({ data: z.array(z.object({ chunks: z.number(), sent: z.number(), state: z.enum(["streaming", "done", "cancelled"]) })) });

/** The stand-in's record of the last answer it streamed, once it has stopped streaming. */
async function lastStreamOnceSettled() {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const { data } = StreamRecords.parse(await (await fetch(`${SANDBOX_URL}/openai/sandbox/streams`)).json());
    const last = data.at(-1);
    if (last?.state !== "streaming" || Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const tool = (name: string): ToolSpec => ({ name, description: `${name} tool`, parameters: { type: "object", properties: {} } });
// The conventional call tools the stand-in answers with (sandbox/openai/README.md).
const TOOLS = ["end_call", "set_outcome", "book_meeting", "do_not_call"].map(tool);

const SYSTEM = [
  "You are Anna, an AI assistant making a phone call on behalf of Noir.",
  "Speak English.",
  "<script>",
  "We help sales teams reach every lead in minutes. Most teams see replies double in a month, and the setup takes a single afternoon.",
  "</script>",
].join("\n");

function conversation(...callee: string[]): ChatMessage[] {
  return [
    { role: "system", content: SYSTEM },
    { role: "assistant", content: "Hello! I'm Anna, an AI assistant calling on behalf of Noir. Do you have a minute?" },
    ...callee.map((text): ChatMessage => ({ role: "user", content: text })),
  ];
}

function model(options: { apiKey?: string; firstTokenTimeoutMs?: number; stallTimeoutMs?: number; onUsage?: (usage: { promptTokens: number; completionTokens: number }) => void } = {}) {
  return createChatModel({ apiKey: options.apiKey ?? "sk-or-v1-test", baseURL: LLM_BASE_URL, model: "openai/gpt-4o-mini", ...options });
}

async function collect(deltas: AsyncIterable<ChatDelta>): Promise<ChatDelta[]> {
  const out: ChatDelta[] = [];
  for await (const delta of deltas) out.push(delta);
  return out;
}

const texts = (deltas: ChatDelta[]) => deltas.flatMap((d) => (d.type === "text" ? [d.text] : []));

describe("the streaming chat model", () => {
  it("passes the reply on in pieces as the model writes it, then done", async () => {
    const usage: { promptTokens: number; completionTokens: number }[] = [];
    const deltas = await collect(model({ onUsage: (u) => usage.push(u) }).stream({ messages: conversation("Yes, tell me more."), tools: TOOLS }, new AbortController().signal));
    expect(texts(deltas).length).toBeGreaterThan(5);
    expect(texts(deltas).join("")).toBe("We help sales teams reach every lead in minutes.");
    expect(deltas.at(-1)).toEqual({ type: "done", finishReason: "stop" });
    expect(deltas.filter((d) => d.type === "done")).toHaveLength(1);
    expect(usage).toEqual([{ promptTokens: expect.any(Number), completionTokens: expect.any(Number) }]);
  });

  it("sends the conversation, tool calls and results included, in the OpenAI wire format with OpenRouter's latency routing", async () => {
    await fetch(`${SANDBOX_URL}/__admin/requests`, { method: "DELETE" });
    const messages: ChatMessage[] = [
      ...conversation("Sure."),
      { role: "assistant", content: null, toolCalls: [{ id: "call_abc", name: "set_outcome", arguments: '{"outcome":"interested"}' }] },
      { role: "tool", toolCallId: "call_abc", content: "done" },
      { role: "user", content: "Go on." },
    ];
    await collect(model().stream({ messages, tools: [tool("end_call")], temperature: 0.4, maxTokens: 120 }, new AbortController().signal));
    const log = z.object({ requests: z.array(z.object({ path: z.string(), body: z.string() })) }).parse(await (await fetch(`${SANDBOX_URL}/__admin/requests?provider=openai`)).json());
    const sent: unknown = JSON.parse(log.requests.at(-1)?.body ?? "{}");
    expect(sent).toEqual({
      model: "openai/gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.4,
      max_tokens: 120,
      provider: { sort: "latency", require_parameters: true },
      tools: [{ type: "function", function: { name: "end_call", description: "end_call tool", parameters: { type: "object", properties: {} } } }],
      messages: [
        { role: "system", content: SYSTEM },
        { role: "assistant", content: expect.stringContaining("Hello!") },
        { role: "user", content: "Sure." },
        { role: "assistant", content: null, tool_calls: [{ id: "call_abc", type: "function", function: { name: "set_outcome", arguments: '{"outcome":"interested"}' } }] },
        { role: "tool", tool_call_id: "call_abc", content: "done" },
        { role: "user", content: "Go on." },
      ],
    });
  });

  it("puts each tool call together from its streamed fragments and passes it on whole, once", async () => {
    const deltas = await collect(model().stream({ messages: conversation("Please don't call me again."), tools: TOOLS }, new AbortController().signal));
    const calls = deltas.flatMap((d) => (d.type === "tool-call" ? [d.call] : []));
    expect(calls).toEqual([
      { id: expect.stringMatching(/^call_\w{24}$/), name: "do_not_call", arguments: "{}" },
      { id: expect.stringMatching(/^call_\w{24}$/), name: "end_call", arguments: '{"reason":"the callee asked not to be called again"}' },
    ]);
    expect(calls[0]?.id).not.toBe(calls[1]?.id);
    expect(texts(deltas).join("")).toBe("I'm sorry to have bothered you. We won't call you again. Goodbye.");
    // Spoken words first, then the calls, then done.
    expect(deltas.map((d) => d.type).join(",")).toMatch(/^(text,)+tool-call,tool-call,done$/);
    expect(deltas.at(-1)).toEqual({ type: "done", finishReason: "tool_calls" });
  });

  it("stops at once on barge-in: no more deltas, no error, and the far end sees the stream closed", async () => {
    // Slow enough that waiting for the next chunk, or for the rest, would show.
    await setTokenDelay(250);
    const controller = new AbortController();
    const seen: ChatDelta[] = [];
    let abortedAt = 0;
    for await (const delta of model().stream({ messages: conversation("Yes, tell me more."), tools: TOOLS }, controller.signal)) {
      seen.push(delta);
      // The callee speaks while the model is between tokens, as barge-in does.
      if (seen.length === 1) {
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort(new Error("the callee spoke"));
        }, 30);
      }
    }
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(100);
    expect(seen).toHaveLength(1);
    const last = await lastStreamOnceSettled();
    expect(last?.state).toBe("cancelled");
    expect(last?.sent).toBeLessThan(last?.chunks ?? 0);
  });

  it("stops quietly when aborted before the model answers", async () => {
    await setChatFaults({ latencyMs: 3_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await collect(model().stream({ messages: conversation("Hello?"), tools: TOOLS }, controller.signal))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("reports a 500 as a retryable ProviderError", async () => {
    await setChatFaults({ failRate: 1, failStatus: 500 });
    const failed = collect(model().stream({ messages: conversation("Hello?"), tools: TOOLS }, new AbortController().signal));
    await expect(failed).rejects.toBeInstanceOf(ProviderError);
    await expect(failed).rejects.toMatchObject({ provider: "openrouter", retryable: true, status: 500 });
  });

  it("reports a refused key as a ProviderError not worth retrying", async () => {
    const failed = collect(model({ apiKey: "not-a-key" }).stream({ messages: conversation("Hello?") }, new AbortController().signal));
    await expect(failed).rejects.toMatchObject({ retryable: false, status: 401 });
  });

  it("waits out the model's first-token latency, and gives up on a model that stays silent", async () => {
    await setChatFaults({ latencyMs: 400 });
    const started = Date.now();
    let firstTextAt = 0;
    for await (const delta of model().stream({ messages: conversation("Yes, tell me more."), tools: TOOLS }, new AbortController().signal)) {
      if (delta.type === "text" && firstTextAt === 0) firstTextAt = Date.now();
    }
    expect(firstTextAt - started).toBeGreaterThanOrEqual(390);

    await setChatFaults({ latencyMs: 5_000 });
    const timedOut = Date.now();
    await expect(collect(model({ firstTokenTimeoutMs: 250 }).stream({ messages: conversation("Hello?") }, new AbortController().signal))).rejects.toMatchObject({
      retryable: true,
      status: 408,
    });
    expect(Date.now() - timedOut).toBeLessThan(2_000);
  });

  it("gives up on a reply that stalls mid-way, but not while the caller is busy with a delta", async () => {
    await setTokenDelay(600);
    const seen: ChatDelta[] = [];
    const stalled = (async () => {
      for await (const delta of model({ stallTimeoutMs: 200 }).stream({ messages: conversation("Yes, tell me more."), tools: TOOLS }, new AbortController().signal)) seen.push(delta);
    })();
    await expect(stalled).rejects.toMatchObject({ retryable: true, status: 408, message: expect.stringMatching(/stalled/) });
    expect(texts(seen)).toHaveLength(1);

    await setTokenDelay(0);
    const deltas: ChatDelta[] = [];
    for await (const delta of model({ stallTimeoutMs: 200 }).stream({ messages: conversation("Yes, tell me more."), tools: TOOLS }, new AbortController().signal)) {
      deltas.push(delta);
      // Opening text-to-speech for the first clause can take longer than the stall limit.
      if (deltas.length === 1) await new Promise((resolve) => setTimeout(resolve, 400));
    }
    expect(deltas.at(-1)).toEqual({ type: "done", finishReason: "stop" });
  });
});
