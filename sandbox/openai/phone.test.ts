import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../harness/server";

let sandbox: Sandbox;
let client: OpenAI;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7 });
  client = new OpenAI({ apiKey: sandbox.openai.apiKey, baseURL: sandbox.env.LLM_BASE_URL, maxRetries: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.setProviderConfig("openai", {});
  sandbox.openai.setTokenDelay(0);
});

const tool = (name: string): ChatCompletionTool => ({ type: "function", function: { name, description: name, parameters: { type: "object", properties: {} } } });
const TOOLS = ["end_call", "set_outcome", "book_meeting", "do_not_call"].map(tool);

/** Shaped like workers/domain/voice/agent-prompt.ts, with a pinned clock (a Monday in Kyiv). */
function systemPrompt(language = "English") {
  return [
    "You are Anna, an AI assistant making a phone call on behalf of Noir. You already introduced yourself as an AI assistant; never pretend to be human.",
    `Speak ${language}. Manner: warm and friendly.`,
    "Now: 2025-06-02T09:00:00+03:00",
    "<script>",
    "We help sales teams reach every lead in minutes. Most teams see replies double in a month.",
    "</script>",
    "<objection_handlers>",
    '- When they say "too expensive" or "дорого": We start at 99 dollars a month, less than one lunch a week.',
    "</objection_handlers>",
    "<callee>",
    "name: Olena Koval",
    "company: Acme Logistics",
    "</callee>",
  ].join("\n");
}

const OPENING = "Hello! I'm Anna, an AI assistant calling on behalf of Noir. Do you have a minute to talk?";

function call(turns: ChatCompletionMessageParam[], options: { tools?: ChatCompletionTool[]; language?: string } = {}) {
  return client.chat.completions.create({
    model: "google/gemini-2.0-flash-001",
    tools: options.tools ?? TOOLS,
    messages: [{ role: "system", content: systemPrompt(options.language) }, { role: "assistant", content: OPENING }, ...turns],
  });
}

async function reply(turns: ChatCompletionMessageParam[], options?: { tools?: ChatCompletionTool[]; language?: string }) {
  const completion = await call(turns, options);
  const choice = completion.choices[0];
  const calls = (choice?.message.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [{ name: c.function.name, args: JSON.parse(c.function.arguments) as unknown }] : []));
  return { text: choice?.message.content ?? "", calls, finish: choice?.finish_reason };
}

const said = (text: string): ChatCompletionMessageParam => ({ role: "user", content: text });
const answered = (text: string): ChatCompletionMessageParam => ({ role: "assistant", content: text });

