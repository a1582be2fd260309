import { fetchCall, phaseOf, type Call } from "./calls-api";
import { callFacts, summaryText, transcriptItems } from "./call-detail-view";
import { calleeLabel } from "./calls-table";
import { watchCall } from "./call-watch";
import { must } from "./dom";
import type { LeadNames } from "./lead-names";
import { sectionStates } from "./section-states";

/**
 * The call detail dialog (`<dialog id="call-detail">`): a modal, so focus stays inside it,
 * Escape closes it, and focus goes back to whatever opened it. The URL carries `?call=<id>` while
 * it is open, so a call can be linked to. A live call keeps updating until it ends.
 */
export function createCallDetail(
  doc: Document,
  dialog: HTMLDialogElement,
  names: LeadNames,
  hooks: { changed(call: Call): void; returnFocus(id: string): HTMLElement | null },
) {
  const title = must<HTMLElement>(dialog, "[data-heading]");
  const body = must<HTMLElement>(dialog, "[data-detail-body]");
  const facts = must<HTMLElement>(body, "[data-facts]");
  const summary = must<HTMLElement>(body, "[data-summary]");
  const transcript = must<HTMLOListElement>(body, "[data-transcript]");
  const win = doc.defaultView;
  let current: { id: string; watch: AbortController; opener: Element | null } | null = null;
  const states = sectionStates(dialog, () => current && void load(current.id, current.watch.signal));

  function render(call: Call): void {
    hooks.changed(call);
    title.textContent = `Call to ${calleeLabel(call, names.get(call.leadId))}`;
    facts.replaceChildren(callFacts(doc, call));
    summary.textContent = summaryText(call);
    transcript.replaceChildren(...transcriptItems(doc, call));
    body.hidden = false;
  }

  async function load(id: string, signal: AbortSignal): Promise<void> {
    states.loading();
    body.hidden = true;
    try {
      const call = await fetchCall(id, signal);
      await names.resolve([call.leadId]);
      if (signal.aborted) return;
      render(call);
      states.settled(false);
      if (phaseOf(call) !== "ended" || call.summary === null) await watchCall(id, render, { signal });
    } catch (error) {
      if (!signal.aborted) states.failed(error, "This call");
    }
  }

  function setUrl(id: string | null): void {
    if (!win) return;
    const url = new URL(win.location.href);
    if (id) url.searchParams.set("call", id);
    else url.searchParams.delete("call");
    win.history.replaceState(win.history.state, "", url);
  }

  dialog.addEventListener("close", () => {
    if (!current) return;
    const { id, watch, opener } = current;
    current = null;
    watch.abort();
    setUrl(null);
    // Back to what opened it; if the list was refreshed meanwhile, to this call's new row.
    const back = opener instanceof HTMLElement && opener.isConnected && opener !== doc.body ? opener : hooks.returnFocus(id);
    back?.focus();
  });
  must<HTMLButtonElement>(dialog, "[data-close]").addEventListener("click", () => dialog.close());

  return {
    open(id: string): void {
      current?.watch.abort();
      current = { id, watch: new AbortController(), opener: current?.opener ?? doc.activeElement };
      title.textContent = "Call";
      setUrl(id);
      if (!dialog.open) dialog.showModal();
      title.focus();
      void load(id, current.watch.signal);
    },
  };
}
