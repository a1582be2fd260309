import { devSignIn, fetchLeads, fetchMe, type Me } from "../api";
import { must } from "./dom";
import { leadRow, leadsCountLabel } from "./leads-table";
import { plainWords as describe } from "./problems";

const PAGE_SIZE = 20;

/** Where to go after signing in: `?next=` when it is a dashboard page, else here. */
export function afterSignIn(url: URL): string {
  const next = url.searchParams.get("next") ?? "";
  return /^\/dashboard(\/[a-z-]+)*$/.test(next) ? next : url.pathname;
}

/**
 * Drives /dashboard in the browser: asks the API who is signed in, then shows either the dev
 * sign-in form or the workspace with its leads. Focus follows each state change so the page
 * works from the keyboard alone.
 */
export function startDashboard(doc: Document): void {
  const loading = must<HTMLElement>(doc, "#dashboard-loading");
  const failure = must<HTMLElement>(doc, "#dashboard-error");
  const signIn = must<HTMLFormElement>(doc, "#sign-in");
  const workspace = must<HTMLElement>(doc, "#workspace");
  const leads = createLeadsView(doc, workspace);

  function show(visible: HTMLElement | null): void {
    for (const el of [loading, failure, signIn, workspace]) el.hidden = el !== visible;
  }

  async function load(): Promise<void> {
    show(loading);
    try {
      const me = await fetchMe();
      if (me) {
        showWorkspace(me);
        await leads.reset();
      } else {
        show(signIn);
        must<HTMLInputElement>(signIn, "#sign-in-email").focus();
      }
    } catch (error) {
      must<HTMLElement>(failure, "[data-message]").textContent = describe(error);
      show(failure);
      must<HTMLButtonElement>(failure, "[data-retry]").focus();
    }
  }

  function showWorkspace(me: Me): void {
    const heading = must<HTMLElement>(workspace, "#org-name");
    heading.textContent = me.org.name;
    must<HTMLElement>(workspace, "[data-user]").textContent = me.user?.name ?? me.user?.email ?? "an API key";
    must<HTMLElement>(workspace, "[data-role]").textContent = me.org.role;
    show(workspace);
    heading.focus();
  }

  signIn.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!signIn.reportValidity()) return;
    const data = new FormData(signIn);
    const button = must<HTMLButtonElement>(signIn, "button[type=submit]");
    const formError = must<HTMLElement>(signIn, "[data-form-error]");
    button.disabled = true;
    formError.hidden = true;
    try {
      await devSignIn(String(data.get("email") ?? ""), String(data.get("name") ?? ""));
      const win = doc.defaultView;
      if (win) win.location.assign(afterSignIn(new URL(win.location.href)));
    } catch (error) {
      formError.textContent = describe(error);
      formError.hidden = false;
      button.disabled = false;
      must<HTMLInputElement>(signIn, "#sign-in-email").focus();
    }
  });

  must<HTMLButtonElement>(failure, "[data-retry]").addEventListener("click", () => void load());
  void load();
}

/** The leads card: first page on reset, further pages on "Load more". */
function createLeadsView(doc: Document, root: HTMLElement) {
  const table = must<HTMLTableElement>(root, "#leads-table");
  const body = must<HTMLTableSectionElement>(table, "tbody");
  const count = must<HTMLElement>(root, "[data-leads-count]");
  const loading = must<HTMLElement>(root, "[data-leads-loading]");
  const failure = must<HTMLElement>(root, "[data-leads-error]");
  const empty = must<HTMLElement>(root, "[data-leads-empty]");
  const more = must<HTMLButtonElement>(root, "[data-leads-more]");
  const heading = must<HTMLElement>(root, "#leads-title");
  let cursor: string | null = null;
  let busy = false;

  async function fetchPage(): Promise<void> {
    // A flag rather than `disabled`: disabling the focused button would drop keyboard focus.
    if (busy) return;
    busy = true;
    loading.hidden = false;
    failure.hidden = true;
    more.setAttribute("aria-busy", "true");
    try {
      const page = await fetchLeads(PAGE_SIZE, cursor);
      for (const lead of page.items) body.append(leadRow(doc, lead));
      cursor = page.nextCursor;
      const shown = body.rows.length;
      count.textContent = `(${leadsCountLabel(shown, cursor !== null)})`;
      table.hidden = shown === 0;
      empty.hidden = shown > 0;
      if (cursor === null && doc.activeElement === more) heading.focus();
      more.hidden = cursor === null;
    } catch (error) {
      failure.textContent = `Leads did not load: ${describe(error)}`;
      failure.hidden = false;
    } finally {
      busy = false;
      loading.hidden = true;
      more.removeAttribute("aria-busy");
    }
  }

  more.addEventListener("click", () => void fetchPage());
  return {
    reset(): Promise<void> {
      body.replaceChildren();
      cursor = null;
      return fetchPage();
    },
  };
}
