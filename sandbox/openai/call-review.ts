import type { ChatRequest } from "./chat-request";
import { textOf } from "./chat-request";

const POSITIVE = /\b(yes|sure|great|interested|sounds good|meeting|demo|tuesday|wednesday|thursday|friday|monday|так|цікаво|добре)\b/i;
const NEGATIVE = /\b(not interested|don't call|do not call|too expensive|no thanks|stop|goodbye|не цікаво|не дзвоніть)\b/i;

/** A post-call review: the request asks for a JSON schema with sentiment, score, summary and outcome. */
export function isCallReview(request: ChatRequest): boolean {
  const format = request.response_format;
  if (format?.type !== "json_schema") return false;
  const properties = format.json_schema.schema?.properties;
  return typeof properties === "object" && properties !== null && ["sentiment", "score", "summary", "outcome"].every((key) => key in properties);
}

/**
 * Reads the transcript the way a reviewer would, in rules: the callee's words set the sentiment, the
 * outcome recorded during the call is kept, and the summary quotes the callee.
 */
export function reviewCall(request: ChatRequest): Record<string, unknown> {
  const prompt = request.messages.map(textOf).join("\n");
  const recorded = /Outcome recorded during the call: (\w+)/.exec(prompt)?.[1] ?? "conversation";
  const callee = [...prompt.matchAll(/^Callee: (.*)$/gm)].map((m) => m[1]).join(" ");
  const negative = NEGATIVE.test(callee) && !/meeting_booked|interested/.test(recorded.replace("not_interested", ""));
  const positive = POSITIVE.test(callee) && !negative;
  const outcomes = ["meeting_booked", "interested", "call_back", "not_interested", "do_not_call", "no_response", "conversation"];
  return {
    sentiment: positive ? "positive" : negative ? "negative" : "neutral",
    score: recorded === "meeting_booked" ? 88 : positive ? 70 : negative ? 12 : 40,
    summary: callee ? `The callee said: "${callee.slice(0, 200)}". Outcome: ${recorded}.` : "The callee did not speak.",
    outcome: outcomes.includes(recorded) ? recorded : "conversation",
  };
}
