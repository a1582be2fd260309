import { z } from "zod";
import type { TranscriptEntry } from "../../drizzle/schema/activity";
import type { ChatMessage, ChatModel, SttEvent, TextToSpeech, ToolCall, ToolSpec, TtsOptions, TtsStream } from "../../workers/providers/voice-ports";
import { createClauseSplitter } from "./clause-splitter";
import { Playback, wholeWordsSpoken } from "./playback";

/** What the conversation does to the phone line; the CallSession turns these into Twilio messages. */
export interface CallLine {
  /** Whole 20 ms frames, one or more back to back: Twilio plays them in order, in real time. */
  play(frames: Uint8Array): void;
  mark(name: string): void;
  clear(): void;
  /** Our last words have been heard: hang up. */
  hangUp(reason: string): void;
}

type AssistantLine = Extract<ChatMessage, { role: "assistant" }>;

export type AgentAction =
  | { type: "set_outcome"; outcome: "interested" | "not_interested" | "call_back"; callbackAt: string | null }
  | { type: "book_meeting"; at: string; notes: string | null }
  | { type: "do_not_call" };

/** Seven seconds of silence after the agent stops: long enough to think, short enough not to wait forever. */
const DEFAULT_SILENCE_MS = 7_000;

export interface TurnTiming {
  /** From the callee's final transcript reaching us to our first audio frame sent to Twilio. */
  finalToFirstFrameMs: number;
}

export interface ConversationDeps {
  llm: ChatModel;
  tts: TextToSpeech;
  ttsOptions: TtsOptions;
  line: CallLine;
  now: () => number;
  systemPrompt: string;
  opening: string;
  goodbye: string;
  /** Asked once when the callee says nothing for `silenceMs` after the agent stops. */
  stillThere: string;
  /** How long a silence after the agent stops is let run before it asks, then says goodbye. */
  silenceMs?: number;
  tools: ToolSpec[];
  onTranscript(entry: TranscriptEntry): void;
  onAction(action: AgentAction): void;
  onTurn(timing: TurnTiming): void;
  onError(stage: "llm" | "tts", error: unknown): void;
}

interface Reply {
  id: number;
  abort: AbortController;
  tts: TtsStream | null;
  playback: Playback;
  /** Marks sent and not yet echoed back by Twilio. */
  marks: Set<string>;
  marksSent: number;
  spoken: boolean;
  /** TTS has said everything and the last frame is sent. */
  drained: boolean;
  /** When the reply answers the callee: the moment their final transcript arrived. */
  finalAt: number | null;
  firstFrameAt: number | null;
  hangUpAfter: boolean;
  /** The opening's AI disclosure must be heard whole: the callee cannot interrupt it. */
  interruptible: boolean;
  text: string;
  /** The reply's line in the model's history once it is there, to be corrected to what was heard. */
  said: AssistantLine | null;
  /** The voice ended before saying everything (the TTS socket closed): only what it said is kept. */
  voiceLost: boolean;
  /** What the callee heard, once known short of the whole text (cut off, or the voice lost); null otherwise. */
  heard: string | null;
}

/**
 * One phone conversation, as a small state machine wired to ports: the callee's speech (STT events)
 * comes in, replies stream from the model, are cut into clauses, spoken by TTS, and played to the
 * line in 20 ms frames with a mark after each piece. When the callee talks over a reply, the line
 * is cleared, the model and TTS are aborted, and the transcript keeps only what was heard.
 */
export class Conversation {
  readonly #deps: ConversationDeps;
  readonly #history: ChatMessage[];
  readonly #startedAt: number;
  #reply: Reply | null = null;
  #replies = 0;
  #heard = "";
  #ended = false;
  #silence: ReturnType<typeof setTimeout> | null = null;
  #prompted = false;

  constructor(deps: ConversationDeps) {
    this.#deps = deps;
    this.#history = [{ role: "system", content: deps.systemPrompt }];
    this.#startedAt = deps.now();
  }

