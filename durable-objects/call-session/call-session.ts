import { DurableObject } from "cloudflare:workers";
import type { TranscriptEntry } from "../../drizzle/schema/activity";
import { isOptOut } from "../../workers/domain/contact-policy";
import { AGENT_TOOLS, buildAgentPrompt, goodbyeLine, openingLine, stillThereLine } from "../../workers/domain/voice/agent-prompt";
import type { AnalyzeCallMessage } from "../../workers/engine/dispatch-message";
import type { Env } from "../../workers/env";
import { createLogger } from "../../workers/logger";
import { voiceProviders } from "../../workers/providers/voice-registry";
import type { SttStream } from "../../workers/providers/voice-ports";
import { finishCampaignCall } from "../../workers/engine/channels/voice-channel";
import { outcomeOf, recordCall, type CallResult, type CallStatus } from "./call-log";
import type { CallPlan } from "./call-plan";
import { Conversation, type AgentAction } from "./conversation";
import { parseTwilioMessage, serializeClear, serializeMark, serializeMedia } from "./twilio-media";

/** Deepgram's endpointing: how much silence ends the callee's turn. Lower answers sooner but cuts off pauses. */
const ENDPOINTING_MS = 300;
const UTTERANCE_END_MS = 1000;
const ATTACH_WAIT_MS = 5_000;
/** Deepgram closes a live socket after 10 s with neither audio nor KeepAlive. */
const KEEPALIVE_AFTER_MS = 4_000;
/** 10 s of 20 ms frames: what we keep of the callee's audio while the pipeline connects. */
const EARLY_AUDIO_FRAMES = 500;

/** What outlives an eviction: the plan, the transcript so far, and whether the log is written. */
interface Progress {
  startedAt: number | null;
  transcript: TranscriptEntry[];
  actions: AgentAction[];
  answeredBy: string | null;
  turnLatenciesMs: number[];
  recorded: boolean;
}

/**
 * One per call (`idFromName(callId)`). Twilio's media socket is accepted by the object itself;
 * the live pipeline (Deepgram in, the model and ElevenLabs out) is wired to a Conversation while
 * the call is up. The transcript is kept in storage as it grows, and the call log is written once,
 * whichever comes first: the socket's stop, Twilio's status callback, or our own hang-up.
 */
export class CallSession extends DurableObject<Env> {
  #conversation: Conversation | null = null;
  #stt: SttStream | null = null;
  #earlyAudio: { streamSid: string; audio: Uint8Array }[] = [];
  #lastAudioAt = 0;
  #keepAlive: ReturnType<typeof setInterval> | null = null;
  /** Why the call ended when it was not the callee's doing, for the log. */
  #endReason: string | null = null;
  #streamSid: string | null = null;
  #progress: Progress | null = null;
  /**
   * Inbound frames counted as they come, in memory only (a storage write per frame would cost
   * more than the frame): `chunk` counts up by one per 20 ms, so a jump is frames that never came.
   */
  readonly #inbound = { frames: 0, missing: 0, lastChunk: 0 };
  /** Media sockets accepted and not yet closed (normally the one Twilio opened). */
  readonly #sockets = new Set<WebSocket>();
  readonly #log = createLogger({ do: "CallSession" });

  /** Stores the call's plan when it is placed; the media socket finds everything here. */
  async prepare(plan: CallPlan): Promise<void> {
    await this.ctx.storage.put("plan", plan);
    await this.ctx.storage.setAlarm(Date.now() + (plan.maxDurationSeconds + 120) * 1000);
  }

  async attach(providerCallId: string): Promise<void> {
    const plan = await this.#plan();
    if (plan) await this.ctx.storage.put("plan", { ...plan, providerCallId });
  }

  /** Twilio's answering-machine verdict (async AMD). */
  async answeredBy(answeredBy: string): Promise<void> {
    const progress = await this.#loadProgress();
    progress.answeredBy = answeredBy;
    await this.#saveProgress();
    if (!answeredBy.startsWith("machine") && answeredBy !== "fax") return;
    const plan = await this.#plan();
    const conversation = this.#conversation;
    if (!plan) return;
    if (plan.voicemailMessage && conversation && answeredBy !== "fax") conversation.sayAndHangUp(plan.voicemailMessage);
    else await this.#hangUp(plan, "answered by a machine");
  }

