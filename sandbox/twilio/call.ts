import { BYTES_PER_MS, encodeSpeech, FRAME_BYTES, FRAME_MS, heardText, silence, SILENCE, speechMs, SpeechDecoder, type SpeechEvent } from "../speech/codec";
import { mulberry32 } from "../harness/prng";
import { AmdDetector, BEEP_BYTE, type AmdOptions, type AnsweredBy } from "./amd";
import { newCallRecord, type CallRecord, type CallStatus, type CalleeUtterance, type HeardUtterance, type StreamRecord } from "./call-record";
import type { CallRequest } from "./call-request";
import { Execution } from "./twiml-execution";
import { Callee } from "./callee";
import type { CallbackSender } from "./callbacks";
import { rfc2822, sid } from "./ids";
import { LineClock } from "./line";
import { MediaStreamClient, type AppMessage } from "./media-stream";
import type { PersonaName, PersonaScript } from "./personas";
import { PlaybackQueue, type QueuedMark } from "./playback";
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

interface QueuedSpeech {
  bytes: Uint8Array;
  offset: number;
  utterance: CalleeUtterance;
}

interface OpenHeard {
  text: string | null;
  startMs: number;
  overlapped: boolean;
}

const textBytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * One outbound call through Twilio to a simulated callee: status changes and their callbacks,
 * the line's real-time audio in both directions once answered, answering machine detection,
 * the TwiML (`<Connect><Stream>`, `<Say>`, `<Pause>`, `<Hangup/>`), and the record tests read.
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
  #clock: LineClock | null = null;
  #callee: Callee | null = null;
  #amd: AmdDetector | null = null;
  #amdDecided: ((verdict: AnsweredBy) => void) | null = null;
  #execution: Execution | null = null;
  #executing: Promise<void> = Promise.resolve();
  #stream: { client: MediaStreamClient; record: StreamRecord; verb: StreamVerb["stream"] } | null = null;
  readonly #playback = new PlaybackQueue();
  readonly #hearing = new SpeechDecoder();
  #speech: QueuedSpeech[] = [];
  #speaking: CalleeUtterance | null = null;
  #openHeard: OpenHeard | null = null;
  #botAudible = false;
  #lastAudioEndMs: number | null = null;
  #clearedDuringBargeIn = false;
  #lineWaits: { atMs: number; wake: () => void }[] = [];
  #sequence = 0;
  #dirty = false;

  constructor(params: CallParams) {
    this.#p = params;
    this.#twiml = params.twiml;
    this.#url = params.url;
    this.#method = params.method;
    this.record = newCallRecord(params, Date.now());
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
    const lineEnd = this.#clock ? this.#clock.frames * FRAME_MS : 0;
    this.#callee?.stop();
    this.#execution?.abort();
    if (this.#stream) {
      const stream = this.#stream;
      stream.record.endedBy ??= "twilio";
      void stream.client.stop();
      this.#finishStream(stream, lineEnd);
    }
    this.#clock?.stop();
    for (const timer of this.#timeouts) clearTimeout(timer);
    this.#timeouts.clear();
    for (const wait of this.#lineWaits) wait.wake();
    this.#lineWaits = [];
    if (this.#openHeard) this.#closeHeard(lineEnd, false);
    for (const bargeIn of this.record.bargeIns) {
      if (bargeIn.stoppedBy === null) {
        bargeIn.stoppedBy = "hangup";
        bargeIn.botStoppedAtMs = lineEnd;
        bargeIn.latencyMs = lineEnd - bargeIn.calleeStartMs;
      }
    }
    if (this.#speaking && this.#speaking.endMs === null) this.#speaking.endMs = lineEnd;
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
    return this.#clock ? Math.round(this.#clock.nowMs()) : 0;
  }

  // ——— lifecycle ———

  #answer(): void {
    if (this.#ended) return;
    this.record.answeredAt = Date.now();
    this.#setStatus("in-progress");
    this.#statusCallback("answered", "in-progress");
    const { script, machineDetection, timing } = this.#p;
    // Replies and gaps depend on the call's seed alone.
    this.#callee = new Callee(script, mulberry32(this.#p.seed), this.#calleeLine(), timing.maxCallMs);
    if (machineDetection) this.#amd = new AmdDetector(machineDetection);
    this.#clock = new LineClock(() => this.#tick());
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
    this.#dirty = false;
    this.#p.onChange();
  }

  // ——— callbacks ———

  #baseParams(): Record<string, string> {
    const { accountSid, sid: callSid, from, to } = this.#p;
    return {
      AccountSid: accountSid,
      ApiVersion: "2010-04-01",
      CallSid: callSid,
      Called: to,
      Caller: from,
      Direction: "outbound-api",
      From: from,
      To: to,
    };
  }

  #statusCallback(event: "initiated" | "ringing" | "answered" | "completed", status: CallStatus): void {
    const url = this.#p.statusCallback;
    if (!url || this.#silent) return;
    // The final status always goes out; the others only when asked for with StatusCallbackEvent.
    if (event !== "completed" && !this.#p.statusCallbackEvents.includes(event)) return;
    const params: Record<string, string> = {
      ...this.#baseParams(),
      CallStatus: status,
      CallbackSource: "call-progress-events",
      SequenceNumber: String(this.#sequence++),
      Timestamp: rfc2822(Date.now()),
    };
    if (event === "completed") {
      const seconds = this.record.answeredAt === null ? 0 : Math.ceil(((this.record.endedAt ?? Date.now()) - this.record.answeredAt) / 1000);
      params.CallDuration = String(seconds);
      params.Duration = String(Math.ceil(seconds / 60));
    }
    const answeredBy = this.record.amd?.answeredBy;
    if (answeredBy) params.AnsweredBy = answeredBy;
    this.#p.callbacks.enqueue(this.#p.sid, "status", url, this.#p.statusCallbackMethod, params);
  }

  #streamCallback(stream: StreamVerb["stream"], record: StreamRecord, event: "stream-started" | "stream-stopped" | "stream-error", error?: string): void {
    if (!stream.statusCallback || this.#silent) return;
    const params: Record<string, string> = {
      AccountSid: this.#p.accountSid,
      CallSid: this.#p.sid,
      StreamSid: record.streamSid,
      StreamName: record.name ?? record.streamSid,
      StreamEvent: event,
      Timestamp: new Date().toISOString(),
    };
    if (error !== undefined) params.StreamError = error;
    this.#p.callbacks.enqueue(this.#p.sid, "stream", stream.statusCallback, stream.statusCallbackMethod, params);
  }

  #onAmd(verdict: AnsweredBy, atMs: number): void {
    const amd = this.record.amd;
    if (!amd || this.#ended) return;
    amd.answeredBy = verdict;
    amd.detectionMs = Math.round(atMs);
    const url = this.#p.asyncAmdStatusCallback;
    if (this.#p.asyncAmd && url && !this.#silent) {
      this.#p.callbacks.enqueue(this.#p.sid, "amd", url, this.#p.asyncAmdStatusCallbackMethod, {
        AccountSid: this.#p.accountSid,
        CallSid: this.#p.sid,
        AnsweredBy: verdict,
        MachineDetectionDuration: String(amd.detectionMs),
      });
    }
    this.#amdDecided?.(verdict);
    this.#amdDecided = null;
    this.#dirty = true;
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
      const params = { ...this.#baseParams(), CallStatus: "in-progress" };
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
      else if (verb.verb === "Pause") await execution.until(this.#lineDelay(verb.seconds * 1000));
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

  #lineDelay(ms: number): Promise<void> {
    const atMs = this.lineNow() + ms;
    return new Promise((wake) => this.#lineWaits.push({ atMs, wake }));
  }

  async #say(verb: SayVerb, execution: Execution): Promise<void> {
    for (let i = 0; i < verb.loop && !execution.aborted; i++) {
      const entry = { text: verb.text, atMs: this.lineNow(), completed: false };
      this.record.twimlSaid.push(entry);
      this.#notify();
      const played = new Promise<void>((resolve) => {
        this.#playback.pushAudio(i === 0 ? encodeSpeech(verb.text) : concat(silence(300), encodeSpeech(verb.text)));
        this.#enqueueMark({ name: "say", queuedAtMs: this.lineNow(), internal: true, onReached: () => resolve() });
      });
      await execution.until(played);
      if (!execution.aborted) entry.completed = true;
    }
  }

  async #runStream(stream: StreamVerb["stream"], execution: Execution): Promise<void> {
    let url: URL;
    try {
      url = new URL(stream.url);
    } catch {
      this.record.twimlIssues.push(`31920: <Stream> url ${stream.url} is not an absolute URL`);
      return;
    }
    if (url.protocol !== "wss:" && url.protocol !== "ws:") {
      this.record.twimlIssues.push(`31922: <Stream> url scheme ${url.protocol} is not supported (wss; ws:// accepted locally)`);
      return;
    }
    if (url.search) {
      // Twilio does not support a query string on the stream URL; callers see it dropped.
      this.record.twimlIssues.push(`31920: <Stream> url ${stream.url} has a query string; dropped (use <Parameter>)`);
      url.search = "";
    }
    const record: StreamRecord = {
      url: url.toString(),
      name: stream.name,
      streamSid: sid("MZ", this.#p.random),
      customParameters: { ...stream.parameters },
      connectedAtMs: null,
      mediaStartMs: null,
      stoppedAtMs: null,
      endedBy: null,
      closeCode: null,
      error: null,
      sent: { connected: 0, start: 0, media: 0, mark: 0, stop: 0 },
      received: { media: 0, mark: 0, clear: 0 },
      receivedAudioBytes: 0,
    };
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
    for (const mark of this.#playback.clear().marks) if (mark.internal) mark.onReached?.(true);
    if (stream.record.connectedAtMs !== null) this.#streamCallback(stream.verb, stream.record, "stream-stopped");
    this.#notify();
  }

  #onAppMessage(message: AppMessage, record: StreamRecord): void {
    if (this.#ended) return;
    if (message.event === "media") {
      record.received.media++;
      record.receivedAudioBytes += message.audio.length;
      this.#playback.pushAudio(message.audio);
    } else if (message.event === "mark") {
      record.received.mark++;
      this.#enqueueMark({ name: message.name, queuedAtMs: this.lineNow(), internal: false });
    } else {
      record.received.clear++;
      this.#clear();
    }
  }

  #enqueueMark(mark: QueuedMark): void {
    if (this.#playback.pushMark(mark)) this.#reachMark(mark, this.lineNow(), false);
  }

  #reachMark(mark: QueuedMark, atMs: number, viaClear: boolean): void {
    if (mark.internal) {
      mark.onReached?.(viaClear);
      return;
    }
    this.#stream?.client.sendMark(mark.name);
    this.record.marks.push({ name: mark.name, queuedAtMs: mark.queuedAtMs, echoedAtMs: atMs, viaClear });
    this.#dirty = true;
  }

  #clear(): void {
    const atMs = this.lineNow();
    const { droppedBytes, marks } = this.#playback.clear();
    for (const mark of marks) this.#reachMark(mark, atMs, true);
    const openBargeIn = this.record.bargeIns.find((b) => b.stoppedBy === null);
    const calleeSpeechStartMs = openBargeIn?.calleeStartMs ?? (this.#speaking?.endMs === null ? this.#speaking.startMs : null);
    if (openBargeIn) this.#clearedDuringBargeIn = true;
    this.record.clears.push({
      atMs,
      droppedMs: droppedBytes / BYTES_PER_MS,
      flushedMarks: marks.filter((m) => !m.internal).map((m) => m.name),
      lastAudioEndMs: this.#lastAudioEndMs,
      sinceLastAudioMs: this.#lastAudioEndMs === null ? null : atMs - this.#lastAudioEndMs,
      calleeSpeechStartMs,
      reactionMs: calleeSpeechStartMs === null ? null : atMs - calleeSpeechStartMs,
    });
    this.#notify();
  }

  // ——— the line ———

  #calleeLine() {
    return {
      say: (text: string, kind: CalleeUtterance["kind"]) => this.#queueSpeech(encodeSpeech(text), text, kind),
      tone: (ms: number) => this.#queueSpeech(new Uint8Array(Math.round(ms * BYTES_PER_MS)).fill(BEEP_BYTE), null, "beep"),
      speaking: () => this.#speech.length > 0,
      botSpeaking: () => this.#hearing.speaking,
      hangup: () => this.end("completed", "callee"),
    };
  }

  #queueSpeech(bytes: Uint8Array, text: string | null, kind: CalleeUtterance["kind"]): { startMs: number; endMs: number } {
    const queued = this.#speech.reduce((sum, item) => sum + item.bytes.length - item.offset, 0);
    const startMs = (this.#clock?.frames ?? 0) * FRAME_MS + queued / BYTES_PER_MS;
    const utterance: CalleeUtterance = { kind, text, startMs, endMs: null, streamMs: null, overBot: false };
    this.#speech.push({ bytes, offset: 0, utterance });
    return { startMs, endMs: startMs + bytes.length / BYTES_PER_MS };
  }

  #tick(): void {
    if (this.#ended || !this.#clock) return;
    const frameStart = (this.#clock.frames - 1) * FRAME_MS;
    const frameEnd = frameStart + FRAME_MS;

    // The callee's side: its speech, or the line's silence.
    const inbound = new Uint8Array(FRAME_BYTES).fill(SILENCE);
    let filled = 0;
    while (filled < FRAME_BYTES) {
      const head = this.#speech[0];
      if (!head) break;
      if (head.offset === 0) this.#startUtterance(head.utterance, frameStart + filled / BYTES_PER_MS);
      const take = Math.min(FRAME_BYTES - filled, head.bytes.length - head.offset);
      inbound.set(head.bytes.subarray(head.offset, head.offset + take), filled);
      head.offset += take;
      filled += take;
      if (head.offset === head.bytes.length) {
        head.utterance.endMs = frameStart + filled / BYTES_PER_MS;
        this.#speech.shift();
        if (this.#speaking === head.utterance) this.#speaking = null;
        this.#dirty = true;
      }
    }
    if (filled > 0 && this.#openHeard) this.#openHeard.overlapped = true;
    if (this.#amd && !this.#amd.done) {
      const verdict = this.#amd.push(inbound, frameEnd);
      if (verdict) this.#onAmd(verdict, frameEnd);
    }
    const stream = this.#stream;
    if (stream?.client.open) {
      stream.record.mediaStartMs ??= frameStart;
      stream.client.sendMedia(inbound);
    }

    // The app's side: what plays to the callee now, and the marks that playing reached.
    const played = this.#playback.nextFrame();
    for (const mark of played.reached) this.#reachMark(mark, frameStart, false);
    this.#botAudible = played.audioBytes > 0;
    if (this.#botAudible) this.#lastAudioEndMs = frameStart + played.audioBytes / BYTES_PER_MS;
    for (const event of this.#hearing.push(played.frame)) this.#onHeard(event);
    const openBargeIn = this.record.bargeIns.find((b) => b.stoppedBy === null);
    if (openBargeIn && this.#playback.pendingAudioBytes === 0) {
      openBargeIn.botStoppedAtMs = this.#lastAudioEndMs ?? frameStart;
      openBargeIn.latencyMs = openBargeIn.botStoppedAtMs - openBargeIn.calleeStartMs;
      openBargeIn.stoppedBy = this.#clearedDuringBargeIn ? "clear" : "finished";
      this.#dirty = true;
    }

    for (const wait of this.#lineWaits.filter((w) => w.atMs <= frameEnd)) wait.wake();
    this.#lineWaits = this.#lineWaits.filter((w) => w.atMs > frameEnd);
    this.#callee?.onTick(frameEnd);
    if (this.#dirty) this.#notify();
  }

  #startUtterance(utterance: CalleeUtterance, atMs: number): void {
    utterance.startMs = atMs;
    const mediaStart = this.#stream?.client.open ? (this.#stream.record.mediaStartMs ?? atMs) : null;
    utterance.streamMs = mediaStart === null ? null : atMs - mediaStart;
    utterance.overBot = this.#botAudible || this.#playback.pendingAudioBytes > 0;
    this.#speaking = utterance;
    this.record.said.push(utterance);
    if (utterance.kind === "beep" && this.record.voicemail) this.record.voicemail.beepAtMs = atMs;
    if (utterance.overBot && utterance.kind !== "beep" && !this.record.bargeIns.some((b) => b.stoppedBy === null)) {
      this.#clearedDuringBargeIn = false;
      this.record.bargeIns.push({ calleeText: utterance.text, calleeStartMs: atMs, botStoppedAtMs: null, latencyMs: null, stoppedBy: null });
    }
    this.#dirty = true;
  }

  #onHeard(event: SpeechEvent): void {
    if (event.type === "speech-start") {
      this.#openHeard = { text: null, startMs: event.atMs, overlapped: this.#speaking !== null };
      this.#callee?.onBotStart(null, event.atMs);
    } else if (event.type === "text") {
      // The words ride at the front of an utterance, right after its START byte; `atMs` is the END byte.
      const startMs = this.#openHeard?.text != null ? event.atMs - (textBytes(event.text) + 1) / BYTES_PER_MS : event.startMs;
      if (this.#openHeard?.text != null) {
        // Two utterances back to back with no silence between: the first ends where the next begins.
        this.#closeHeard(startMs, true);
        this.#openHeard = { text: event.text, startMs, overlapped: this.#speaking !== null };
      } else if (this.#openHeard) {
        this.#openHeard.text = event.text;
        this.#openHeard.startMs = startMs;
      } else {
        this.#openHeard = { text: event.text, startMs, overlapped: this.#speaking !== null };
      }
      this.#callee?.onBotStart(event.text, startMs);
    } else {
      this.#closeHeard(event.atMs, true);
    }
  }

  #closeHeard(endMs: number, tellCallee: boolean): void {
    const open = this.#openHeard;
    if (!open) return;
    this.#openHeard = null;
    const heardMs = endMs - open.startMs;
    const fullMs = open.text === null ? heardMs : speechMs(open.text);
    const utterance: HeardUtterance = {
      text: open.text,
      heard: open.text === null ? "" : heardText(open.text, heardMs),
      startMs: open.startMs,
      endMs,
      heardMs,
      fullMs,
      cut: heardMs < fullMs - 0.5,
      overlapped: open.overlapped,
    };
    this.record.heard.push(utterance);
    const recordingSince = this.#callee?.recordingSinceMs ?? null;
    if (this.record.voicemail && recordingSince !== null && utterance.startMs >= recordingSince) this.record.voicemail.message.push(utterance);
    this.#dirty = true;
    if (tellCallee) this.#callee?.onBotEnd(utterance);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
