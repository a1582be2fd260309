import { Hono } from "hono";
import { ChatRequestSchema, textOf, type ChatRequest } from "./chat-request";
import { completionBody, completionStream, type Answer } from "./completion";
import { openAiError } from "./errors";
import { fillSchema, readFacts, writeEmail, writeReply } from "./prompt-author";

/**
 * Per-request misbehaviour, chosen by model name so parallel tests never share it (the harness's
 * fault config is per provider). `LLM_MODEL=sandbox/junk` shows the fallback in the dev stack too.
 */
export const SANDBOX_MODELS = {
  /** 200 with content that is not JSON. */
  junk: "sandbox/junk",
  /** Valid JSON whose body is the prompt itself: the seed's mistake, which the writer must refuse. */
  echoPrompt: "sandbox/echo-prompt",
  /** The answer cut off at the token limit (`finish_reason: "length"`). */
  truncated: "sandbox/truncated",
  /** 500 in OpenAI's error shape. */
  error500: "sandbox/error-500",
  /** Never answers; the client's timeout ends it. */
  hang: "sandbox/hang",
} as const;

/** The OpenAI-compatible chat API (what OpenRouter speaks), mounted under `/openai`. */
export function createOpenAiApp(random: () => number, now: () => number = Date.now): Hono {
  const app = new Hono();
  const completionId = () =>
    `chatcmpl-${Array.from({ length: 24 }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 36)]).join("")}`;

  app.post("/v1/chat/completions", async (c) => {
    const auth = c.req.header("authorization");
    if (!auth) {
      return openAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    // OpenAI keys are `sk-…`, OpenRouter's `sk-or-v1-…`; any such key is accepted.
    if (!/^Bearer sk-[A-Za-z0-9_-]+$/.test(auth)) return openAiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");

    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return openAiError(400, "We could not parse the JSON body of your request.");
    }
    const parsed = ChatRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return openAiError(400, `Invalid request: ${issue?.message ?? "bad body"}`, "invalid_request_error", null, issue?.path.join(".") ?? null);
    }
    const request = parsed.data;

    if (request.model === SANDBOX_MODELS.error500) {
      return openAiError(500, "The server had an error while processing your request.", "server_error");
    }
    if (request.model === SANDBOX_MODELS.hang) {
      const gone = c.req.raw.signal;
      if (!gone.aborted) await new Promise<void>((resolve) => gone.addEventListener("abort", () => resolve(), { once: true }));
      return new Response(null, { status: 499 });
    }

    const answer = answerFor(request);
    const id = completionId();
    const created = Math.floor(now() / 1000);
    if (request.stream) {
      return new Response(completionStream(id, created, request, answer), {
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    return c.json(completionBody(id, created, request, answer));
  });

  app.get("/v1/models", (c) =>
    c.json({ object: "list", data: [{ id: "google/gemini-2.0-flash-001", object: "model", created: 0, owned_by: "sandbox" }] }),
  );

  app.notFound(() => openAiError(404, "Unknown request URL.", "invalid_request_error", "unknown_url"));
  return app;
}

function answerFor(request: ChatRequest): Answer {
  const promptChars = request.messages.reduce((sum, message) => sum + textOf(message).length, 0);
  const format = request.response_format;
  const wantsJson = format?.type === "json_schema" || format?.type === "json_object";

  if (request.model === SANDBOX_MODELS.junk) {
    return { content: 'Sure! Here is the email you asked for: {"subject": "Hello', finishReason: "stop", promptChars };
  }
  if (request.model === SANDBOX_MODELS.echoPrompt) {
    const prompt = request.messages.map(textOf).join("\n\n");
    return { content: JSON.stringify({ subject: "Your email", body: prompt }), finishReason: "stop", promptChars };
  }

  const facts = readFacts(request);
  let content: string;
  if (facts === null && !wantsJson) content = writeReply(request);
  else {
    const written = facts ? writeEmail(facts) : { subject: "Hello", body: writeReply(request) };
    content = wantsJson
      ? JSON.stringify(fillSchema(format?.type === "json_schema" ? format.json_schema.schema : undefined, written))
      : `Subject: ${written.subject}\n\n${written.body}`;
  }
  if (request.model === SANDBOX_MODELS.truncated) {
    return { content: content.slice(0, Math.ceil(content.length / 2)), finishReason: "length", promptChars };
  }
  return { content, finishReason: "stop", promptChars };
}
