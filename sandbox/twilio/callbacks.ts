import { signTwilioRequest } from "./signature";

export type CallbackKind = "status" | "amd" | "stream" | "twiml";

export interface CallbackDelivery {
  callSid: string;
  kind: CallbackKind;
  /** The URL requested: for GET, with the parameters in its query. */
  url: string;
  method: "GET" | "POST";
  params: Record<string, string>;
  signature: string;
  /** The receiver's status, or null when the request failed (`error` says why). */
  status: number | null;
  error: string | null;
  /** Wall clock, ISO 8601. */
  at: string;
}

const TIMEOUT_MS = 15_000;

/**
 * Twilio's webhooks: form-encoded POST (or GET with the parameters in the query), signed with
 * `X-Twilio-Signature` over the URL plus the sorted POST parameters. Status, AMD and stream
 * callbacks for one call go out one at a time, in the order they happened; nothing is retried.
 */
export class CallbackSender {
  readonly #authToken: string;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #log: CallbackDelivery[] = [];
  readonly #closing = new AbortController();

  constructor(authToken: string) {
    this.#authToken = authToken;
  }

  /** Queued behind this call's earlier callbacks; never throws. */
  enqueue(callSid: string, kind: CallbackKind, url: string, method: "GET" | "POST", params: Record<string, string>): void {
    const previous = this.#chains.get(callSid) ?? Promise.resolve();
    const next = previous.then(async () => {
      const response = await this.request(callSid, kind, url, method, params);
      await response?.body?.cancel();
    });
    this.#chains.set(callSid, next);
  }

  /** Sent now (for fetching TwiML from `Url`); resolves with the answer, or null when it failed. */
  async request(callSid: string, kind: CallbackKind, url: string, method: "GET" | "POST", params: Record<string, string>): Promise<Response | null> {
    let target = url;
    const body = new URLSearchParams(params);
    if (method === "GET") target = `${url}${url.includes("?") ? "&" : "?"}${body.toString()}`;
    const signature = method === "GET" ? signTwilioRequest(this.#authToken, target) : signTwilioRequest(this.#authToken, url, params);
    const entry: CallbackDelivery = { callSid, kind, url: target, method, params: { ...params }, signature, status: null, error: null, at: new Date().toISOString() };
    this.#log.push(entry);
    try {
      const response = await fetch(target, {
        method,
        headers: {
          "x-twilio-signature": signature,
          "user-agent": "TwilioProxy/1.1",
          "i-twilio-idempotency-token": `${callSid}-${this.#log.length}`,
          ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } : {}),
        },
        ...(method === "POST" ? { body: body.toString() } : {}),
        signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), this.#closing.signal]),
      });
      entry.status = response.status;
      return response;
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      return null;
    }
  }

  deliveries(filter?: { callSid?: string; kind?: CallbackKind }): CallbackDelivery[] {
    return this.#log
      .filter((d) => (filter?.callSid === undefined || d.callSid === filter.callSid) && (filter?.kind === undefined || d.kind === filter.kind))
      .map((d) => ({ ...d, params: { ...d.params } }));
  }

  /** Resolves once every callback queued so far has been delivered or has failed. */
  async settled(callSid?: string): Promise<void> {
    if (callSid !== undefined) return this.#chains.get(callSid);
    await Promise.all(this.#chains.values());
  }

  clear(): void {
    this.#log.length = 0;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all(this.#chains.values());
  }
}
