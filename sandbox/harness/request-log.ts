import type { FaultDecision } from "./faults";

/** What the far end received, so a test can assert on it instead of trusting our adapter. */
export interface RequestLogEntry {
  id: number;
  provider: string;
  method: string;
  /** Path inside the provider's mount, e.g. `/v1/jwks` for `/clerk/v1/jwks`. */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  /** Lower-cased header names, as fetch reports them. */
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  receivedAt: string;
  /** The fault the dice chose for this request. */
  fault: FaultDecision["kind"];
  /** Status sent back; null while the request is pending or when it was left hanging. */
  status: number | null;
}

// Bounds memory in a long dev session; tests clear the log long before reaching either cap.
const MAX_ENTRIES = 1_000;
const MAX_BODY_CHARS = 64 * 1024;

export class RequestLog {
  #nextId = 1;
  #entries: RequestLogEntry[] = [];

  /** Records a request as it arrives; reads a clone so the stand-in still gets the body. */
  async record(provider: string, request: Request, fault: FaultDecision["kind"]): Promise<RequestLogEntry> {
    const url = new URL(request.url);
    const text = request.body ? await request.clone().text() : "";
    const entry: RequestLogEntry = {
      id: this.#nextId++,
      provider,
      method: request.method,
      path: url.pathname.slice(provider.length + 1) || "/",
      query: url.search.slice(1),
      headers: Object.fromEntries(request.headers),
      body: text.slice(0, MAX_BODY_CHARS),
      bodyTruncated: text.length > MAX_BODY_CHARS,
      receivedAt: new Date().toISOString(),
      fault,
      status: null,
    };
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
    return entry;
  }

  /** Copies, so a caller cannot edit the log it is asserting on. */
  list(provider?: string): RequestLogEntry[] {
    return this.#entries
      .filter((entry) => provider === undefined || entry.provider === provider)
      .map((entry) => ({ ...entry, headers: { ...entry.headers } }));
  }

  clear(): void {
    this.#entries = [];
  }
}
