/**
 * OpenAI's error body, which OpenRouter and the SDK's error classes read:
 * `{ error: { message, type, param, code } }`. https://platform.openai.com/docs/guides/error-codes
 */
export function openAiError(
  status: number,
  message: string,
  type = "invalid_request_error",
  code: string | null = null,
  param: string | null = null,
): Response {
  return Response.json({ error: { message, type, param, code } }, { status });
}

/** Injected failures as the API's own: 429 rate limit, 5xx server error. */
export function openAiFaultResponse(status: number): Response {
  if (status === 429) return openAiError(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded");
  if (status >= 500) return openAiError(status, "The server had an error while processing your request.", "server_error");
  return openAiError(status, "Injected by the Noir sandbox", "sandbox_injected_fault");
}
