import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSandbox, type Sandbox } from "../harness/server";

let sandbox: Sandbox;
let client: OpenAI;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  client = new OpenAI({ apiKey: sandbox.openai.apiKey, baseURL: sandbox.env.LLM_BASE_URL, maxRetries: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.setProviderConfig("openai", {}));

// Shaped like the facts block of Noir's email prompt (workers/domain/email/email-prompt.ts).
const FACTS = (language: string) =>
  [
    `Kind: initial`,
    `Language: ${language}`,
    "",
    "Lead",
    "- First name: Olena",
    "- Last name: Koval",
    "- Company: Acme Logistics",
    "",
    "Sender",
    "- Name: Anna",
    "- Company: Noir",
    "",
    "Script (what we offer)",
    "> We help sales teams reach every lead in minutes. Ask about their CRM.",
  ].join("\n");

const DRAFT_FORMAT = {
  type: "json_schema" as const,
  json_schema: {
    name: "email_draft",
    strict: true,
    schema: { type: "object", properties: { subject: { type: "string" }, body: { type: "string" } }, required: ["subject", "body"], additionalProperties: false },
  },
};
const Draft = z.strictObject({ subject: z.string(), body: z.string() });

function draftRequest(language: string, model = "google/gemini-2.0-flash-001") {
  return { model, messages: [{ role: "system" as const, content: "Write the email." }, { role: "user" as const, content: FACTS(language) }], response_format: DRAFT_FORMAT };
}

describe("OpenAI-compatible chat stand-in", () => {
  it("writes from the prompt: JSON fitting the schema, greeting the lead and naming the company", async () => {
    const completion = await client.chat.completions.create(draftRequest("en (English)"));
    expect(completion).toMatchObject({ object: "chat.completion", model: "google/gemini-2.0-flash-001", choices: [{ finish_reason: "stop" }] });
    const draft = Draft.parse(JSON.parse(completion.choices[0]?.message.content ?? ""));
    expect(draft.subject).toBe("An idea for Acme Logistics");
    expect(draft.body).toMatch(/^Hi Olena,\n\nWe help sales teams reach every lead in minutes\.\n\n/);
    expect(draft.body).toMatch(/Best regards,\nAnna\nNoir$/);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("greets in Ukrainian when the prompt asks for Ukrainian", async () => {
    const completion = await client.chat.completions.create(draftRequest("uk (Ukrainian)"));
    const draft = Draft.parse(JSON.parse(completion.choices[0]?.message.content ?? ""));
    expect(draft).toMatchObject({ subject: "Ідея для Acme Logistics" });
    expect(draft.body.startsWith("Вітаю, Olena!")).toBe(true);
  });

  it("streams the same answer as SSE chunks ending with data: [DONE]", async () => {
    const plain = await client.chat.completions.create(draftRequest("en"));
    const stream = await client.chat.completions.create({ ...draftRequest("en"), stream: true, stream_options: { include_usage: true } });
    let text = "";
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });

    const raw = await fetch(`${sandbox.env.LLM_BASE_URL}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "Hello there" }] }),
    });
    expect(raw.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await raw.text()).split("\n\n").filter(Boolean);
    expect(events.every((event) => event.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(JSON.parse(events[0]?.slice(6) ?? "")).toMatchObject({ object: "chat.completion.chunk", choices: [{ delta: { role: "assistant" } }] });
  });

  it("answers a conversation without email facts by quoting the user", async () => {
    const completion = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "Who is calling?" }] });
    expect(completion.choices[0]?.message.content).toContain('"Who is calling?"');
  });

  it("refuses a missing or malformed key with 401, as the SDK expects", async () => {
    const anonymous = await fetch(`${sandbox.env.LLM_BASE_URL}/chat/completions`, { method: "POST", body: JSON.stringify(draftRequest("en")) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringMatching(/API key/) } });
    const wrongKey = new OpenAI({ apiKey: "not-a-key", baseURL: sandbox.env.LLM_BASE_URL, maxRetries: 0 });
    await expect(wrongKey.chat.completions.create(draftRequest("en"))).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("answers 400 naming the bad parameter", async () => {
    await expect(client.chat.completions.create({ model: "m", messages: [] })).rejects.toMatchObject({ status: 400, param: "messages" });
  });

  it("misbehaves per request by model name: junk, the prompt echoed, cut off, 500", async () => {
    const { models } = sandbox.openai;
    const junk = await client.chat.completions.create(draftRequest("en", models.junk));
    expect(() => JSON.parse(junk.choices[0]?.message.content ?? "")).toThrow();
    const echoed = await client.chat.completions.create(draftRequest("en", models.echoPrompt));
    expect(Draft.parse(JSON.parse(echoed.choices[0]?.message.content ?? "")).body).toContain("- First name: Olena");
    const cut = await client.chat.completions.create(draftRequest("en", models.truncated));
    expect(cut.choices[0]?.finish_reason).toBe("length");
    await expect(client.chat.completions.create(draftRequest("en", models.error500))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it("hangs for the hang model until the client gives up", async () => {
    const impatient = new OpenAI({ apiKey: "sk-test", baseURL: sandbox.env.LLM_BASE_URL, maxRetries: 0, timeout: 200 });
    await expect(impatient.chat.completions.create(draftRequest("en", sandbox.openai.models.hang))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
  });

  it("answers injected faults in OpenAI's error shape", async () => {
    sandbox.setProviderConfig("openai", { failRate: 1, failStatus: 429 });
    await expect(client.chat.completions.create(draftRequest("en"))).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded" });
  });
});
