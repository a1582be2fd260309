import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeSpeech, FRAME_BYTES, silence, speechMs, toFrames } from "../speech/codec";
import { AMD_DEFAULTS, AmdDetector, BEEP_BYTE, type AmdOptions, type AnsweredBy } from "./amd";
import type { CalleeUtterance, HeardUtterance } from "./call-record";
import { Callee, type CalleeLine } from "./callee";
import { PERSONAS, personaBySuffix, type PersonaName } from "./personas";
import { LineClock } from "./line";
import { PlaybackQueue } from "./playback";
import { parseTwiml } from "./twiml";

describe("Twilio stand-in: TwiML", () => {
  it("reads <Connect><Stream> with its parameters, entities decoded, then <Say> and <Hangup/>", () => {
    const parsed = parseTwiml(
      `<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <!-- the bot -->
        <Connect><Stream url="wss://noir.example/media" statusCallback="https://noir.example/status" name="bot">
          <Parameter name="lead" value="L&amp;1"/><Parameter name='campaign' value="C &quot;7&quot;" />
        </Stream></Connect>
        <Say voice="alice">Sorry &#8212; bye now.</Say>
        <Hangup/>
      </Response>`,
    );
    expect(parsed).toEqual({
      ok: true,
      verbs: [
        {
          verb: "Connect",
          stream: {
            url: "wss://noir.example/media",
            name: "bot",
            track: null,
            statusCallback: "https://noir.example/status",
            statusCallbackMethod: "POST",
            parameters: { lead: "L&1", campaign: 'C "7"' },
          },
        },
        { verb: "Say", text: "Sorry — bye now.", voice: "alice", language: null, loop: 1 },
        { verb: "Hangup" },
      ],
    });
  });

  it("refuses broken XML and a root other than <Response>, and keeps unknown verbs as unsupported", () => {
    expect(parseTwiml("<Response><Say>hi</Response>")).toMatchObject({ ok: false });
    expect(parseTwiml("<Response><Say>a &nbsp; b</Say></Response>")).toMatchObject({ ok: false });
    expect(parseTwiml("<Reply/>")).toMatchObject({ ok: false, error: expect.stringContaining("<Response>") });
    expect(parseTwiml("<Response><Connect><Stream/></Connect></Response>")).toMatchObject({ ok: false, error: expect.stringContaining("url") });
    expect(parseTwiml("<Response><Gather/><Pause length='2'/></Response>")).toEqual({
      ok: true,
      verbs: [{ verb: "unsupported", name: "Gather" }, { verb: "Pause", seconds: 2 }],
    });
  });
});

describe("Twilio stand-in: answering machine detection", () => {
  function detect(audio: Uint8Array, options: Partial<AmdOptions> = {}): { verdict: AnsweredBy | null; atMs: number } {
    const detector = new AmdDetector({ mode: "Enable", ...AMD_DEFAULTS, ...options });
    const frames = toFrames(audio);
    for (const [i, frame] of frames.entries()) {
      const verdict = detector.push(frame, (i + 1) * 20);
      if (verdict) return { verdict, atMs: (i + 1) * 20 };
    }
    return { verdict: null, atMs: frames.length * 20 };
  }
  const tone = (ms: number) => new Uint8Array(ms * 8).fill(BEEP_BYTE);
  const join = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) (out.set(p, at), (at += p.length));
    return out;
  };

  it("hears a short hello then silence as a human, once the speech-end threshold has passed", () => {
    const hello = encodeSpeech("Hello?");
    const { verdict, atMs } = detect(join(silence(600), hello, silence(3000)));
    expect(verdict).toBe("human");
    expect(atMs).toBeCloseTo(600 + speechMs("Hello?") + 1200, -2);
  });

  it("calls a long greeting a machine: at the threshold with Enable, at the tone with DetectMessageEnd", () => {
    const greeting = encodeSpeech("Hi, you've reached Olena. Leave a message after the tone.");
    expect(detect(join(silence(300), greeting, silence(3000)))).toEqual({ verdict: "machine_start", atMs: 300 + 2400 });
    const withTone = join(silence(300), greeting, silence(200), tone(500), silence(2000));
    const end = 300 + speechMs("Hi, you've reached Olena. Leave a message after the tone.") + 200 + 500;
    // Decided on the first frame after the tone that is not all tone.
    const beep = detect(withTone, { mode: "DetectMessageEnd" });
    expect(beep.verdict).toBe("machine_end_beep");
    expect(beep.atMs - end).toBeGreaterThanOrEqual(0);
    expect(beep.atMs - end).toBeLessThanOrEqual(20);
    expect(detect(join(silence(300), greeting, silence(3000)), { mode: "DetectMessageEnd" }).verdict).toBe("machine_end_silence");
  });

  it("answers unknown after the initial silence timeout", () => {
    expect(detect(silence(8000))).toEqual({ verdict: "unknown", atMs: 5000 });
  });
});

