import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildEmailPrompt } from "../../domain/email/email-prompt";
import type { EmailBrief } from "../ports";
import { createLlmEmailWriter } from "./email-writer";
import { setSandboxFaults } from "../provider-test-kit";

// The sandbox from test/global-setup.ts, reached over HTTP like the real OpenRouter.
const { SANDBOX_URL } = z.object({ SANDBOX_URL: z.url() }).parse(env);
const LLM_BASE_URL = `${SANDBOX_URL}/openai/v1`;

const setChatFaults = (config: Record<string, number>) => setSandboxFaults("openai", config);

afterEach(() => setChatFaults({}));

const SCRIPT = "We help sales teams reach every lead in minutes. Ask which CRM they use; never quote prices first.";

function brief(overrides: Partial<EmailBrief> = {}): EmailBrief {
  return {
    kind: "initial",
    language: "en",
    personality: "professional",
    script: { name: "Cold v1", content: SCRIPT, objectionHandlers: [{ triggers: ["busy"], response: "Offer a 10-minute slot next week." }] },
    lead: { firstName: "Olena", lastName: "Koval", company: "Acme Logistics" },
    sender: { name: "Anna", company: "Noir" },
    ...overrides,
  };
}

function writer(options: { model?: string; timeoutMs?: number; reasons?: string[] } = {}) {
  return createLlmEmailWriter({
    apiKey: "sk-or-v1-test",
    baseURL: LLM_BASE_URL,
    ...(options.model ? { model: options.model } : {}),
    timeoutMs: options.timeoutMs ?? 5_000,
    onFallback: (reason) => options.reasons?.push(reason),
  });
}

/** No line of the prompt, no script sentence and no handler may reach the lead. */
function expectNoPromptIn(text: string, input: EmailBrief): void {
  const prompt = buildEmailPrompt(input);
  for (const line of [...prompt.system.split("\n"), ...prompt.user.split("\n")].filter((l) => l.length > 12)) {
    expect(text).not.toContain(line.replace(/^> /, ""));
  }
  expect(text).not.toContain("never quote prices");
  expect(text).not.toContain("10-minute slot");
}

describe("the LLM email writer", () => {
  it("returns the model's email, addressed to the lead and their company", async () => {
    const draft = await writer().write(brief());
    expect(draft.source).toBe("llm");
    expect(draft.subject).toBe("An idea for Acme Logistics");
    expect(draft.text).toMatch(/^Hi Olena,/);
    expect(draft.text).toContain("We help sales teams reach every lead in minutes.");
    expect(draft.text).toContain("Acme Logistics");
  });

  it("writes in Ukrainian when the brief asks for it", async () => {
    const draft = await writer().write(brief({ language: "uk" }));
    expect(draft).toMatchObject({ source: "llm", subject: "Ідея для Acme Logistics" });
    expect(draft.text).toMatch(/^Вітаю, Olena!/);
  });

  it("asks for structured output with the configured model, over the OpenAI chat API", async () => {
    await writer({ model: "openai/gpt-4o-mini" }).write(brief());
    const log = await (await fetch(`${SANDBOX_URL}/__admin/requests?provider=openai`)).json();
    const { requests } = z.object({ requests: z.array(z.object({ path: z.string(), headers: z.record(z.string(), z.string()), body: z.string() })) }).parse(log);
    const last = requests.at(-1);
    expect(last?.path).toBe("/v1/chat/completions");
    expect(last?.headers.authorization).toBe("Bearer sk-or-v1-test");
    expect(JSON.parse(last?.body ?? "{}")).toMatchObject({
      model: "openai/gpt-4o-mini",
      response_format: { type: "json_schema", json_schema: { name: "email_draft", strict: true } },
      messages: [{ role: "system" }, { role: "user" }],
    });
  });

  it("falls back to the template when the chat API answers 500", async () => {
    await setChatFaults({ failRate: 1, failStatus: 500 });
    const reasons: string[] = [];
    const draft = await writer({ reasons }).write(brief());
    expect(draft).toMatchObject({ source: "fallback", subject: "A quick idea for Acme Logistics" });
    expect(draft.text).toMatch(/^Hi Olena,/);
    expect(reasons[0]).toMatch(/500/);
    expectNoPromptIn(`${draft.subject}\n${draft.text}`, brief());
  });

  it("falls back, in the brief's language, when the chat API does not answer in time", async () => {
    await setChatFaults({ timeoutRate: 1 });
    const reasons: string[] = [];
    const started = Date.now();
    const draft = await writer({ timeoutMs: 300, reasons }).write(brief({ language: "uk" }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(draft).toMatchObject({ source: "fallback", subject: "Коротка ідея для Acme Logistics" });
    expect(reasons).toEqual(["the model did not answer in time"]);
  });

  it("falls back when the model answers with something that is not the requested JSON", async () => {
    const reasons: string[] = [];
    const draft = await writer({ model: "sandbox/junk", reasons }).write(brief());
    expect(draft.source).toBe("fallback");
    expect(reasons).toEqual(["answer is not JSON"]);
  });

  it("never sends the prompt: a model that echoes it gets the template instead", async () => {
    const reasons: string[] = [];
    const draft = await writer({ model: "sandbox/echo-prompt", reasons }).write(brief());
    expect(draft.source).toBe("fallback");
    expect(reasons).toEqual(["the prompt leaked into the email"]);
    expectNoPromptIn(`${draft.subject}\n${draft.text}`, brief());
  });

  it("falls back when the answer was cut off at the token limit", async () => {
    const draft = await writer({ model: "sandbox/truncated" }).write(brief());
    expect(draft.source).toBe("fallback");
  });

  it("stops when the caller aborts, instead of writing a fallback nobody will send", async () => {
    const controller = new AbortController();
    const pending = writer({ model: "sandbox/hang" }).write(brief(), controller.signal);
    setTimeout(() => controller.abort(new Error("campaign paused")), 50);
    await expect(pending).rejects.toThrow("campaign paused");
  });
});
