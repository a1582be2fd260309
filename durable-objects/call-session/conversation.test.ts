import { describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../drizzle/schema/activity";
import type { ChatDelta, ChatMessage, ChatModel, TextToSpeech, TtsEvent } from "../../workers/providers/voice-ports";
import { encodeSpeech } from "../../sandbox/speech/codec";
import { Conversation, type AgentAction } from "./conversation";

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** A model that answers each turn with the next scripted reply, streamed a few characters at a time. */
function scriptedModel(replies: { text: string; tools?: { name: string; arguments: string }[] }[]) {
  const seen: ChatMessage[][] = [];
  const model: ChatModel = {
    async *stream(request, signal) {
      seen.push(request.messages);
      const reply = replies.shift() ?? { text: "Okay." };
      for (let i = 0; i < reply.text.length; i += 4) {
        if (signal.aborted) return;
        await Promise.resolve();
        yield { type: "text", text: reply.text.slice(i, i + 4) } satisfies ChatDelta;
      }
      for (const [i, tool] of (reply.tools ?? []).entries()) yield { type: "tool-call", call: { id: `t${i}`, ...tool } };
      yield { type: "done", finishReason: "stop" };
    },
  };
  return { model, seen };
}

/** TTS that speaks each flushed text as sandbox speech (its real duration), with alignment text. */
function fakeTts(options: { dropAfterFirstAudio?: boolean } = {}) {
  const spoken: string[] = [];
  let closed = 0;
  const tts: TextToSpeech = {
    async open(_options, onEvent: (e: TtsEvent) => void) {
      let ended = false;
      let gone = false;
      return {
        speak(text) {
          spoken.push(text.trim());
          queueMicrotask(() => {
            if (gone) return;
            onEvent({ type: "audio", audio: encodeSpeech(text.trim()), text });
            if (options.dropAfterFirstAudio && spoken.length > 1) {
              gone = true;
              onEvent({ type: "closed", code: 1011, reason: "internal error" });
            }
          });
        },
        end() {
          ended = true;
          queueMicrotask(() => gone || (ended && onEvent({ type: "done" })));
        },
        close() {
          gone = true;
          closed++;
        },
      };
    },
  };
  return { tts, spoken, closes: () => closed };
}

function setup(replies: Parameters<typeof scriptedModel>[0], tts: Parameters<typeof fakeTts>[0] = {}) {
  let now = 1_000;
  const line = { frames: 0, marks: [] as string[], clears: [] as number[], hangUps: [] as string[], framesAtClear: [] as number[] };
  const transcript: TranscriptEntry[] = [];
  const actions: AgentAction[] = [];
  const turns: number[] = [];
  const errors: string[] = [];
  const { model, seen } = scriptedModel(replies);
  const voice = fakeTts(tts);
  const conversation = new Conversation({
    llm: model,
    tts: voice.tts,
    ttsOptions: { voiceId: "v1", language: "en", speed: 1 },
    now: () => now,
    systemPrompt: "You are Ada.",
    opening: "Hello! I'm Ada, an AI assistant calling on behalf of Acme. Do you have a minute?",
    goodbye: "Goodbye!",
    stillThere: "Are you still there?",
    silenceMs: 50,
    tools: [],
    line: {
      play: (audio) => {
        expect(audio.length % 160).toBe(0);
        line.frames += audio.length / 160;
      },
      mark: (name) => void line.marks.push(name),
      clear: () => {
        line.clears.push(now);
        line.framesAtClear.push(line.frames);
      },
      hangUp: (reason) => void line.hangUps.push(reason),
    },
    onTranscript: (entry) => void transcript.push(entry),
    onAction: (action) => void actions.push(action),
    onTurn: (t) => void turns.push(t.finalToFirstFrameMs),
    onError: (stage, error) => void errors.push(`${stage}: ${String(error)}`),
  });
  /** Twilio plays everything sent and echoes each mark. */
  const playAll = () => {
    for (const mark of line.marks.splice(0)) conversation.onMark(mark);
  };
  return { conversation, line, transcript, actions, turns, seen, voice, errors, playAll, advance: (ms: number) => (now += ms) };
}

describe("a phone conversation", () => {
  it("opens with the AI disclosure and logs it once it has been played", async () => {
    const s = setup([]);
    s.conversation.start();
    await settle();
    expect(s.voice.spoken.join(" ")).toContain("an AI assistant calling on behalf of Acme");
    expect(s.line.frames).toBeGreaterThan(200); // ~5 s of 20 ms frames
    expect(s.transcript).toEqual([]);
    s.playAll();
    expect(s.transcript).toEqual([{ role: "agent", text: expect.stringContaining("AI assistant"), at: 0 }]);
  });

  it("answers the callee's turn through the model, clause by clause, and times the first frame", async () => {
    const s = setup([{ text: "Great to hear. We help sales teams call every lead. Shall we book a demo?" }]);
    s.conversation.start();
    await settle();
    s.playAll();
    s.conversation.onSpeech({ type: "final", text: "Yes, tell me more.", endOfTurn: true, startMs: 0, endMs: 900 });
    await settle();
    expect(s.seen[0]?.at(-1)).toEqual({ role: "user", content: "Yes, tell me more." });
    expect(s.voice.spoken.length).toBeGreaterThanOrEqual(3);
    expect(s.turns).toHaveLength(1);
    s.playAll();
    expect(s.transcript.map((t) => t.role)).toEqual(["agent", "callee", "agent"]);
    expect(s.transcript[2]?.text).toBe("Great to hear. We help sales teams call every lead. Shall we book a demo?");
  });

  it("stops talking the moment the callee does: clear first, nothing more sent, only the heard words kept", async () => {
    const s = setup([{ text: "Our platform reaches every lead on the channel that works best for them, and it handles objections." }]);
    s.conversation.start();
    await settle();
    s.playAll();
    s.conversation.onSpeech({ type: "final", text: "What do you do?", endOfTurn: true, startMs: 0, endMs: 700 });
    await settle();
    const framesBefore = s.line.frames;
    expect(framesBefore).toBeGreaterThan(0);
    s.advance(1_500); // 1.5 s of the reply has played
    s.conversation.onSpeech({ type: "speech-started", atMs: 5_000 });
    expect(s.line.clears).toHaveLength(1);
    expect(s.line.framesAtClear[0]).toBe(framesBefore);
    await settle();
    expect(s.line.frames).toBe(framesBefore);
    const cut = s.transcript.at(-1)!;
    expect(cut.role).toBe("agent");
    expect(cut.text.length).toBeGreaterThan(0);
    expect("Our platform reaches every lead on the channel that works best for them, and it handles objections.".startsWith(cut.text)).toBe(true);
    expect(cut.text.length).toBeLessThan(40);
    // The model is told what was actually heard.
    s.conversation.onSpeech({ type: "final", text: "Sorry, how much is it?", endOfTurn: true, startMs: 5_000, endMs: 6_000 });
    await settle();
    expect(s.seen[1]?.slice(-2)).toEqual([{ role: "assistant", content: `${cut.text} —` }, { role: "user", content: "Sorry, how much is it?" }]);
  });

  it("does not let the callee talk over the AI disclosure, and answers them right after it", async () => {
    const s = setup([{ text: "Yes, I am an AI assistant." }]);
    s.conversation.start();
    await settle();
    s.conversation.onSpeech({ type: "speech-started", atMs: 300 });
    s.conversation.onSpeech({ type: "final", text: "Is this a robot?", endOfTurn: true, startMs: 300, endMs: 900 });
    await settle();
    expect(s.line.clears).toEqual([]);
    expect(s.seen).toHaveLength(0);
    s.playAll();
    await settle();
    expect(s.seen).toHaveLength(1);
    expect(s.voice.spoken.at(-1)).toBe("Yes, I am an AI assistant.");
  });

  it("plays out what was spoken when the voice drops mid-reply, then listens again", async () => {
    const s = setup([{ text: "We help sales teams reach every lead. It books meetings for you. Shall we talk next week?" }, { text: "Great." }], { dropAfterFirstAudio: true });
    s.conversation.start();
    await settle();
    s.playAll();
    s.conversation.onSpeech({ type: "final", text: "What is it?", endOfTurn: true, startMs: 0, endMs: 500 });
    await settle();
    expect(s.errors.some((e) => e.includes("TTS closed 1011"))).toBe(true);
    s.playAll();
    // Only the clause the voice said before it dropped; the two after it were never heard.
    expect(s.transcript.at(-1)).toMatchObject({ role: "agent", text: "We help sales teams reach every lead." });
    // Not stuck: the next turn is answered with a fresh voice, the model told what was heard.
    s.conversation.onSpeech({ type: "final", text: "Okay, yes.", endOfTurn: true, startMs: 2_000, endMs: 2_500 });
    await settle();
    expect(s.seen).toHaveLength(2);
    expect(s.seen[1]?.slice(-2)).toEqual([{ role: "assistant", content: "We help sales teams reach every lead. —" }, { role: "user", content: "Okay, yes." }]);
    s.conversation.end();
  });

  it("asks once when the callee stays silent, then says goodbye and hangs up", async () => {
    const s = setup([]);
    s.conversation.start();
    await settle();
    s.playAll();
    await new Promise((r) => setTimeout(r, 80));
    await settle();
    expect(s.voice.spoken.at(-1)).toBe("Are you still there?");
    s.playAll();
    await new Promise((r) => setTimeout(r, 80));
    await settle();
    expect(s.voice.spoken.at(-1)).toBe("Goodbye!");
    expect(s.line.hangUps).toEqual([]);
    s.playAll();
    expect(s.line.hangUps).toHaveLength(1);
  });

  it("waits as long as the callee keeps talking", async () => {
    const s = setup([{ text: "Of course." }]);
    s.conversation.start();
    await settle();
    s.playAll();
    await new Promise((r) => setTimeout(r, 30));
    s.conversation.onSpeech({ type: "speech-started", atMs: 100 });
    await new Promise((r) => setTimeout(r, 80));
    expect(s.voice.spoken).not.toContain("Are you still there?");
    s.conversation.end();
  });

  it("carries out the model's tools and hangs up only after its goodbye has been heard", async () => {
    const s = setup([{ text: "I understand, I will not call again. Goodbye.", tools: [{ name: "do_not_call", arguments: "{}" }, { name: "end_call", arguments: "{}" }] }]);
    s.conversation.start();
    await settle();
    s.playAll();
    s.conversation.onSpeech({ type: "final", text: "Please don't call me again.", endOfTurn: true, startMs: 0, endMs: 1_000 });
    await settle();
    expect(s.actions).toEqual([{ type: "do_not_call" }]);
    expect(s.line.hangUps).toEqual([]);
    s.playAll();
    expect(s.line.hangUps).toHaveLength(1);
  });
});
