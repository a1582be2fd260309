import { speechMs } from "../speech/codec";
import type { CalleeUtterance, HeardUtterance } from "./call-record";
import { REPLY_GAP_MS, type PersonaScript } from "./personas";

/** What the callee can do on the line; times are line time (ms since it picked up). */
export interface CalleeLine {
  /** Queues speech on the callee's side; returns when it will start and end. */
  say(text: string, kind: CalleeUtterance["kind"]): { startMs: number; endMs: number };
  /** Queues the voicemail tone. */
  tone(ms: number): { startMs: number; endMs: number };
  /** The callee still has speech queued or playing. */
  speaking(): boolean;
  /** The bot's audio is reaching the callee right now. */
  botSpeaking(): boolean;
  hangup(): void;
}

interface Timer {
  atMs: number;
  tag: string;
  run: () => void;
}

/**
 * A persona playing its script against what it hears, deterministically for a seed: replies come
 * a human gap after the bot's utterance ends, and only from the words that actually reached it.
 */
export class Callee {
  readonly script: PersonaScript;
  readonly #random: () => number;
  readonly #line: CalleeLine;
  readonly #maxCallMs: number;
  #timers: Timer[] = [];
  /** The bot's words heard since the callee last spoke. */
  #turn: string[] = [];
  #fallbackIndex = 0;
  #interruptions = 0;
  readonly #usedRules = new Set<number>();
  #done = false;
  /** Said its pickup line (or has none): a person says hello before talking over anyone. */
  #greeted = false;
  /** Voicemail: line time the tone ended; audio after it is the message. */
  recordingSinceMs: number | null = null;

  constructor(script: PersonaScript, random: () => number, line: CalleeLine, maxCallMs: number | null) {
    this.script = script;
    this.#random = random;
    this.#line = line;
    this.#maxCallMs = maxCallMs ?? script.maxCallMs;
  }

  onAnswer(): void {
    const { voicemail, pickup } = this.script;
    this.#at(this.#maxCallMs, "max-duration", () => this.#hangup());
    if (voicemail) {
      this.#at(300, "greeting", () => {
        const greeting = this.#line.say(voicemail.greeting, "greeting");
        this.#at(greeting.endMs + voicemail.beepAfterMs, "beep", () => {
          const tone = this.#line.tone(voicemail.beepMs);
          this.recordingSinceMs = tone.endMs;
          this.#at(tone.endMs + voicemail.maxMessageMs, "max-message", () => this.#hangup());
        });
      });
    } else if (pickup) {
      this.#at(this.#between(pickup.delayMs), "pickup", () => {
        this.#greeted = true;
        this.#say(this.#pick(pickup.say), "pickup");
      });
    } else {
      this.#greeted = true;
    }
  }

  /** The bot began an utterance whose words are known. */
  onBotStart(text: string | null, startMs: number): void {
    this.#cancel("voicemail-silence");
    const interrupt = this.script.interrupt;
    if (!interrupt || text === null || this.#interruptions >= interrupt.max || speechMs(text) < interrupt.minUtteranceMs) return;
    this.#at(startMs + this.#between(interrupt.afterMs), "interrupt", () => {
      // Not before its own hello: a bot that starts first is talked over on a later utterance.
      if (!this.#greeted || !this.#line.botSpeaking() || this.#line.speaking()) return;
      this.#interruptions++;
      this.#say(this.#pick(interrupt.say), "interruption");
    });
  }

  /** The bot's utterance stopped reaching the callee (finished, or cut). */
  onBotEnd(utterance: HeardUtterance): void {
    if (this.#done || this.script.silent) return;
    const voicemail = this.script.voicemail;
    if (voicemail) {
      if (this.recordingSinceMs !== null) this.#at(utterance.endMs + voicemail.hangupAfterSilenceMs, "voicemail-silence", () => this.#hangup());
      return;
    }
    if (utterance.heard.length > 0) this.#turn.push(utterance.heard);
    this.#at(utterance.endMs + this.#between(REPLY_GAP_MS), "reply", () => this.#reply());
  }

  /** Runs what is due by `nowMs`, in time order (the earlier set first on a tie). Called every 20 ms. */
  onTick(nowMs: number): void {
    for (;;) {
      let due: Timer | undefined;
      for (const timer of this.#timers) if (timer.atMs <= nowMs && (!due || timer.atMs < due.atMs)) due = timer;
      if (!due || this.#done) return;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      due.run();
    }
  }

  /** Something a test makes the callee say now. */
  sayNow(text: string): void {
    this.#say(text, "scripted");
  }

  stop(): void {
    this.#done = true;
    this.#timers = [];
  }

  #reply(): void {
    // Still talking, on either side: a later end of the bot's speech schedules the reply again.
    if (this.#line.botSpeaking() || this.#line.speaking()) return;
    const heard = this.#turn.join(" ").trim();
    if (heard.length === 0) return;
    const { rules, fallback, farewell } = this.script;
    const index = rules.findIndex((rule, i) => rule.match.test(heard) && !(rule.once && this.#usedRules.has(i)));
    const rule = rules[index];
    if (rule) {
      this.#usedRules.add(index);
      const said = this.#say(this.#pick(rule.say), "reply");
      if (rule.hangupAfterMs !== undefined) this.#at(said.endMs + rule.hangupAfterMs, "hangup", () => this.#hangup());
      return;
    }
    const next = fallback[this.#fallbackIndex];
    if (next !== undefined) {
      this.#fallbackIndex++;
      this.#say(next, "reply");
    } else if (farewell !== null) {
      const said = this.#say(farewell, "reply");
      this.#at(said.endMs + 300, "hangup", () => this.#hangup());
    } else if (fallback.length > 0) {
      this.#say(fallback[fallback.length - 1] ?? "", "reply");
    }
  }

  #say(text: string, kind: CalleeUtterance["kind"]): { startMs: number; endMs: number } {
    this.#turn = [];
    this.#cancel("reply");
    return this.#line.say(text, kind);
  }

  #hangup(): void {
    if (this.#done) return;
    this.#done = true;
    this.#timers = [];
    this.#line.hangup();
  }

  #at(atMs: number, tag: string, run: () => void): void {
    this.#cancel(tag);
    this.#timers.push({ atMs, tag, run });
  }

  #cancel(tag: string): void {
    this.#timers = this.#timers.filter((timer) => timer.tag !== tag);
  }

  #pick<T>(options: readonly T[]): T {
    const choice = options[Math.floor(this.#random() * options.length)] ?? options[0];
    if (choice === undefined) throw new Error("A persona line needs at least one option");
    return choice;
  }

  #between([low, high]: readonly [number, number]): number {
    return Math.round(low + this.#random() * (high - low));
  }
}