  /** Twilio's final call status, from its status callback. */
  async callEnded(status: "completed" | "busy" | "no-answer" | "failed" | "canceled"): Promise<void> {
    if (status === "completed") return this.#finish("the call was completed");
    const mapped: CallStatus = status === "busy" ? "busy" : status === "no-answer" ? "no_answer" : "failed";
    return this.#finish(`Twilio reported ${status}`, mapped);
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const plan = await this.#plan();
    if (!plan) return new Response("unknown call", { status: 404 });
    const pair = new WebSocketPair();
    const ws = pair[1];
    // Accepted here rather than with the hibernation API. A live call holds the Deepgram and
    // ElevenLabs sockets open, so the object could not hibernate mid-call anyway, and in workerd a
    // send made from a hibernation event (each frame's audio on to Deepgram) cost ~370 µs of CPU
    // against ~80 µs from a listener like this one: at 50 frames a second, half of a call's cost
    // (bench/README.md, "Voice calls").
    ws.accept();
    this.#sockets.add(ws);
    ws.addEventListener("message", (event) => void this.#onMediaMessage(ws, event.data));
    ws.addEventListener("close", () => {
      this.#sockets.delete(ws);
      void this.#finish("the media stream closed");
    });
    ws.addEventListener("error", () => {
      this.#sockets.delete(ws);
      void this.#finish("the media stream failed");
    });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async #onMediaMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseTwilioMessage(raw);
    if (!parsed.ok) {
      this.#log.warn("twilio media protocol error", { kind: parsed.error.kind, event: parsed.error.event, detail: parsed.error.detail });
      if (parsed.error.fatal) {
        ws.close(1003, parsed.error.detail.slice(0, 120));
        await this.#finish(`media protocol error: ${parsed.error.kind}`);
      }
      return;
    }
    const message = parsed.message;
    switch (message.event) {
      case "start":
        return this.#start(ws, message.callSid, message.streamSid, message.customParameters);
      case "media":
        if (message.track !== "inbound") return;
        this.#countFrame(message.chunk);
        if (this.#stt) {
          if (message.streamSid === this.#streamSid) {
            this.#stt.send(message.audio);
            this.#lastAudioAt = Date.now();
          }
        } else if (this.#earlyAudio.length < EARLY_AUDIO_FRAMES) {
          // Audio that arrives while the stream is checked and speech-to-text connects waits, so no word is lost.
          this.#earlyAudio.push({ streamSid: message.streamSid, audio: message.audio });
        }
        return;
      case "mark":
        if (message.streamSid === this.#streamSid) this.#conversation?.onMark(message.name);
        return;
      case "stop":
        return this.#finish("the caller hung up");
      default:
        return;
    }
  }

  #countFrame(chunk: number): void {
    const inbound = this.#inbound;
    inbound.frames++;
    if (inbound.lastChunk > 0 && chunk > inbound.lastChunk + 1) inbound.missing += chunk - inbound.lastChunk - 1;
    inbound.lastChunk = Math.max(inbound.lastChunk, chunk);
  }

  override async alarm(): Promise<void> {
    const plan = await this.#plan();
    if (!plan) return;
    if (this.#conversation) this.#conversation.sayAndHangUp(goodbyeLine(plan.brief.language));
    else await this.#finish("the call ran past its maximum length");
  }

  async #start(ws: WebSocket, callSid: string, streamSid: string, parameters: Record<string, string>): Promise<void> {
    const plan = await this.#attachedPlan();
    // The socket must belong to the call this org placed: Twilio's CallSid and our signed token.
    if (!plan || plan.providerCallId !== callSid || parameters.token !== plan.mediaToken) {
      this.#log.warn("media stream refused: it does not match the call", { callSid });
      ws.close(1008, "unknown call");
      return;
    }
    if (this.#conversation) return;
    const providers = voiceProviders(this.env);
    if (!providers) {
      ws.close(1011, "voice is not configured");
      return this.#finish("voice providers are not configured", "failed");
    }
    this.#streamSid = streamSid;
    const progress = await this.#loadProgress();
    progress.startedAt ??= Date.now();
    await this.#saveProgress();

    const send = (message: string) => {
      try {
        ws.send(message);
      } catch {
        // the socket is closing; its close event finishes the call
      }
    };
    const conversation = new Conversation({
      llm: providers.llm,
      tts: providers.tts,
      ttsOptions: plan.tts,
      now: Date.now,
      systemPrompt: buildAgentPrompt(plan.brief),
      opening: openingLine(plan.brief),
      goodbye: goodbyeLine(plan.brief.language),
      stillThere: stillThereLine(plan.brief.language),
      tools: AGENT_TOOLS,
      line: {
        play: (audio) => send(serializeMedia(streamSid, audio)),
        mark: (name) => send(serializeMark(streamSid, name)),
        clear: () => send(serializeClear(streamSid)),
        hangUp: (reason) => void this.#hangUp(plan, reason),
      },
      onTranscript: (entry) => {
        progress.transcript.push(entry);
        // "Don't call me again" is honoured whatever the model makes of it.
        if (entry.role === "callee" && isOptOut(entry.text) && !progress.actions.some((a) => a.type === "do_not_call")) progress.actions.push({ type: "do_not_call" });
        void this.#saveProgress();
      },
      onAction: (action) => {
        progress.actions.push(action);
        void this.#saveProgress();
      },
      onTurn: ({ finalToFirstFrameMs }) => {
        progress.turnLatenciesMs.push(finalToFirstFrameMs);
      },
      onError: (stage, error) => this.#log.warn("voice pipeline error", { stage, error: error instanceof Error ? error.message : String(error) }),
    });
    this.#conversation = conversation;
    try {
      this.#stt = await providers.stt.open({ language: plan.brief.language, endpointingMs: ENDPOINTING_MS, utteranceEndMs: UTTERANCE_END_MS }, (event) => {
        if (event.type === "closed" && this.#conversation === conversation) {
          // The agent can no longer hear: say goodbye and end the call rather than talk to no one.
          this.#log.warn("speech-to-text closed mid-call", { code: event.code, reason: event.reason });
          this.#endReason = `speech-to-text closed (${event.code})`;
          conversation.sayAndHangUp(goodbyeLine(plan.brief.language));
          return;
        }
        conversation.onSpeech(event);
      });
      for (const early of this.#earlyAudio.splice(0)) if (early.streamSid === streamSid) this.#stt.send(early.audio);
      // Twilio streams silence too, so audio normally never stops; if it does (a muted or stalled
      // leg), Deepgram would close the socket after 10 s without audio or a KeepAlive.
      this.#lastAudioAt = Date.now();
      this.#keepAlive = setInterval(() => {
        if (Date.now() - this.#lastAudioAt >= KEEPALIVE_AFTER_MS) this.#stt?.keepAlive();
      }, KEEPALIVE_AFTER_MS);
    } catch (error) {
      this.#log.error("speech-to-text failed to open", { error: error instanceof Error ? error.message : String(error) });
      return this.#hangUp(plan, "speech-to-text unavailable");
    }
    conversation.start();
  }

