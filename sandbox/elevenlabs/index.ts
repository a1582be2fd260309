import { defineProvider } from "../harness/provider";
import { elevenLabsFaultResponse } from "./errors";
import { createElevenLabsApp } from "./routes";
import { ElevenLabsState, type ElevenLabsStandIn } from "./stand-in";
import { streamInputHandshake } from "./stream-input";

export { VOICE_IDS, MODELS } from "./voices";
export type { ElevenLabsVoice } from "./voices";
export type { ElevenLabsStandIn, GeneratedSegment, HttpSynthesis, ReceivedText, SegmentTrigger, StreamSession } from "./stand-in";

const STREAM_INPUT = /^\/v1\/text-to-speech\/([^/]+)\/stream-input$/;

export const elevenlabs = defineProvider({
  name: "elevenlabs",
  async create({ random, latencyMs }) {
    let sandboxUrl: string | null = null;
    const state = new ElevenLabsState(random, () => sandboxUrl);
    const handle: ElevenLabsStandIn = state;
    const lifetime = new AbortController();
    return {
      app: createElevenLabsApp(state),
      handle,
      faultResponse: elevenLabsFaultResponse,
      // Eleven v3 is refused at the handshake (403); every other problem is reported in-band.
      socket: (path, { query, headers }) => {
        const match = STREAM_INPUT.exec(path);
        if (!match) return null;
        let voiceId: string;
        try {
          voiceId = decodeURIComponent(match[1] ?? "");
        } catch {
          return null;
        }
        return streamInputHandshake({ voiceId, query, headers }, { state, latencyMs, lifetime: lifetime.signal });
      },
      env: (url) => {
        sandboxUrl = url;
        // The Worker derives ws://…/v1/text-to-speech/{voice}/stream-input from the base URL.
        return { ELEVENLABS_API_KEY: state.apiKey, ELEVENLABS_BASE_URL: `${url}/elevenlabs` };
      },
      close: async () => lifetime.abort(),
    };
  },
});
