/** A TwiML run that a redirect or the end of the call abandons. */
export class Execution {
  aborted = false;
  readonly #waiters = new Set<() => void>();

  abort(): void {
    this.aborted = true;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Resolves with the promise's value, or with undefined as soon as the run is abandoned. */
  until<T>(promise: Promise<T>): Promise<T | undefined> {
    if (this.aborted) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      const wake = () => resolve(undefined);
      this.#waiters.add(wake);
      promise.then(
        (value) => (this.#waiters.delete(wake), resolve(value)),
        (error: unknown) => (this.#waiters.delete(wake), reject(error)),
      );
    });
  }
}