  /** The opening line, spoken as soon as the line is up. */
  start(): void {
    const line: AssistantLine = { role: "assistant", content: this.#deps.opening };
    this.#history.push(line);
    void this.#speakFixed(this.#deps.opening, { interruptible: false, hangUpAfter: false, said: line });
  }

  /** Speaks a fixed line (a voicemail message, a goodbye) and hangs up once it has been heard. */
  sayAndHangUp(text: string): void {
    this.#interrupt();
    void this.#speakFixed(text, { interruptible: false, hangUpAfter: true });
  }

  get speaking(): boolean {
    return this.#reply !== null;
  }

  onSpeech(event: SttEvent): void {
    if (this.#ended) return;
    if (event.type === "speech-started" || (event.type === "final" && event.text.trim())) {
      this.#quiet();
      this.#prompted = false;
    }
    switch (event.type) {
      case "speech-started":
        if (this.#reply?.interruptible) this.#interrupt();
        return;
      case "final":
        if (event.text.trim()) this.#heard = `${this.#heard} ${event.text.trim()}`.trim();
        if (event.endOfTurn) this.#answer();
        return;
      case "utterance-end":
        this.#answer();
        return;
      default:
        return;
    }
  }

  /** Twilio echoed a mark: that much of the reply has been played. */
  onMark(name: string): void {
    const reply = this.#reply;
    if (!reply || !reply.marks.delete(name)) return;
    this.#finishIfPlayed(reply);
  }

  /** The call is over (hung up, stopped): stop everything in flight. */
  end(): void {
    this.#quiet();
    if (this.#ended) return;
    const reply = this.#reply;
    if (reply) this.#keepHeard(reply);
    this.#stopReply();
    this.#ended = true;
  }

  #answer(): void {
    const text = this.#heard;
    if (!text) return;
    this.#heard = "";
    const finalAt = this.#deps.now();
    // The callee spoke over a reply that would not yield (the disclosure): answer after it.
    if (this.#reply && !this.#reply.interruptible) {
      this.#deps.onTranscript({ role: "callee", text, at: finalAt - this.#startedAt });
      this.#history.push({ role: "user", content: text });
      return;
    }
    this.#interrupt();
    this.#deps.onTranscript({ role: "callee", text, at: finalAt - this.#startedAt });
    this.#history.push({ role: "user", content: text });
    void this.#generate(finalAt);
  }

  async #generate(finalAt: number): Promise<void> {
    const reply = this.#newReply({ interruptible: true, hangUpAfter: false, finalAt });
    const splitter = createClauseSplitter();
    const tools: ToolCall[] = [];
    const opening = this.#openTts(reply);
    try {
      for await (const delta of this.#deps.llm.stream({ messages: [...this.#history], tools: this.#deps.tools }, reply.abort.signal)) {
        if (reply.abort.signal.aborted) return;
        if (delta.type === "text") for (const clause of splitter.push(delta.text)) await this.#say(reply, opening, clause);
        else if (delta.type === "tool-call") tools.push(delta.call);
      }
      for (const clause of splitter.flush()) await this.#say(reply, opening, clause);
    } catch (error) {
      if (reply.abort.signal.aborted) return;
      this.#deps.onError("llm", error);
    }
    if (reply.abort.signal.aborted) return;
    this.#act(reply, tools);
    if (!reply.text.trim() && reply.hangUpAfter) await this.#say(reply, opening, this.#deps.goodbye);
    const tts = await opening.catch(() => null);
    if (reply.abort.signal.aborted) return;
    // The voice may already have failed and its words been counted (#finish): then only those.
    const line: AssistantLine = { role: "assistant", content: reply.heard === null ? reply.text.trim() || null : heardLine(reply), ...(tools.length ? { toolCalls: tools } : {}) };
    reply.said = line;
    this.#history.push(line);
    for (const call of tools) this.#history.push({ role: "tool", toolCallId: call.id, content: "done" });
    if (!tts || !reply.spoken) return this.#finish(reply);
    tts.end();
  }

  #act(reply: Reply, calls: ToolCall[]): void {
    for (const call of calls) {
      const args = parseArgs(call.arguments);
      if (call.name === "end_call") reply.hangUpAfter = true;
      else if (call.name === "do_not_call") {
        this.#deps.onAction({ type: "do_not_call" });
        reply.hangUpAfter = true;
      } else if (call.name === "set_outcome") {
        const outcome = args.outcome;
        if (outcome === "interested" || outcome === "not_interested" || outcome === "call_back") {
          this.#deps.onAction({ type: "set_outcome", outcome, callbackAt: typeof args.callbackAt === "string" ? args.callbackAt : null });
        }
      } else if (call.name === "book_meeting" && typeof args.at === "string") {
        this.#deps.onAction({ type: "book_meeting", at: args.at, notes: typeof args.notes === "string" ? args.notes : null });
      }
    }
  }

  async #speakFixed(text: string, options: { interruptible: boolean; hangUpAfter: boolean; said?: Reply["said"] }): Promise<void> {
    const reply = this.#newReply({ interruptible: options.interruptible, hangUpAfter: options.hangUpAfter, finalAt: null });
    reply.said = options.said ?? null;
    const opening = this.#openTts(reply);
    await this.#say(reply, opening, text);
    const tts = await opening.catch(() => null);
    if (reply.abort.signal.aborted) return;
    if (!tts) return this.#finish(reply);
    tts.end();
  }