  async #hangUp(plan: CallPlan, reason: string): Promise<void> {
    const providers = voiceProviders(this.env);
    if (plan.providerCallId && providers) {
      await providers.telephony.hangUp(plan.providerCallId).catch((error: unknown) => this.#log.warn("hang-up failed", { error: error instanceof Error ? error.message : String(error) }));
    }
    await this.#finish(reason);
  }

  /** Writes the call log once, whatever ended the call. */
  async #finish(reason: string, status?: CallStatus): Promise<void> {
    const plan = await this.#plan();
    const progress = await this.#loadProgress();
    this.#conversation?.end();
    this.#conversation = null;
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
    this.#stt?.close();
    this.#stt = null;
    if (!plan || progress.recorded) return;
    progress.recorded = true;
    await this.#saveProgress();
    const voicemail = progress.answeredBy?.startsWith("machine") ?? false;
    const result: CallResult = {
      status: status ?? (voicemail ? "voicemail" : progress.startedAt === null ? "failed" : "completed"),
      startedAt: progress.startedAt,
      endedAt: Date.now(),
      transcript: progress.transcript,
      actions: progress.actions,
      answeredBy: progress.answeredBy,
      turnLatenciesMs: progress.turnLatenciesMs,
      endReason: this.#endReason ?? reason,
      media: { framesIn: this.#inbound.frames, framesMissing: this.#inbound.missing },
    };
    await recordCall(this.env.DB, plan, result);
    if (plan.campaignId && plan.leadId && plan.step !== null) {
      await finishCampaignCall(this.env, { callId: plan.callId, orgId: plan.orgId, campaignId: plan.campaignId, leadId: plan.leadId, step: plan.step, providerCallId: plan.providerCallId, status: result.status, outcome: outcomeOf(result) });
    }
    // A conversation gets its review (sentiment, score, summary) from the queue, off the call's path.
    if (result.status === "completed" && result.transcript.some((t) => t.role === "callee")) {
      await this.env.DISPATCH.send({ kind: "analyze-call", callId: plan.callId, orgId: plan.orgId } satisfies AnalyzeCallMessage);
    }
    for (const ws of this.#sockets) {
      try {
        ws.close(1000, "call ended");
      } catch {
        // Twilio closed it first.
      }
    }
    this.#sockets.clear();
    await this.ctx.storage.deleteAlarm();
  }

  /**
   * The plan once Twilio's CallSid is on it. A callee who answers at once can have the media socket
   * open before the placing request has stored the CallSid, so wait for it a little.
   */
  async #attachedPlan(): Promise<CallPlan | undefined> {
    for (let waited = 0; ; waited += 50) {
      const plan = await this.#plan();
      if (!plan || plan.providerCallId !== null || waited >= ATTACH_WAIT_MS) return plan;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async #plan(): Promise<CallPlan | undefined> {
    return this.ctx.storage.get<CallPlan>("plan");
  }

  async #loadProgress(): Promise<Progress> {
    this.#progress ??= (await this.ctx.storage.get<Progress>("progress")) ?? { startedAt: null, transcript: [], actions: [], answeredBy: null, turnLatenciesMs: [], recorded: false };
    return this.#progress;
  }

  async #saveProgress(): Promise<void> {
    if (this.#progress) await this.ctx.storage.put("progress", this.#progress);
  }
}
