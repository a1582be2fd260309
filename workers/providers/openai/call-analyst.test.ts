import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCallAnalyst } from "./call-analyst";

const analyst = (model: string) => createCallAnalyst({ apiKey: env.OPENROUTER_API_KEY!, baseURL: env.LLM_BASE_URL!, model, timeoutMs: 2_000 });
const meeting = {
  transcript: [
    { role: "agent" as const, text: "Hello! I'm Ada, an AI assistant calling on behalf of Acme. Would a short demo help?" },
    { role: "callee" as const, text: "Yes, Tuesday at ten works for me." },
  ],
  outcome: "meeting_booked",
};

describe("the post-call review", () => {
  it("reads the model's structured answer: sentiment, score, summary and outcome", async () => {
    const review = await analyst("google/gemini-2.0-flash-001").analyse(meeting);
    expect(review).toMatchObject({ source: "llm", sentiment: "positive", outcome: "meeting_booked", summary: expect.stringContaining("Tuesday at ten") });
    expect(review.score).toBeGreaterThanOrEqual(50);
  });

  it("falls back to the call's own outcome when the model answers junk, fails or hangs", async () => {
    for (const model of ["sandbox/junk", "sandbox/error-500", "sandbox/hang"]) {
      const review = await analyst(model).analyse(meeting);
      expect(review, model).toEqual({ source: "fallback", sentiment: "positive", score: 90, outcome: "meeting_booked", summary: 'The callee said: "Yes, Tuesday at ten works for me."' });
    }
    const silent = await analyst("sandbox/junk").analyse({ transcript: [{ role: "agent", text: "Hello?" }], outcome: null });
    expect(silent).toMatchObject({ outcome: "no_response", sentiment: "neutral", score: 10 });
  }, 20_000);
});