describe("Twilio stand-in: the line's clock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ticks once per 20 ms, never before a frame's 20 ms have passed, and catches up after a stall", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const start = Date.now();
    const ticks: { index: number; atMs: number }[] = [];
    const clock = new LineClock((index) => ticks.push({ index, atMs: Date.now() - start }), () => Date.now());
    vi.advanceTimersByTime(1_000);
    expect(ticks).toHaveLength(50);
    // Frame i covers [i×20, (i+1)×20): it goes out once that much audio has elapsed, not before, one per timer.
    expect(ticks.every((t) => t.atMs === (t.index + 1) * 20)).toBe(true);

    // The event loop stalls for 200 ms: the clock jumps, no timer runs meanwhile.
    ticks.length = 0;
    vi.setSystemTime(Date.now() + 200);
    vi.advanceTimersByTime(20);
    expect(ticks.map((t) => t.index)).toEqual(Array.from({ length: 11 }, (_, i) => 50 + i));
    expect(new Set(ticks.map((t) => t.atMs)).size).toBe(1);
    ticks.length = 0;
    vi.advanceTimersByTime(100);
    expect(ticks).toHaveLength(5);
    // Between ticks, line time moves with the clock, but never past the frame under way.
    vi.setSystemTime(Date.now() + 7);
    expect(clock.nowMs()).toBe(clock.frames * 20 + 7);
    vi.setSystemTime(Date.now() + 500);
    expect(clock.nowMs()).toBe(clock.frames * 20 + 20);
    clock.stop();
    vi.advanceTimersByTime(100);
    expect(ticks).toHaveLength(5);
  });
});

describe("Twilio stand-in: playback buffer", () => {
  it("plays 160 bytes a frame straight past marks, reaching each the frame after its audio; clear returns the rest", () => {
    const queue = new PlaybackQueue();
    queue.pushAudio(new Uint8Array(200).fill(1));
    expect(queue.pushMark({ name: "a", queuedAtMs: 0, internal: false })).toBe(false);
    queue.pushAudio(new Uint8Array(400).fill(2));
    queue.pushMark({ name: "b", queuedAtMs: 0, internal: false });
    const frames = [queue.nextFrame(), queue.nextFrame(), queue.nextFrame()];
    expect(frames.map((f) => f.audioBytes)).toEqual([160, 160, 160]);
    // Frame 2 holds the last 40 bytes before "a" and the first 120 after it: no gap at the mark.
    expect([...(frames[1]?.frame ?? [])].slice(38, 42)).toEqual([1, 1, 2, 2]);
    expect(frames.map((f) => f.reached.map((m) => m.name))).toEqual([[], [], ["a"]]);
    const cleared = queue.clear();
    expect(cleared).toMatchObject({ droppedBytes: 600 - 480, marks: [{ name: "b" }] });
    expect(queue.nextFrame().audioBytes).toBe(0);
    expect(queue.pushMark({ name: "now", queuedAtMs: 0, internal: false })).toBe(true);
  });
});

