import { z } from "zod";
import { ProviderError } from "../ports";
import type { VoiceCatalog, VoiceLanguage } from "../voice-ports";
import { describe, httpError, normaliseBaseUrl, parseJson, PROVIDER } from "./errors";
import { languageCodeFor, modelFor } from "./models";

export interface ElevenLabsCatalogOptions {
  /** `ELEVENLABS_API_KEY`. */
  apiKey: string;
  /** `ELEVENLABS_BASE_URL`; the sandbox's `…/elevenlabs` locally. */
  baseUrl?: string;
  /** Per request, body included. */
  timeoutMs?: number;
  /** The same per-language models as the calls, so a sample sounds like the call will. */
  models?: Partial<Record<VoiceLanguage, string>>;
}

/** The fields of `GET /v1/voices` we show; ElevenLabs sends many more. */
const VoicesBody = z.object({
  voices: z.array(
    z.object({
      voice_id: z.string().min(1),
      name: z.string(),
      labels: z.record(z.string(), z.unknown()).nullish(),
      verified_languages: z.array(z.object({ language: z.string() })).nullish(),
      preview_url: z.string().nullish(),
    }),
  ),
});

/** What the voice picker plays: small and playable in any browser. */
const SAMPLE_FORMAT = "mp3_44100_128";

/**
 * The dashboard's voice picker: the account's voices and a short sample in one of them, with thin
 * fetch calls (the SDK would add ~500 KiB to wrap these two requests).
 */
export function createElevenLabsCatalog(options: ElevenLabsCatalogOptions): VoiceCatalog {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { "xi-api-key": options.apiKey, ...init.headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new ProviderError(PROVIDER, timeout.aborted ? `no answer within ${timeoutMs} ms` : `network error: ${describe(error)}`, true);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw httpError(response.status, text, response.headers.get("retry-after"));
    }
    return response;
  }

  /** Reads the body under the same signals as the request: a stalled body is a timeout too. */
  async function read<T>(response: Response, how: (response: Response) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await how(response);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new ProviderError(PROVIDER, `body cut off: ${describe(error)}`, true, response.status);
    }
  }

  return {
    // https://elevenlabs.io/docs/api-reference/voices/get-all (v1: the whole list in one answer)
    async voices(signal) {
      const response = await call("/v1/voices", { method: "GET" }, signal);
      const body = VoicesBody.safeParse(parseJson(await read(response, (r) => r.text(), signal)));
      if (!body.success) throw new ProviderError(PROVIDER, `unexpected voices body: ${z.prettifyError(body.error).slice(0, 200)}`, false, response.status);
      return body.data.voices.map((voice) => ({
        id: voice.voice_id,
        name: voice.name,
        languages: languagesOf(voice),
        gender: label(voice.labels, "gender"),
        previewUrl: voice.preview_url || null,
      }));
    },

    // https://elevenlabs.io/docs/api-reference/text-to-speech/stream
    async sample(voiceId, text, language, signal) {
      const modelId = modelFor(language, options.models);
      const languageCode = languageCodeFor(language, modelId);
      const response = await call(
        `/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream?output_format=${SAMPLE_FORMAT}`,
        {
          method: "POST",
          headers: { "content-type": "application/json", accept: "audio/mpeg" },
          body: JSON.stringify({ text, model_id: modelId, ...(languageCode === null ? {} : { language_code: languageCode }) }),
        },
        signal,
      );
      const body = await read(response, (r) => r.arrayBuffer(), signal);
      return { contentType: response.headers.get("content-type") ?? "audio/mpeg", body };
    },
  };
}

/**
 * The languages ElevenLabs verified the voice in (listed once per model, so deduplicated); a voice
 * without them (older or shared ones) may still carry a `language` label.
 */
function languagesOf(voice: z.infer<typeof VoicesBody>["voices"][number]): string[] {
  const verified = (voice.verified_languages ?? []).map((v) => v.language);
  const labelled = label(voice.labels, "language");
  return [...new Set(verified.length > 0 ? verified : labelled ? [labelled] : [])];
}

function label(labels: Record<string, unknown> | null | undefined, key: string): string | null {
  const value = labels?.[key];
  return typeof value === "string" && value !== "" ? value : null;
}
