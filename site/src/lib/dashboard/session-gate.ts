import { fetchMe, type Me } from "../api";
import { must } from "./dom";
import { plainWords } from "./problems";

/**
 * Starts a dashboard page that needs a session: asks who is signed in, then either shows the
 * workspace and hands over to `ready`, or the signed-out note (markup: SessionGate.astro).
 */
export function startSignedInPage(doc: Document, workspace: HTMLElement, ready: (me: Me) => void): void {
  const loading = must<HTMLElement>(doc, "#gate-loading");
  const failure = must<HTMLElement>(doc, "#gate-error");
  const signedOut = must<HTMLElement>(doc, "#gate-signed-out");

  function show(visible: HTMLElement): void {
    for (const el of [loading, failure, signedOut, workspace]) el.hidden = el !== visible;
  }

  async function load(): Promise<void> {
    show(loading);
    let me: Me | null;
    try {
      me = await fetchMe();
    } catch (error) {
      must<HTMLElement>(failure, "[data-message]").textContent = plainWords(error);
      show(failure);
      must<HTMLButtonElement>(failure, "[data-retry]").focus();
      return;
    }
    if (!me) {
      show(signedOut);
      must<HTMLElement>(signedOut, "h2").focus();
      return;
    }
    show(workspace);
    ready(me);
  }

  must<HTMLButtonElement>(failure, "[data-retry]").addEventListener("click", () => void load());
  void load();
}