/** Drives a persona without a line: speech takes `speechMs`, the bot speaks when told. */
function rehearse(persona: PersonaName, seed: number, botLines: string[]) {
  let now = 0;
  let speakingUntil = 0;
  let botSpeaking = false;
  let hungUpAt: number | null = null;
  const said: { text: string | null; kind: CalleeUtterance["kind"]; atMs: number }[] = [];
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
  const line: CalleeLine = {
    say: (text, kind) => {
      const startMs = Math.max(now, speakingUntil);
      speakingUntil = startMs + speechMs(text);
      said.push({ text, kind, atMs: startMs });
      return { startMs, endMs: speakingUntil };
    },
    tone: (ms) => ({ startMs: now, endMs: now + ms }),
    speaking: () => now < speakingUntil,
    botSpeaking: () => botSpeaking,
    hangup: () => (hungUpAt = now),
  };
  const callee = new Callee(PERSONAS[persona], random, line, null);
  const runUntil = (ms: number) => {
    for (; now <= ms; now += 20) callee.onTick(now);
  };
  callee.onAnswer();
  runUntil(2_000);
  for (const text of botLines) {
    if (hungUpAt !== null) break;
    const start = Math.max(now, speakingUntil + 300);
    runUntil(start);
    botSpeaking = true;
    callee.onBotStart(text, start);
    runUntil(start + speechMs(text));
    botSpeaking = false;
    const heard: HeardUtterance = { text, heard: text, startMs: start, endMs: now, heardMs: speechMs(text), fullMs: speechMs(text), cut: false, overlapped: false };
    callee.onBotEnd(heard);
    runUntil(now + 10_000);
  }
  return { said, hungUpAt };
}

describe("Twilio stand-in: personas", () => {
  it("reply the same way, at the same moments, for the same seed; gaps move with the seed", () => {
    const lines = ["Hi, this is Anna from Noir. Got a minute?", "Could we book a demo next week?", "Great, have a nice day!"];
    const once = rehearse("interested", 7, lines);
    expect(rehearse("interested", 7, lines)).toEqual(once);
    expect(once.said.map((s) => s.kind)).toEqual(["pickup", "reply", "reply", "reply"]);
    expect(once.said[2]?.text).toMatch(/meeting|call/);
    expect(once.hungUpAt).not.toBeNull();
    const other = rehearse("interested", 8, lines);
    expect(other.said.map((s) => s.atMs)).not.toEqual(once.said.map((s) => s.atMs));
  });

  it("objecting runs through its objections, then says goodbye and hangs up", () => {
    const { said, hungUpAt } = rehearse("objecting", 1, ["Hi, this is Anna.", "We help teams like yours.", "It takes five minutes to set up.", "Many customers love it.", "Are you sure?"]);
    expect(said.map((s) => s.text)).toEqual([
      "Hello, who is this?",
      "Sounds too expensive for us.",
      "We already use another tool for that.",
      "Look, just send me an email.",
      "I'm not interested, thanks. Goodbye.",
    ]);
    expect(hungUpAt).not.toBeNull();
  });

  it("silent never speaks; do-not-call asks not to be called and hangs up", () => {
    expect(rehearse("silent", 1, ["Hello? Anyone there?"]).said).toEqual([]);
    const dnc = rehearse("do-not-call", 1, ["Hi, this is Anna from Noir."]);
    expect(dnc.said.at(-1)?.text).toBe("Please don't call me again. Take me off your list.");
    expect(dnc.hungUpAt).toBe((dnc.said.at(-1)?.atMs ?? 0) + speechMs(dnc.said.at(-1)?.text ?? "") + 2_500);
  });

  it("is chosen by the last four digits of the number called", () => {
    expect(["+14155550101", "+442079460103", "+380441230104", "+15551230107", "+14155559999"].map(personaBySuffix)).toEqual([
      "objecting",
      "interrupting",
      "voicemail",
      "do-not-call",
      "interested",
    ]);
  });
});
