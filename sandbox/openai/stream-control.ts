/** One streamed answer, as the far end saw it: how much it sent and whether the client left early. */
export interface StreamRecord {
  id: string;
  model: string;
  /** `chat.completion.chunk` events in the answer (without `[DONE]`). */
  chunks: number;
  /** Events handed to the socket so far. */
  sent: number;
  state: "streaming" | "done" | "cancelled";
  startedAt: string;
}

// Bounds memory in a long dev session; a test only ever looks at the last few.
const MAX_RECORDS = 100;

/**
 * The stand-in's streaming knobs and what it streamed, shared by its routes and its handle (one
 * per sandbox, like the harness's fault config).
 */
export class StreamControl {
  /** Pause between chunks, after the first: how fast the "model" writes. */
  tokenDelayMs = 0;
  readonly #records: StreamRecord[] = [];

  open(id: string, model: string, now: number): StreamRecord {
    const record: StreamRecord = { id, model, chunks: 0, sent: 0, state: "streaming", startedAt: new Date(now).toISOString() };
    this.#records.push(record);
    if (this.#records.length > MAX_RECORDS) this.#records.shift();
    return record;
  }

  /** Oldest first. */
  records(): StreamRecord[] {
    return this.#records.map((record) => ({ ...record }));
  }

  reset(): void {
    this.tokenDelayMs = 0;
    this.#records.length = 0;
  }
}
