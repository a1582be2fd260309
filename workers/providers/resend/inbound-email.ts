import { z } from "zod";
import { ProviderError } from "../ports";
import { DEFAULT_RESEND_BASE_URL } from "./email-sender";

const ReceivedEmail = z.object({
  id: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string().nullable().optional(),
  text: z.string().nullable().optional(),
  html: z.string().nullable().optional(),
});
export type ReceivedEmail = z.infer<typeof ReceivedEmail>;

/**
 * An inbound email's content: Resend's `email.received` webhook carries only metadata, the body
 * is fetched by id. https://resend.com/docs/api-reference/emails/retrieve-received-email
 */
export async function fetchReceivedEmail(options: { apiKey: string; baseUrl?: string }, id: string): Promise<ReceivedEmail> {
  const response = await fetch(`${(options.baseUrl ?? DEFAULT_RESEND_BASE_URL).replace(/\/$/, "")}/emails/receiving/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${options.apiKey}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new ProviderError("resend", `fetching received email ${id}: HTTP ${response.status}`, response.status >= 500 || response.status === 429, response.status);
  const parsed = ReceivedEmail.safeParse(await response.json());
  if (!parsed.success) throw new ProviderError("resend", "received email in an unexpected shape", false);
  return parsed.data;
}