  #newReply(options: { interruptible: boolean; hangUpAfter: boolean; finalAt: number | null }): Reply {
    const reply: Reply = {
      id: ++this.#replies,
      abort: new AbortController(),
      tts: null,
      playback: new Playback(this.#deps.now),
      marks: new Set(),
      marksSent: 0,
      spoken: false,
      drained: false,
      finalAt: options.finalAt,
      firstFrameAt: null,
      hangUpAfter: options.hangUpAfter,
      interruptible: options.interruptible,
      text: "",
      said: null,
      voiceLost: false,
      heard: null,
    };
    this.#reply = reply;
    return reply;
  }

  /** Opens TTS for the reply while the model is still thinking, so the first clause finds it ready. */
  #openTts(reply: Reply): Promise<TtsStream> {
    const opened = this.#deps.tts.open(this.#deps.ttsOptions, (event) => {
      if (reply.abort.signal.aborted) return;
      if (event.type === "audio") this.#play(reply, event.audio, event.text);
      else if (event.type === "done") this.#drain(reply);
      else if (event.type === "closed") {
        // The voice dropped mid-reply (our own close() is never reported): what was spoken plays
        // out, only that is kept, and the agent listens again; the next reply opens a new socket.
        reply.voiceLost = true;
        this.#deps.onError("tts", new Error(`TTS closed ${event.code}: ${event.reason}`));
        this.#drain(reply);
      }
    }, reply.abort.signal);
    // One reaction for both outcomes, registered first: it runs before anything awaiting `opened`.
    opened.then(
      (tts) => void (reply.tts = tts),
      (error: unknown) => {
        // No voice at all: nothing of this reply will be heard.
        reply.voiceLost = true;
        if (!reply.abort.signal.aborted) this.#deps.onError("tts", error);
      },
    );
    return opened;
  }

  async #say(reply: Reply, opening: Promise<TtsStream>, clause: string): Promise<void> {
    const text = clause.trim();
    if (!text || reply.abort.signal.aborted) return;
    reply.text = `${reply.text} ${text}`;
    const tts = await opening.catch(() => null);
    if (!tts || reply.abort.signal.aborted) return;
    reply.spoken = true;
    tts.speak(`${text} `, true);
  }

  #play(reply: Reply, audio: Uint8Array, text: string | null): void {
    const frames = reply.playback.frames(audio, text);
    this.#send(reply, frames);
  }

  #drain(reply: Reply): void {
    this.#send(reply, reply.playback.drain());
    // Nothing left to echo: the reply had no audio at all.
    this.#finishIfPlayed(reply, true);
  }

  #send(reply: Reply, frames: Uint8Array): void {
    if (frames.length === 0) return;
    if (reply.firstFrameAt === null) {
      reply.firstFrameAt = this.#deps.now();
      if (reply.finalAt !== null) this.#deps.onTurn({ finalToFirstFrameMs: reply.firstFrameAt - reply.finalAt });
    }
    // One message per batch rather than per frame: Twilio takes any size, and each send costs.
    this.#deps.line.play(frames);
    const mark = `r${reply.id}.${++reply.marksSent}`;
    reply.marks.add(mark);
    this.#deps.line.mark(mark);
  }

  #finishIfPlayed(reply: Reply, drained = false): void {
    if (drained) reply.drained = true;
    if (reply.marks.size === 0 && reply.drained) this.#finish(reply);
  }

  #finish(reply: Reply): void {
    if (this.#reply !== reply) return;
    // Every frame sent has now played (its mark came back): with the voice lost, that is all that was said.
    if (reply.voiceLost) this.#correct(reply, wholeWordsSpoken(reply.text, reply.playback.spokenChars));
    const text = reply.heard ?? reply.text.trim();
    if (text) this.#deps.onTranscript({ role: "agent", text, at: (reply.firstFrameAt ?? this.#deps.now()) - this.#startedAt });
    this.#reply = null;
    reply.tts?.close();
    if (reply.hangUpAfter) {
      this.#ended = true;
      this.#deps.line.hangUp("the agent ended the call");
      return;
    }
    // The callee finished speaking while the disclosure played: answer now.
    if (this.#history.at(-1)?.role === "user") return void this.#generate(this.#deps.now());
    this.#listen();
  }

  /** The agent has stopped talking: a callee who stays silent is asked once, then left. */
  #listen(): void {
    this.#quiet();
    this.#silence = setTimeout(() => {
      this.#silence = null;
      if (this.#ended || this.#reply) return;
      if (this.#prompted) return this.sayAndHangUp(this.#deps.goodbye);
      this.#prompted = true;
      void this.#speakFixed(this.#deps.stillThere, { interruptible: true, hangUpAfter: false });
    }, this.#deps.silenceMs ?? DEFAULT_SILENCE_MS);
  }

  #quiet(): void {
    if (this.#silence) clearTimeout(this.#silence);
    this.#silence = null;
  }

  /** Barge-in: clear the line, abort the model and TTS, keep only what was heard. */
  #interrupt(): void {
    const reply = this.#reply;
    if (!reply) return;
    this.#deps.line.clear();
    this.#keepHeard(reply);
    this.#stopReply();
  }

  /** The reply is being cut off (barge-in, the call ending): the transcript and the model keep what was heard. */
  #keepHeard(reply: Reply): void {
    const heard = reply.playback.heardText();
    if (heard) this.#deps.onTranscript({ role: "agent", text: heard, at: (reply.firstFrameAt ?? this.#deps.now()) - this.#startedAt });
    this.#correct(reply, heard);
    // A reply cut off before the model finished has no line yet, and will not get one (it is aborted).
    if (!reply.said && reply.finalAt !== null) this.#history.push({ role: "assistant", content: heardLine(reply) });
  }

  /** The model must know what the callee actually heard, not what it meant to say. */
  #correct(reply: Reply, heard: string): void {
    reply.heard = heard;
    // A fixed line (the opening) none of which was heard stays as it is: it is still what comes next.
    if (reply.said && (heard || reply.finalAt !== null)) reply.said.content = heardLine(reply);
  }

  #stopReply(): void {
    const reply = this.#reply;
    if (!reply) return;
    reply.abort.abort();
    reply.playback.stop();
    reply.tts?.close();
    this.#reply = null;
  }
}

/** A reply's line for the model's history when the callee heard less than the whole: the heard words and a dash. */
function heardLine(reply: Reply): string | null {
  if (reply.heard === null) return null;
  return reply.heard ? `${reply.heard} —` : null;
}

const ToolArguments = z.record(z.string(), z.unknown());

/** The model's tool arguments; junk reads as none, and each tool checks what it needs. */
function parseArgs(text: string): Record<string, unknown> {
  try {
    const parsed = ToolArguments.safeParse(JSON.parse(text || "{}"));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
