import { Hono } from "hono";
import { z } from "zod";
import { ChatRequestSchema, textOf, type ChatRequest } from "./chat-request";
import { completionBody, completionStream, type Answer } from "./completion";
import { openAiError } from "./errors";
import { isCallReview, reviewCall } from "./call-review";
import { isPhoneTurn, phoneTurn } from "./phone-call";
import { fillSchema, readFacts, writeEmail, writeReply } from "./prompt-author";
import { StreamControl } from "./stream-control";

const StreamingBody = z.strictObject({ tokenDelayMs: z.number().int().min(0).max(10_000).default(0) });

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

/**
 * The OpenAI-compatible chat API (what OpenRouter speaks), mounted under `/openai`, with the
 * stand-in's own controls under `/openai/sandbox/*`.
 */
export function createOpenAiApp(random: () => number, now: () => number = Date.now, streams: StreamControl = new StreamControl()): Hono {
  const app = new Hono();
  const token = (length: number) => Array.from({ length }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 36)]).join("");
  const completionId = () => `chatcmpl-${token(24)}`;
  // Token cuts depend on this and the answer only, not on how many requests came before.
  const chunkSeed = Math.floor(random() * 2 ** 32);

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

    const answer = answerFor(request, now(), () => `call_${token(24)}`);
    const id = completionId();
    const created = Math.floor(now() / 1000);
    if (request.stream) {
      const pacing = { seed: chunkSeed, tokenDelayMs: streams.tokenDelayMs, record: streams.open(id, request.model, now()) };
      return new Response(completionStream(id, created, request, answer, pacing), {
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    return c.json(completionBody(id, created, request, answer));
  });

  app.get("/v1/models", (c) =>
    c.json({ object: "list", data: [{ id: "google/gemini-2.0-flash-001", object: "model", created: 0, owned_by: "sandbox" }] }),
  );

  // Ours, not OpenAI's: how fast the "model" writes, and what was streamed (for barge-in tests).
  app.get("/sandbox/streaming", (c) => c.json({ tokenDelayMs: streams.tokenDelayMs }));
  app.put("/sandbox/streaming", async (c) => {
    const parsed = StreamingBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_body", detail: z.prettifyError(parsed.error) }, 400);
    streams.tokenDelayMs = parsed.data.tokenDelayMs;
    return c.json(parsed.data);
  });
  app.get("/sandbox/streams", (c) => c.json({ data: streams.records() }));
  app.delete("/sandbox/streams", (c) => {
    streams.reset();
    return c.body(null, 204);
  });

  app.notFound(() => openAiError(404, "Unknown request URL.", "invalid_request_error", "unknown_url"));
  return app;
}

function answerFor(request: ChatRequest, nowMs: number, callId: () => string): Answer {
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

  if (isCallReview(request)) return { content: JSON.stringify(reviewCall(request)), finishReason: "stop", promptChars };

  if (isPhoneTurn(request)) {
    const turn = phoneTurn(request, nowMs);
    const toolCalls = turn.calls.map((call) => ({ id: callId(), name: call.name, arguments: JSON.stringify(call.arguments) }));
    if (request.model === SANDBOX_MODELS.truncated) {
      return { content: turn.text.slice(0, Math.ceil(turn.text.length / 2)), finishReason: "length", promptChars };
    }
    return { content: turn.text, toolCalls, finishReason: toolCalls.length > 0 ? "tool_calls" : "stop", promptChars };
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
