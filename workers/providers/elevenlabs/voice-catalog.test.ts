import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createElevenLabsCatalog } from "./voice-catalog";
import { providerFailure as failure, setSandboxFaults } from "../provider-test-kit";

const { SANDBOX_URL, ELEVENLABS_API_KEY, ELEVENLABS_BASE_URL } = z
  .object({ SANDBOX_URL: z.url(), ELEVENLABS_API_KEY: z.string().min(1), ELEVENLABS_BASE_URL: z.url() })
  .parse(env);

const OLENA = "sbxOlenaUk7Qm2Lp9Xz1";

const RequestLog = z.object({ requests: z.array(z.object({ method: z.string(), path: z.string(), query: z.string(), headers: z.record(z.string(), z.string()), body: z.string() })) });

async function elevenLabsRequests() {
  const response = await fetch(`${SANDBOX_URL}/__admin/requests?provider=elevenlabs`);
  return RequestLog.parse(await response.json()).requests;
}

const setFaults = (config: Record<string, number>) => setSandboxFaults("elevenlabs", config);

beforeEach(async () => {
  await fetch(`${SANDBOX_URL}/__admin/requests`, { method: "DELETE" });
});
afterEach(() => setFaults({}));

const catalog = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
  createElevenLabsCatalog({ apiKey: options.apiKey ?? ELEVENLABS_API_KEY, baseUrl: ELEVENLABS_BASE_URL, timeoutMs: options.timeoutMs ?? 5_000 });

describe("the ElevenLabs voice catalog", () => {
  it("lists the account's voices with their languages, gender and a playable preview", async () => {
    const voices = await catalog().voices();
    expect(voices.map((v) => v.name)).toEqual(["Olena", "Taras", "Iryna", "Ada", "Oliver", "Marta"]);
    expect(voices[0]).toEqual({ id: OLENA, name: "Olena", languages: ["uk", "en"], gender: "female", previewUrl: `${ELEVENLABS_BASE_URL}/previews/${OLENA}.wav` });
    // Languages once each, though ElevenLabs lists them per model.
    expect(voices.find((v) => v.name === "Marta")).toMatchObject({ languages: ["pl", "uk"], gender: "female" });
    expect(voices.find((v) => v.name === "Taras")).toMatchObject({ languages: ["uk"], gender: "male" });

    const preview = await fetch(voices[0]?.previewUrl ?? "");
    expect(preview.headers.get("content-type")).toBe("audio/wav");
  });

  it("makes an MP3 sample in the voice, with the call's model and language", async () => {
    const sample = await catalog().sample(OLENA, "Добрий день! Мене звати Олена.", "uk");
    expect(sample.contentType).toBe("audio/mpeg");
    const bytes = new Uint8Array(sample.body);
    // An MPEG audio frame header: eleven bits of sync.
    expect(bytes.length).toBeGreaterThan(1_000);
    expect([bytes[0], (bytes[1] ?? 0) & 0xe0]).toEqual([0xff, 0xe0]);

    const [request] = (await elevenLabsRequests()).filter((r) => r.method === "POST");
    expect(request).toMatchObject({ path: `/v1/text-to-speech/${OLENA}/stream`, query: "output_format=mp3_44100_128" });
    expect(request?.headers["xi-api-key"]).toBe(ELEVENLABS_API_KEY);
    expect(JSON.parse(request?.body ?? "")).toEqual({ text: "Добрий день! Мене звати Олена.", model_id: "eleven_flash_v2_5", language_code: "uk" });
  });

  it("reports a refused key and an unknown voice as not worth retrying", async () => {
    const badKey = await failure(catalog({ apiKey: "sk_wrong" }).voices());
    expect(badKey).toMatchObject({ provider: "elevenlabs", status: 401, retryable: false });
    expect(badKey.message).toMatch(/invalid_api_key: Invalid API key/);

    const noVoice = await failure(catalog().sample("nosuchvoice000000000", "Привіт!", "uk"));
    expect(noVoice).toMatchObject({ status: 404, retryable: false });
    expect(noVoice.message).toMatch(/voice_not_found/);
  });

  it("reports a concurrency limit (429, with its wait) and a server error as worth retrying", async () => {
    await setFaults({ failRate: 1, failStatus: 429 });
    const busy = await failure(catalog().sample(OLENA, "Привіт!", "uk"));
    expect(busy).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 1 });
    expect(busy.message).toMatch(/too_many_concurrent_requests/);

    await setFaults({ failRate: 1, failStatus: 503 });
    expect(await failure(catalog().voices())).toMatchObject({ status: 503, retryable: true });
  });

  it("reports a request that hangs as worth retrying", async () => {
    await setFaults({ timeoutRate: 1 });
    const slow = await failure(catalog({ timeoutMs: 300 }).voices());
    expect(slow).toMatchObject({ retryable: true, status: undefined });
    expect(slow.message).toMatch(/no answer within 300 ms/);
  });
});
