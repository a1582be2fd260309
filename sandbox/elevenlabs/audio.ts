import { BYTES_PER_MS, encodeSpeech, speechMs } from "../speech/codec";

/**
 * ElevenLabs' `output_format` values the stand-in can produce, from the sandbox speech codec's
 * μ-law: `ulaw_8000` is the codec's bytes as they are (the only format the sandbox callee and STT
 * stand-ins can read back); `pcm_<rate>` is the same audio expanded (G.711) to 16-bit little-endian
 * PCM at that rate, nearest-sample resampled; `mp3_<rate>_<kbps>` is a valid MP3 of silence
 * lasting as long as the speech. `alaw_8000` and `opus_*` are real formats the stand-in refuses.
 */
export type OutputFormat =
  | { kind: "ulaw"; name: string; sampleRate: 8000 }
  | { kind: "pcm"; name: string; sampleRate: number }
  | { kind: "mp3"; name: string; sampleRate: number; kbps: number };

const PCM_RATES = [8000, 16000, 22050, 24000, 44100, 48000];
const MP3_MPEG1_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_MPEG2_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG1_RATES = [44100, 48000, 32000];
const MPEG2_RATES = [22050, 24000, 16000];

/** Null for a format ElevenLabs does not have or the stand-in cannot make. */
export function parseOutputFormat(name: string): OutputFormat | null {
  if (name === "ulaw_8000") return { kind: "ulaw", name, sampleRate: 8000 };
  const pcm = /^pcm_(\d+)$/.exec(name);
  if (pcm) {
    const rate = Number(pcm[1]);
    return PCM_RATES.includes(rate) ? { kind: "pcm", name, sampleRate: rate } : null;
  }
  const mp3 = /^mp3_(\d+)_(\d+)$/.exec(name);
  if (mp3) {
    const rate = Number(mp3[1]);
    const kbps = Number(mp3[2]);
    const table = MPEG1_RATES.includes(rate) ? MP3_MPEG1_KBPS : MPEG2_RATES.includes(rate) ? MP3_MPEG2_KBPS : null;
    return table && kbps > 0 && table.includes(kbps) ? { kind: "mp3", name, sampleRate: rate, kbps } : null;
  }
  return null;
}

export const CONTENT_TYPES: Record<OutputFormat["kind"], string> = {
  ulaw: "audio/basic",
  pcm: "audio/pcm",
  mp3: "audio/mpeg",
};

/** G.711 μ-law to a 16-bit linear sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** μ-law 8 kHz to 16-bit little-endian PCM at `rate`. */
export function ulawToPcm16(ulaw: Uint8Array, rate: number): Uint8Array {
  const samples = Math.floor((ulaw.length * rate) / 8000);
  const out = new Uint8Array(samples * 2);
  const view = new DataView(out.buffer);
  for (let j = 0; j < samples; j++) {
    view.setInt16(j * 2, ulawToLinear(ulaw[Math.floor((j * 8000) / rate)] ?? 0xff), true);
  }
  return out;
}

/** Frames of MPEG Layer III mono silence (all-zero side info and main data) lasting `ms`. */
export function silentMp3(ms: number, sampleRate: number, kbps: number): Uint8Array {
  const mpeg1 = MPEG1_RATES.includes(sampleRate);
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  const frameBytes = Math.floor(((mpeg1 ? 144 : 72) * kbps * 1000) / sampleRate);
  const frames = Math.max(1, Math.ceil((ms * sampleRate) / 1000 / samplesPerFrame));
  const bitrateIndex = (mpeg1 ? MP3_MPEG1_KBPS : MP3_MPEG2_KBPS).indexOf(kbps);
  const rateIndex = (mpeg1 ? MPEG1_RATES : MPEG2_RATES).indexOf(sampleRate);
  const header = [0xff, mpeg1 ? 0xfb : 0xf3, (bitrateIndex << 4) | (rateIndex << 2), 0xc0];
  const out = new Uint8Array(frames * frameBytes);
  for (let f = 0; f < frames; f++) out.set(header, f * frameBytes);
  return out;
}

/** A 16-bit PCM mono WAV file, for previews a browser can play. */
export function wav(pcm16: Uint8Array, rate: number): Uint8Array {
  const out = new Uint8Array(44 + pcm16.length);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + pcm16.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, pcm16.length, true);
  out.set(pcm16, 44);
  return out;
}

/** Saying `text` in `format`: the whole utterance. */
export function synthesize(text: string, format: OutputFormat): Uint8Array {
  const ulaw = encodeSpeech(text);
  if (format.kind === "ulaw") return ulaw;
  if (format.kind === "pcm") return ulawToPcm16(ulaw, format.sampleRate);
  return silentMp3(speechMs(text), format.sampleRate, format.kbps);
}

/** Byte offset of audio time `ms` in a stream of `format` (ulaw or pcm). */
export function byteAt(ms: number, format: OutputFormat): number {
  if (format.kind === "ulaw") return Math.round(ms * BYTES_PER_MS);
  return Math.floor((ms * format.sampleRate) / 1000) * 2;
}
