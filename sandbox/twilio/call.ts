import { encodeSpeech, silence } from "../speech/codec";
import { mulberry32 } from "../harness/prng";
import { AmdDetector, type AmdOptions, type AnsweredBy } from "./amd";
import { AudioLine } from "./audio-line";
import { newCallRecord, type CallRecord, type CallStatus, type StreamRecord } from "./call-record";
import type { CallRequest } from "./call-request";
import { Execution } from "./twiml-execution";
import { Callee } from "./callee";
import type { CallbackSender } from "./callbacks";
import { amdParams, callParams, statusParams, streamParams, type CallParties } from "./callback-params";
import { MediaStreamClient, type AppMessage } from "./media-stream";
import type { PersonaName, PersonaScript } from "./personas";
import { openStreamRecord } from "./stream-record";
import { parseTwiml, type StreamVerb, type SayVerb, type TwimlVerb } from "./twiml";

/** How long each step before the conversation takes, in ms; tests shorten them. */
export interface Timing {
  /** `queued` → `initiated`. */
  dialMs: number;
  /** `initiated` → `ringing`. */
  ringingAfterMs: number;
  /** `ringing` → answered, for personas that pick up. */
  ringMs: number;
  /** `initiated` → `busy`. */
  busyAfterMs: number;
  /** `ringing` → `no-answer`; null waits the call's `Timeout` seconds, as Twilio does. */
  noAnswerMs: number | null;
  /** Caps every persona's own time on the line; null keeps each persona's. */
  maxCallMs: number | null;
}

export const DEFAULT_TIMING: Timing = { dialMs: 50, ringingAfterMs: 150, ringMs: 1_000, busyAfterMs: 400, noAnswerMs: null, maxCallMs: null };

/** A validated `POST /Calls.json`, plus what the stand-in decided for the call. */
export interface CallParams extends CallRequest {
  sid: string;
  accountSid: string;
  authToken: string;
  phoneNumberSid: string | null;
  persona: PersonaName;
  script: PersonaScript;
  seed: number;
  random: () => number;
  timing: Timing;
  callbacks: CallbackSender;
  onChange: () => void;
}

/**
 * One outbound call through Twilio to a simulated callee: status changes and their callbacks,
 * answering machine detection, the TwiML (`<Connect><Stream>`, `<Say>`, `<Pause>`, `<Hangup/>`)
 * and its media stream, and the record tests read. The line's real-time audio, both ways, is the
 * `AudioLine`'s (audio-line.ts).
 */
export class Call {
  readonly record: CallRecord;
  readonly #p: CallParams;
  #ended = false;
  #silent = false;
  #twiml: string | null;
  #url: string | null;
  #method: "GET" | "POST";
  readonly #timeouts = new Set<NodeJS.Timeout>();
  #callee: Callee | null = null;
  #amd: AmdDetector | null = null;
  #amdDecided: ((verdict: AnsweredBy) => void) | null = null;
  #execution: Execution | null = null;
  #executing: Promise<void> = Promise.resolve();
  #stream: { client: MediaStreamClient; record: StreamRecord; verb: StreamVerb["stream"] } | null = null;
  #sequence = 0;
  readonly #line: AudioLine;