describe("the chat stand-in on a phone call (a request offering end_call)", () => {
  it("follows the script a sentence a turn, then asks for a meeting", async () => {
    const first = await reply([said("Yes, that sounds interesting. Tell me more.")]);
    expect(first).toMatchObject({ text: "We help sales teams reach every lead in minutes.", calls: [], finish: "stop" });
    const second = await reply([said("Yes, tell me more."), answered(first.text), said("Okay, go on.")]);
    expect(second.text).toBe("Most teams see replies double in a month. Would you have time for a short meeting this week, say tomorrow at ten?");
  });

  it("answers an objection with the script's handler, once", async () => {
    const handled = await reply([said("Hmm, that sounds too expensive for us.")]);
    expect(handled).toMatchObject({ text: "We start at 99 dollars a month, less than one lunch a week.", calls: [] });
    const again = await reply([said("Too expensive."), answered(handled.text), said("Still too expensive.")]);
    expect(again.text).not.toContain("99 dollars");
  });

  it("books the meeting the callee agrees to, records interest and hangs up", async () => {
    const asked = "Would you have time for a short meeting this week, say tomorrow at ten?";
    const booked = await reply([said("Sure."), answered(asked), said("Sure, a meeting works for me. Tuesday at ten is good.")]);
    expect(booked.finish).toBe("tool_calls");
    expect(booked.text).toBe("Great, I've booked our meeting for Tuesday at 10:00. Thank you, goodbye!");
    expect(booked.calls).toEqual([
      { name: "book_meeting", args: { at: "2025-06-03T10:00:00+03:00", notes: "Sure, a meeting works for me. Tuesday at ten is good." } },
      { name: "set_outcome", args: { outcome: "interested" } },
      { name: "end_call", args: { reason: "meeting booked" } },
    ]);
    // A plain yes to our own meeting ask books what we proposed: tomorrow at ten.
    const yes = await reply([said("Hi."), answered(asked), said("Okay, that sounds good.")]);
    expect(yes.calls[0]).toEqual({ name: "book_meeting", args: { at: "2025-06-03T10:00:00+03:00", notes: "Okay, that sounds good." } });
  });

  it("asks for the meeting once: turned down, it thanks the callee and hangs up", async () => {
    const first = await reply([said("I don't have time for a meeting. Send me an email.")]);
    expect(first.calls).toEqual([]);
    const asked = "Most teams see replies double in a month. Would you have time for a short meeting this week, say tomorrow at ten?";
    const turns = [said("Go on."), answered("We help sales teams reach every lead in minutes."), said("Okay."), answered(asked)];
    const refused = await reply([...turns, said("I don't have time for a meeting. Send me an email.")]);
    expect(refused.text).toBe("No problem, I won't keep you. Thank you for your time, goodbye!");
    expect(refused.calls.map((c) => [c.name, c.args])).toEqual([
      ["set_outcome", { outcome: "not_interested" }],
      ["end_call", { reason: "no meeting" }],
    ]);
  });

  it("never calls again when asked: do_not_call, then end_call", async () => {
    const { text, calls, finish } = await reply([said("Please don't call me again. Take me off your list.")]);
    expect(finish).toBe("tool_calls");
    expect(text).toMatch(/sorry/i);
    expect(calls).toEqual([
      { name: "do_not_call", args: {} },
      { name: "end_call", args: { reason: "the callee asked not to be called again" } },
    ]);
  });

  it("records not interested and hangs up when the callee says so and goodbye", async () => {
    const { calls } = await reply([said("I'm not interested, thanks. Goodbye.")]);
    expect(calls.map((c) => [c.name, c.args])).toEqual([
      ["set_outcome", { outcome: "not_interested" }],
      ["end_call", { reason: "not interested" }],
    ]);
  });

  it("agrees to call back at the time the callee names", async () => {
    const { text, calls } = await reply([said("I'm driving right now, call me back tomorrow at 3pm.")]);
    expect(text).toBe("Of course, I'll call you back on Tuesday at 15:00. Goodbye!");
    expect(calls[0]).toEqual({ name: "set_outcome", args: { outcome: "call_back", callbackAt: "2025-06-03T15:00:00+03:00" } });
  });

  it("speaks Ukrainian when the prompt says so", async () => {
    const booked = await reply([said("Так, давайте зустрінемось у четвер о 14:00.")], { language: "Ukrainian" });
    expect(booked.text).toBe("Чудово, зустріч призначено на четвер о 14:00. Дякую, до побачення!");
    expect(booked.calls[0]).toMatchObject({ name: "book_meeting", args: { at: "2025-06-05T14:00:00+03:00" } });
    const objection = await reply([said("Це занадто дорого для нас.")], { language: "Ukrainian" });
    expect(objection.text).toBe("We start at 99 dollars a month, less than one lunch a week.");
    const stop = await reply([said("Не дзвоніть мені більше.")], { language: "Ukrainian" });
    expect(stop.text).toBe("Вибачте за турботу. Більше не телефонуватимемо. До побачення.");
    expect(stop.calls.map((c) => c.name)).toEqual(["do_not_call", "end_call"]);
  });

  it("only calls the tools the request offers", async () => {
    const { calls } = await reply([said("Don't call me again.")], { tools: [tool("end_call")] });
    expect(calls.map((c) => c.name)).toEqual(["end_call"]);
  });

  it("says nothing more after a hang-up it asked for", async () => {
    const completion = await call([
      said("Bye."),
      { role: "assistant", content: "Thank you, goodbye!", tool_calls: [{ id: "call_1", type: "function", function: { name: "end_call", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: "done" },
    ]);
    expect(completion.choices[0]).toMatchObject({ message: { content: "" }, finish_reason: "stop" });
  });

  it("without end_call on offer, it is not a call: the plain chat answer", async () => {
    const { text, calls } = await reply([said("Don't call me again.")], { tools: [tool("lookup")] });
    expect(text).toContain('"Don\'t call me again."');
    expect(calls).toEqual([]);
  });
});

interface Sse {
  at: number;
  data: { choices: { delta: Record<string, unknown>; finish_reason: string | null }[] } | "[DONE]";
}

/** The raw SSE events of one streamed phone turn, with when each arrived (ms after the request). */
async function streamRaw(target: Sandbox, userText: string): Promise<Sse[]> {
  const started = performance.now();
  const response = await fetch(`${target.env.LLM_BASE_URL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.openai.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "m", stream: true, tools: TOOLS, messages: [{ role: "system", content: systemPrompt() }, { role: "assistant", content: OPENING }, said(userText)] }),
  });
  const events: Sse[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of response.body ?? []) {
    buffer += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const payload = line.slice("data: ".length);
      events.push({ at: performance.now() - started, data: payload === "[DONE]" ? "[DONE]" : JSON.parse(payload) });
    }
  }
  return events;
}

const deltas = (events: Sse[]) => events.flatMap((e) => (e.data === "[DONE]" ? [] : [e.data.choices[0]?.delta ?? {}]));

describe("the chat stand-in streaming a phone turn", () => {
  it("streams text in token-sized pieces, then each tool call as OpenAI's fragments", async () => {
    const events = await streamRaw(sandbox, "Please don't call me again.");
    const all = deltas(events);
    const text = all.flatMap((d) => (typeof d.content === "string" && d.content ? [d.content] : []));
    expect(text.join("")).toBe("I'm sorry to have bothered you. We won't call you again. Goodbye.");
    for (const piece of text) expect(Array.from(piece).length).toBeLessThanOrEqual(5);
    expect(text.length).toBeGreaterThan(10);

    const fragments = all.flatMap((d) => (Array.isArray(d.tool_calls) ? (d.tool_calls as Record<string, unknown>[]) : []));
    const heads = fragments.filter((f) => "id" in f);
    expect(heads).toEqual([
      { index: 0, id: expect.stringMatching(/^call_[a-z0-9]{24}$/), type: "function", function: { name: "do_not_call", arguments: "" } },
      { index: 1, id: expect.stringMatching(/^call_[a-z0-9]{24}$/), type: "function", function: { name: "end_call", arguments: "" } },
    ]);
    const endCallArgs = fragments.filter((f) => f.index === 1 && !("id" in f));
    expect(endCallArgs.length).toBeGreaterThan(2);
    for (const f of endCallArgs) expect(Object.keys(f).sort()).toEqual(["function", "index"]);
    expect(JSON.parse(endCallArgs.map((f) => (f.function as { arguments: string }).arguments).join(""))).toEqual({ reason: "the callee asked not to be called again" });

    const finish = events.flatMap((e) => (e.data === "[DONE]" ? [] : [e.data.choices[0]?.finish_reason])).filter(Boolean);
    expect(finish).toEqual(["tool_calls"]);
    expect(events.at(-1)?.data).toBe("[DONE]");
  });

  it("cuts the same answer into the same pieces for the same seed, and other pieces for another", async () => {
    const twin = await startSandbox({ port: 0, seed: 7 });
    const other = await startSandbox({ port: 0, seed: 8 });
    try {
      const pieces = async (target: Sandbox) => deltas(await streamRaw(target, "Too expensive.")).map((d) => d.content ?? JSON.stringify(d.tool_calls ?? null));
      const mine = await pieces(sandbox);
      expect(await pieces(twin)).toEqual(mine);
      expect(await pieces(other)).not.toEqual(mine);
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it("writes at the configured pace after a first-token delay from the fault config", async () => {
    sandbox.setProviderConfig("openai", { latencyMs: 150 });
    sandbox.openai.setTokenDelay(25);
    const events = await streamRaw(sandbox, "Too expensive.");
    const first = events.find((e) => e.data !== "[DONE]" && typeof e.data.choices[0]?.delta.content === "string" && e.data.choices[0].delta.content !== "");
    expect(events[0]?.at).toBeGreaterThanOrEqual(140);
    expect(first?.at).toBeGreaterThanOrEqual(140);
    const contentEvents = events.length - 3; // role chunk, finish chunk, [DONE]
    const span = (events.at(-2)?.at ?? 0) - (events[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(contentEvents * 25 * 0.8);
  });

  it("stops streaming when the client goes away, and says so", async () => {
    sandbox.openai.setTokenDelay(20);
    const controller = new AbortController();
    const response = await fetch(`${sandbox.env.LLM_BASE_URL}/chat/completions`, {
      method: "POST",
      signal: controller.signal,
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, tools: TOOLS, messages: [{ role: "system", content: systemPrompt() }, said("Tell me more.")] }),
    });
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.read();
    controller.abort();
    const deadline = Date.now() + 2_000;
    let last = sandbox.openai.streams().at(-1);
    while (last?.state === "streaming" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      last = sandbox.openai.streams().at(-1);
    }
    expect(last?.state).toBe("cancelled");
    expect(last?.sent).toBeLessThan(last?.chunks ?? 0);
  });
});
