import { randomBytes } from "node:crypto";
import { Call, DEFAULT_TIMING, type Timing } from "./call";
import { FINAL_STATUSES, type CallRecord } from "./call-record";
import type { CallRequest } from "./call-request";
import { CallbackSender, type CallbackDelivery, type CallbackKind } from "./callbacks";
import { hashSeed, sid } from "./ids";
import { NumberInventory, PRESET_NUMBERS, type OwnedNumber } from "./numbers";
import { PERSONAS, personaBySuffix, type PersonaName } from "./personas";

export interface WaitOptions {
  /** Rejects after this long (default 30 s). */
  timeoutMs?: number;
}

/** `waitForCall` without a predicate waits for the call to end. */
export type CallPredicate = (call: CallRecord) => boolean;

/** What tests drive directly (`sandbox.twilio`). */
export interface TwilioStandIn {
  /** `AC…`, the Basic auth user and the account in every path. */
  readonly accountSid: string;
  /** The Basic auth password, and the key of every `X-Twilio-Signature`. */
  readonly authToken: string;
  /** The account's phone numbers (E.164), valid as `From`. */
  numbers(): string[];
  /** Every call placed since the start (or the last `reset`), oldest first; `to` filters. */
  calls(filter?: { to?: string }): CallRecord[];
  call(callSid: string): CallRecord | undefined;
  /** Who answers `number` from now on (null: back to the suffix table). */
  setPersona(number: string, persona: PersonaName | null): void;
  personaFor(number: string): PersonaName;
  /** Resolves with the call's record once `predicate` holds (by default: the call has ended). */
  waitForCall(callSid: string, predicate?: CallPredicate, options?: WaitOptions): Promise<CallRecord>;
  /** The same for the first call to `to` (placed already or later) for which `predicate` holds. */
  waitForCallTo(to: string, predicate?: CallPredicate, options?: WaitOptions): Promise<CallRecord>;
  /** Shortens or lengthens the steps before a conversation; returns the timing in force. */
  setTiming(timing: Partial<Timing>): Timing;
  /** The callee hangs up now. */
  hangup(callSid: string): boolean;
  /** The callee says `text` now. */
  say(callSid: string, text: string): boolean;
  /** Status, AMD, stream and TwiML-fetch requests the stand-in made, with the receiver's status. */
  deliveries(filter?: { callSid?: string; kind?: CallbackKind }): CallbackDelivery[];
  /** Resolves once every callback queued so far has been delivered (or failed). */
  settled(callSid?: string): Promise<void>;
  /** Ends live calls without callbacks and forgets calls, deliveries, personas set and timing. */
  reset(): void;
}

export interface TwilioStandInOptions {
  random: () => number;
  numbers?: readonly string[];
}

/** The handle plus what the routes need. */
export class TwilioState implements TwilioStandIn {
  readonly accountSid: string;
  readonly authToken: string;
  readonly inventory: NumberInventory;
  readonly #random: () => number;
  #callbacks: CallbackSender;
  #calls = new Map<string, Call>();
  #personas = new Map<string, PersonaName>();
  #timing: Timing = { ...DEFAULT_TIMING };
  #waiters = new Set<() => void>();

  constructor({ random, numbers = PRESET_NUMBERS }: TwilioStandInOptions) {
    this.#random = random;
    this.accountSid = sid("AC", random);
    this.authToken = randomBytes(16).toString("hex");
    this.inventory = new NumberInventory(random, numbers);
    this.#callbacks = new CallbackSender(this.authToken);
  }

  numbers(): string[] {
    return this.inventory.owned().map((n) => n.phoneNumber);
  }

  calls(filter?: { to?: string }): CallRecord[] {
    return [...this.#calls.values()].filter((c) => filter?.to === undefined || c.record.to === filter.to).map((c) => structuredClone(c.record));
  }

  call(callSid: string): CallRecord | undefined {
    const call = this.#calls.get(callSid);
    return call && structuredClone(call.record);
  }

  liveCall(callSid: string): Call | undefined {
    return this.#calls.get(callSid);
  }

  allCalls(): Call[] {
    return [...this.#calls.values()];
  }

  setPersona(number: string, persona: PersonaName | null): void {
    if (persona === null) this.#personas.delete(number);
    else this.#personas.set(number, persona);
  }

  personaFor(number: string): PersonaName {
    return this.#personas.get(number) ?? personaBySuffix(number);
  }

  personaOverrides(): Record<string, PersonaName> {
    return Object.fromEntries(this.#personas);
  }

  waitForCall(callSid: string, predicate: CallPredicate = ended, options?: WaitOptions): Promise<CallRecord> {
    return this.#waitFor(() => {
      const call = this.#calls.get(callSid);
      return call && predicate(call.record) ? structuredClone(call.record) : undefined;
    }, `call ${callSid}`, options);
  }

  waitForCallTo(to: string, predicate: CallPredicate = ended, options?: WaitOptions): Promise<CallRecord> {
    return this.#waitFor(() => {
      const call = [...this.#calls.values()].find((c) => c.record.to === to && predicate(c.record));
      return call && structuredClone(call.record);
    }, `a call to ${to}`, options);
  }

  setTiming(timing: Partial<Timing>): Timing {
    this.#timing = { ...this.#timing, ...timing };
    return { ...this.#timing };
  }

  timing(): Timing {
    return { ...this.#timing };
  }

  hangup(callSid: string): boolean {
    const call = this.#calls.get(callSid);
    if (!call || call.ended || call.record.answeredAt === null) return false;
    call.calleeHangup();
    return true;
  }

  say(callSid: string, text: string): boolean {
    return this.#calls.get(callSid)?.calleeSay(text) ?? false;
  }

  deliveries(filter?: { callSid?: string; kind?: CallbackKind }): CallbackDelivery[] {
    return this.#callbacks.deliveries(filter);
  }

  settled(callSid?: string): Promise<void> {
    return this.#callbacks.settled(callSid);
  }

  reset(): void {
    for (const call of this.#calls.values()) call.shutdown();
    this.#calls.clear();
    this.#personas.clear();
    this.#timing = { ...DEFAULT_TIMING };
    this.#callbacks.clear();
  }

  /** For the routes: a validated request becomes a ringing call. */
  placeCall(request: CallRequest, fromNumber: OwnedNumber | undefined): Call {
    const callSid = sid("CA", this.#random);
    const persona = this.personaFor(request.to);
    const call = new Call({
      ...request,
      sid: callSid,
      accountSid: this.accountSid,
      authToken: this.authToken,
      phoneNumberSid: fromNumber?.sid ?? null,
      persona,
      script: PERSONAS[persona],
      seed: hashSeed(callSid),
      random: this.#random,
      timing: { ...this.#timing },
      callbacks: this.#callbacks,
      onChange: () => this.#changed(),
    });
    this.#calls.set(callSid, call);
    call.start();
    this.#changed();
    return call;
  }

  async close(): Promise<void> {
    for (const call of this.#calls.values()) call.shutdown();
    await this.#callbacks.close();
  }

  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }

  #waitFor(probe: () => CallRecord | undefined, what: string, options?: WaitOptions): Promise<CallRecord> {
    const timeoutMs = options?.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (!found) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}

function ended(call: CallRecord): boolean {
  return FINAL_STATUSES.includes(call.status);
}
