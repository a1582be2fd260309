import { Hono, type Context } from "hono";
import { z } from "zod";
import { encodeSpeech } from "../speech/codec";
import { CONTENT_TYPES, parseOutputFormat, synthesize, ulawToPcm16, wav } from "./audio";
import { elevenLabsError, INVALID_KEY_MESSAGE, MISSING_KEY_MESSAGE, validationError, voiceNotFoundMessage } from "./errors";
import type { ElevenLabsState } from "./stand-in";
import { DEFAULT_MODEL, MODELS, previewText } from "./voices";

const DropRequest = z.object({ afterAudioMs: z.number().finite().nonnegative().optional() });

/** ElevenLabs' HTTP API as far as Noir uses it, mounted by the harness under `/elevenlabs`. */
export function createElevenLabsApp(state: ElevenLabsState): Hono {
  const app = new Hono();
  const origin = (c: Context) => new URL(c.req.url).origin;

  // Public, as ElevenLabs' preview files on a CDN are: a WAV a browser can play.
  app.get("/previews/:file", (c) => {
    const voice = state.voicesAt(origin(c)).find((v) => `${v.voice_id}.wav` === c.req.param("file"));
    if (!voice) return c.text("Not Found", 404);
    return new Response(wav(ulawToPcm16(encodeSpeech(previewText(voice)), 8000), 8000), { headers: { "content-type": "audio/wav" } });
  });

  // Ours, like Deepgram's `POST /deepgram/sandbox/drop`: ElevenLabs failing mid-stream, for tests of
  // a voice that drops mid-reply. No body: every open stream-input socket closes now (1011). With
  // `{"afterAudioMs": n}`: the next socket to open closes once it has sent n ms of audio.
  app.post("/sandbox/drop", async (c) => {
    const text = await c.req.text();
    let body: unknown = null;
    try {
      body = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      // not JSON: the schema refuses the null
    }
    const parsed = DropRequest.safeParse(body);
    if (!parsed.success) return c.json({ error: "The body is {} or {\"afterAudioMs\": n} with n ≥ 0" }, 400);
    const { afterAudioMs } = parsed.data;
    if (afterAudioMs === undefined) return c.json({ dropped: state.drop() });
    state.drop({ afterAudioMs });
    return c.json({ dropped: 0, armed: { afterAudioMs } });
  });

  app.use("/v1/*", async (c, next) => {
    const key = c.req.header("xi-api-key");
    if (!key) return elevenLabsError(401, "needs_authorization", MISSING_KEY_MESSAGE);
    if (key !== state.apiKey) return elevenLabsError(401, "invalid_api_key", INVALID_KEY_MESSAGE);
    await next();
  });

  // https://elevenlabs.io/docs/api-reference/voices/get-all (v1: the whole list, no paging)
  app.get("/v1/voices", (c) => c.json({ voices: state.voicesAt(origin(c)) }));

  app.get("/v1/voices/:voice_id", (c) => {
    const voice = state.voicesAt(origin(c)).find((v) => v.voice_id === c.req.param("voice_id"));
    return voice ? c.json(voice) : elevenLabsError(404, "voice_not_found", voiceNotFoundMessage(c.req.param("voice_id")));
  });

  // https://elevenlabs.io/docs/api-reference/text-to-speech/convert and …/stream: the same audio here.
  const speak = async (c: Context) => {
    const voiceId = c.req.param("voice_id") ?? "";
    const formatName = c.req.query("output_format") ?? "mp3_44100_128";
    const format = parseOutputFormat(formatName);
    if (!format) {
      return validationError(
        ["query", "output_format"],
        "The Noir sandbox serves ulaw_8000, pcm_8000/16000/22050/24000/44100/48000 and mp3_<rate>_<kbps>.",
        formatName,
        "enum",
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return validationError(["body"], "JSON decode error", null, "json_invalid");
    }
    const request = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    if (!request) return validationError(["body"], "Input should be a valid dictionary or object to extract fields from", body, "model_attributes_type");
    const { text, model_id: modelId = DEFAULT_MODEL, voice_settings: voiceSettings, language_code: languageCode = null } = request;
    if (text === undefined) return validationError(["body", "text"], "Field required", request, "missing");
    if (typeof text !== "string") return validationError(["body", "text"], "Input should be a valid string", text, "string_type");
    if (text.trim() === "") return elevenLabsError(400, "invalid_text", "The text must contain something to say.");
    if (typeof modelId !== "string" || !MODELS[modelId]) {
      return elevenLabsError(400, "model_not_found", `A model with model ID ${String(modelId)} does not exist.`);
    }
    if (languageCode !== null && typeof languageCode !== "string") return validationError(["body", "language_code"], "Input should be a valid string", languageCode, "string_type");
    const languages = MODELS[modelId]?.languages ?? null;
    if (languageCode !== null && languages !== null && !languages.includes(languageCode)) {
      return elevenLabsError(400, "unsupported_language", `Model ${modelId} does not support language_code ${languageCode}.`);
    }
    if (!state.voicesAt("").some((v) => v.voice_id === voiceId)) return elevenLabsError(404, "voice_not_found", voiceNotFoundMessage(voiceId));
    state.recordSynthesis({
      voiceId,
      modelId,
      text,
      outputFormat: format.name,
      languageCode,
      voiceSettings: typeof voiceSettings === "object" && voiceSettings !== null ? (voiceSettings as Record<string, unknown>) : null,
      at: Date.now(),
    });
    return new Response(synthesize(text.trim(), format), { headers: { "content-type": CONTENT_TYPES[format.kind] } });
  };
  app.post("/v1/text-to-speech/:voice_id/stream", speak);
  app.post("/v1/text-to-speech/:voice_id", speak);

  return app;
}
