import { fetchCalls, phaseOf, type Call } from "./calls-api";
import { callRow, callsCountLabel } from "./calls-table";
import { must } from "./dom";
import type { LeadNames } from "./lead-names";
import { sectionStates } from "./section-states";

const PAGE_SIZE = 20;
/** While a listed call is ringing or live, the newest page is fetched again this often. */
const LIVE_REFRESH_MS = 5000;

/**
 * The calls card: newest first, a page at a time ("Load more"), each row's callee a link that
 * opens the call's detail. Rows are updated in place (`upsert`), so a refresh never blinks the
 * table empty or takes focus away from a row link.
 */
export function createCallsList(doc: Document, root: HTMLElement, names: LeadNames, open: (id: string) => void) {
  const table = must<HTMLTableElement>(root, "table");
  const body = must<HTMLTableSectionElement>(table, "tbody");
  const count = must<HTMLElement>(root, "[data-calls-count]");
  const more = must<HTMLButtonElement>(root, "[data-calls-more]");
  const heading = must<HTMLElement>(root, "[data-heading]");
  const win = doc.defaultView;
  let cursor: string | null = null;
  let busy = false;
  let refreshTimer: number | undefined;
  const live = new Set<string>();
  let failed: "first" | "next" = "first";
  const states = sectionStates(root, () => void load(failed));

  /** Replaces the rows of calls already listed; new ones go on top (newest first) or, for an older page, at the end. */
  function upsert(calls: Call[], where: "top" | "end" | "listed-only" = "top"): void {
    const fresh: HTMLTableRowElement[] = [];
    for (const call of calls) {
      const row = callRow(doc, call, names.get(call.leadId));
      const old = body.querySelector<HTMLTableRowElement>(`tr[data-call-id="${CSS.escape(call.id)}"]`);
      if (old) {
        const hadFocus = old.contains(doc.activeElement);
        old.replaceWith(row);
        if (hadFocus) row.querySelector<HTMLElement>("a")?.focus();
      } else if (where === "listed-only") continue;
      else fresh.push(row);
      if (phaseOf(call) === "ended") live.delete(call.id);
      else live.add(call.id);
    }
    if (where !== "end") body.prepend(...fresh);
    else body.append(...fresh);
    scheduleRefresh();
  }

  function scheduleRefresh(): void {
    win?.clearTimeout(refreshTimer);
    if (live.size === 0 || !win) return;
    refreshTimer = win.setTimeout(() => void refresh(), LIVE_REFRESH_MS);
  }

  async function refresh(): Promise<void> {
    try {
      const page = await fetchCalls(PAGE_SIZE, null);
      await names.resolve(page.items.map((c) => c.leadId));
      upsert(page.items);
      showCount();
    } catch {
      // A missed refresh is not worth an alert: the next one, or a reload, catches up.
      scheduleRefresh();
    }
  }

  function showCount(): void {
    const shown = body.rows.length;
    count.textContent = shown ? `(${callsCountLabel(shown, cursor !== null)})` : "";
    table.hidden = shown === 0;
  }

  async function load(which: "first" | "next"): Promise<void> {
    // A flag rather than `disabled`: disabling the focused button would drop keyboard focus.
    if (busy) return;
    busy = true;
    states.loading();
    more.setAttribute("aria-busy", "true");
    // The first page sets the paging only when nothing is shown yet; a later reload of it just
    // merges in what is new, and keeps "Load more" where it was.
    const initial = body.rows.length === 0;
    try {
      const page = await fetchCalls(PAGE_SIZE, which === "first" ? null : cursor);
      await names.resolve(page.items.map((c) => c.leadId));
      upsert(page.items, which === "first" ? "top" : "end");
      if (which === "next" || initial) cursor = page.nextCursor;
      showCount();
      if (cursor === null && doc.activeElement === more) heading.focus();
      more.hidden = cursor === null;
      states.settled(body.rows.length === 0);
    } catch (error) {
      failed = which;
      states.failed(error, which === "first" ? "Calls" : "More calls");
    } finally {
      busy = false;
      more.removeAttribute("aria-busy");
    }
  }

  more.addEventListener("click", () => void load("next"));
  body.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[data-open-call]") : null;
    // Let the browser handle new-tab and new-window clicks on the link.
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    open(link.dataset.openCall ?? "");
  });

  return {
    /** The newest page again (after a test call), merged into what is shown. */
    reload: () => load("first"),
    /** One call's fresh state (from its detail or the test-call panel). */
    update: (call: Call) => upsert([call], "listed-only"),
    /** The row link of this call, to give focus back to when its detail closes. */
    linkFor: (id: string) => body.querySelector<HTMLAnchorElement>(`a[data-open-call="${CSS.escape(id)}"]`),
  };
}