  constructor(params: CallParams) {
    this.#p = params;
    this.#twiml = params.twiml;
    this.#url = params.url;
    this.#method = params.method;
    this.record = newCallRecord(params, Date.now());
    this.#line = new AudioLine({
      record: this.record,
      callee: () => this.#callee,
      stream: () => this.#stream,
      onCalleeFrame: (frame, frameEndMs) => {
        if (!this.#amd || this.#amd.done) return;
        const verdict = this.#amd.push(frame, frameEndMs);
        if (verdict) this.#onAmd(verdict, frameEndMs);
      },
      changed: () => this.#notify(),
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** When the status last changed (for `date_updated`). */
  get updatedAt(): number {
    return this.record.timeline.at(-1)?.at ?? this.record.createdAt;
  }

  get phoneNumberSid(): string | null {
    return this.#p.phoneNumberSid;
  }

  start(): void {
    const { timing, script } = this.#p;
    this.#after(timing.dialMs, () => {
      this.#setStatus("initiated");
      this.#statusCallback("initiated", "initiated");
      if (script.outcome === "busy") {
        this.#after(timing.busyAfterMs, () => this.end("busy", "callee"));
        return;
      }
      this.#after(timing.ringingAfterMs, () => {
        this.#setStatus("ringing");
        this.#statusCallback("ringing", "ringing");
        const timeoutMs = this.#p.timeoutSeconds * 1000;
        if (script.outcome === "no-answer") {
          this.#after(timing.noAnswerMs ?? timeoutMs, () => this.end("no-answer", "callee"));
        } else if (timing.ringMs >= timeoutMs) {
          this.#after(timeoutMs, () => this.end("no-answer", "callee"));
        } else {
          this.#after(timing.ringMs, () => this.#answer());
        }
      });
    });
  }

  /**
   * `POST /Calls/{Sid}.json`: `Status=completed` hangs up (a call not yet answered ends `canceled`),
   * `Status=canceled` cancels one not yet answered, `Twiml` / `Url` replace the running TwiML.
   */
  update(change: { status?: "completed" | "canceled"; twiml?: string; url?: string; method?: "GET" | "POST" }): "ok" | "not-in-progress" {
    if (this.#ended) return "not-in-progress";
    const answered = this.record.answeredAt !== null;
    if (change.status === "completed") {
      this.end(answered ? "completed" : "canceled", "api");
      return "ok";
    }
    if (change.status === "canceled") {
      if (!answered) this.end("canceled", "api");
      return "ok";
    }
    if (change.twiml !== undefined || change.url !== undefined) {
      this.#twiml = change.twiml ?? null;
      this.#url = change.twiml === undefined ? (change.url ?? null) : null;
      this.#method = change.method ?? "POST";
      // Before the answer, the new TwiML is what runs when the callee picks up.
      if (answered && (this.#amd === null || this.#amd.done || this.#p.asyncAmd)) void this.#execute();
    }
    return "ok";
  }

  /** The callee hangs up now. */
  calleeHangup(): void {
    if (this.record.answeredAt !== null) this.end("completed", "callee");
  }

  /** The callee says this now (a test's cue). */
  calleeSay(text: string): boolean {
    if (this.#ended || !this.#callee) return false;
    this.#callee.sayNow(text);
    return true;
  }

  end(status: CallStatus, endedBy: NonNullable<CallRecord["endedBy"]>): void {
    if (this.#ended) return;
    this.#ended = true;
    const lineEnd = this.#line.framesEndMs;
    this.#callee?.stop();
    this.#execution?.abort();
    if (this.#stream) {
      const stream = this.#stream;
      stream.record.endedBy ??= "twilio";
      void stream.client.stop();
      this.#finishStream(stream, lineEnd);
    }
    for (const timer of this.#timeouts) clearTimeout(timer);
    this.#timeouts.clear();
    this.#line.end(lineEnd);
    this.record.endedBy = endedBy;
    this.record.endedAt = Date.now();
    this.#setStatus(status);
    this.#statusCallback("completed", status);
    this.#notify();
  }

  /** The sandbox is closing: stop everything, send nothing more. */
  shutdown(): void {
    this.#silent = true;
    const stream = this.#stream;
    this.end(this.record.answeredAt !== null ? "completed" : "canceled", "sandbox");
    stream?.client.terminate();
  }

  /** Line time now (ms since the answer); 0 before it. */
  lineNow(): number {
    return this.#line.now();
  }

  // ——— lifecycle ———

  #answer(): void {
    if (this.#ended) return;
    this.record.answeredAt = Date.now();
    this.#setStatus("in-progress");
    this.#statusCallback("answered", "in-progress");
    const { script, machineDetection, timing } = this.#p;
    // Replies and gaps depend on the call's seed alone.
    this.#callee = new Callee(script, mulberry32(this.#p.seed), this.#line.calleeLine(() => this.end("completed", "callee")), timing.maxCallMs);
    if (machineDetection) this.#amd = new AmdDetector(machineDetection);
    this.#line.start();
    this.#after(this.#p.timeLimitSeconds * 1000, () => this.end("completed", "time-limit"));
    this.#callee.onAnswer();
    if (machineDetection && !this.#p.asyncAmd) {
      // Synchronous AMD: Twilio holds the TwiML until it has a verdict.
      this.#amdDecided = () => void this.#execute();
    } else {
      void this.#execute();
    }
  }

  #setStatus(status: CallStatus): void {
    this.record.status = status;
    this.record.timeline.push({ status, at: Date.now() });
    this.#notify();
  }

  #after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timeouts.delete(timer);
      if (!this.#ended) run();
    }, ms);
    this.#timeouts.add(timer);
  }

  #notify(): void {
    this.#p.onChange();
  }

  // ——— callbacks ———

  get #parties(): CallParties {
    return { accountSid: this.#p.accountSid, callSid: this.#p.sid, from: this.#p.from, to: this.#p.to };
  }

  #statusCallback(event: "initiated" | "ringing" | "answered" | "completed", status: CallStatus): void {
    const url = this.#p.statusCallback;
    if (!url || this.#silent) return;
    // The final status always goes out; the others only when asked for with StatusCallbackEvent.
    if (event !== "completed" && !this.#p.statusCallbackEvents.includes(event)) return;
    const answeredAt = this.record.answeredAt;
    const durationSeconds = event !== "completed" ? undefined : answeredAt === null ? 0 : Math.ceil(((this.record.endedAt ?? Date.now()) - answeredAt) / 1000);
    const params = statusParams(this.#parties, { status, sequence: this.#sequence++, answeredBy: this.record.amd?.answeredBy ?? undefined, ...(durationSeconds === undefined ? {} : { durationSeconds }) });
    this.#p.callbacks.enqueue(this.#p.sid, "status", url, this.#p.statusCallbackMethod, params);
  }

  #streamCallback(stream: StreamVerb["stream"], record: StreamRecord, event: "stream-started" | "stream-stopped" | "stream-error", error?: string): void {
    if (!stream.statusCallback || this.#silent) return;
    this.#p.callbacks.enqueue(this.#p.sid, "stream", stream.statusCallback, stream.statusCallbackMethod, streamParams(this.#parties, record, event, error));
  }

  #onAmd(verdict: AnsweredBy, atMs: number): void {
    const amd = this.record.amd;
    if (!amd || this.#ended) return;
    amd.answeredBy = verdict;
    amd.detectionMs = Math.round(atMs);
    const url = this.#p.asyncAmdStatusCallback;
    if (this.#p.asyncAmd && url && !this.#silent) {
      this.#p.callbacks.enqueue(this.#p.sid, "amd", url, this.#p.asyncAmdStatusCallbackMethod, amdParams(this.#parties, verdict, amd.detectionMs));
    }
    this.#amdDecided?.(verdict);
    this.#amdDecided = null;
    this.#notify();
  }

  // ——— TwiML ———

  /** Abandons the running TwiML and, once it has cleaned up (its stream stopped), runs the current one. */
  #execute(): Promise<void> {
    this.#execution?.abort();
    const execution = new Execution();
    this.#execution = execution;
    const previous = this.#executing;
    const run = previous.then(() => (execution.aborted || this.#ended ? undefined : this.#run(execution)));
    this.#executing = run.catch((error: unknown) => {
      this.record.twimlIssues.push(`sandbox error: ${error instanceof Error ? error.message : String(error)}`);
      this.end("failed", "sandbox");
    });
    return this.#executing;
  }

  async #run(execution: Execution): Promise<void> {
    let verbs: TwimlVerb[];
    if (this.#twiml !== null) {
      const parsed = parseTwiml(this.#twiml);
      if (!parsed.ok) return this.#twimlFailed(`12100: ${parsed.error}`, execution);
      verbs = parsed.verbs;
    } else if (this.#url !== null) {
      const params = { ...callParams(this.#parties), CallStatus: "in-progress" };
      const answeredBy = this.record.amd?.answeredBy;
      if (answeredBy) Object.assign(params, { AnsweredBy: answeredBy });
      const response = await execution.until(this.#p.callbacks.request(this.#p.sid, "twiml", this.#url, this.#method, params));
      if (execution.aborted) return;
      if (!response || !response.ok) return this.#twimlFailed(`11200: fetching ${this.#url} answered ${response?.status ?? "nothing"}`, execution);
      const parsed = parseTwiml(await response.text());
      if (!parsed.ok) return this.#twimlFailed(`12100: ${parsed.error}`, execution);
      verbs = parsed.verbs;
    } else {
      return this.#twimlFailed("No TwiML to run", execution);
    }

    for (const verb of verbs) {
      if (execution.aborted || this.#ended) return;
      if (verb.verb === "Connect") await this.#runStream(verb.stream, execution);
      else if (verb.verb === "Say") await this.#say(verb, execution);
      else if (verb.verb === "Pause") await execution.until(this.#line.delay(verb.seconds * 1000));
      else if (verb.verb === "Hangup") return this.end("completed", "twiml");
      else this.record.twimlIssues.push(`<${verb.name}> is not simulated; skipped`);
    }
    if (!execution.aborted && !this.#ended) this.end("completed", "no-twiml-left");
  }

  /** Twilio says "an application error has occurred" and hangs up. */
  #twimlFailed(issue: string, execution: Execution): void {
    if (execution.aborted) return;
    this.record.twimlIssues.push(issue);
    this.end("completed", "twiml");
  }

  async #say(verb: SayVerb, execution: Execution): Promise<void> {
    for (let i = 0; i < verb.loop && !execution.aborted; i++) {
      const entry = { text: verb.text, atMs: this.lineNow(), completed: false };
      this.record.twimlSaid.push(entry);
      this.#notify();
      const played = new Promise<void>((resolve) => {
        this.#line.play(i === 0 ? encodeSpeech(verb.text) : concat(silence(300), encodeSpeech(verb.text)));
        this.#line.mark({ name: "say", queuedAtMs: this.lineNow(), internal: true, onReached: () => resolve() });
      });
      await execution.until(played);
      if (!execution.aborted) entry.completed = true;
    }
  }

  async #runStream(stream: StreamVerb["stream"], execution: Execution): Promise<void> {
    const checked = openStreamRecord(stream, this.#p.random);
    if ("issue" in checked) {
      this.record.twimlIssues.push(checked.issue);
      return;
    }
    const { record, warning } = checked;
    if (warning) this.record.twimlIssues.push(warning);
    this.record.streams.push(record);
    let opened = false;
    let closed!: () => void;
    const closedPromise = new Promise<void>((resolve) => (closed = resolve));
    const client = new MediaStreamClient({
      url: record.url,
      authToken: this.#p.authToken,
      accountSid: this.#p.accountSid,
      callSid: this.#p.sid,
      streamSid: record.streamSid,
      customParameters: record.customParameters,
      onMessage: (message) => this.#onAppMessage(message, record),
      onProtocolError: (error) => {
        this.record.protocolErrors.push({ ...error, atMs: this.lineNow() });
        this.#notify();
      },
      onClose: (code, byApp) => {
        record.closeCode = code;
        if (opened && byApp) record.endedBy ??= "app";
        closed();
      },
    });
    record.sent = client.sent;
    const current = { client, record, verb: stream };
    this.#stream = current;
    try {
      await execution.until(client.connect());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record.error = message;
      record.endedBy = "error";
      this.record.twimlIssues.push(`31920: the stream did not connect: ${message}`);
      this.#stream = null;
      this.#streamCallback(stream, record, "stream-error", message);
      this.#notify();
      return;
    }
    opened = true;
    if (execution.aborted) {
      record.endedBy ??= "twilio";
      await client.stop();
    } else {
      record.connectedAtMs = this.lineNow();
      this.#streamCallback(stream, record, "stream-started");
      this.#notify();
      await execution.until(closedPromise);
      if (execution.aborted) {
        record.endedBy ??= "twilio";
        await client.stop();
      }
    }
    this.#finishStream(current, this.lineNow());
  }

  /** Once per stream, as soon as it is over: its record closed, its unplayed audio gone, `stream-stopped` queued. */
  #finishStream(stream: { client: MediaStreamClient; record: StreamRecord; verb: StreamVerb["stream"] }, atMs: number): void {
    if (stream.record.stoppedAtMs !== null) return;
    stream.record.stoppedAtMs = atMs;
    if (this.#stream === stream) this.#stream = null;
    // Audio the app queued but Twilio had not played is gone with the stream.
    this.#line.dropQueued();
    if (stream.record.connectedAtMs !== null) this.#streamCallback(stream.verb, stream.record, "stream-stopped");
    this.#notify();
  }

  #onAppMessage(message: AppMessage, record: StreamRecord): void {
    if (this.#ended) return;
    if (message.event === "media") {
      record.received.media++;
      record.receivedAudioBytes += message.audio.length;
      this.#line.play(message.audio);
    } else if (message.event === "mark") {
      record.received.mark++;
      this.#line.mark({ name: message.name, queuedAtMs: this.lineNow(), internal: false });
    } else {
      record.received.clear++;
      this.#line.clear();
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
