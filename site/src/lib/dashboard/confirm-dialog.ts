import { must } from "./dom";
import { plainWords } from "./problems";

export interface Confirmation {
  title: string;
  body: string;
  confirmLabel: string;
  /** The work to do on confirm; a failure is shown inside the dialog, which stays open for another try. */
  action(): Promise<void>;
  /** Gets focus back when the dialog is cancelled (Cancel, Escape). */
  opener: HTMLElement;
  /** After the action succeeded and the dialog closed: the opener is usually gone, so focus is the caller's to place. */
  done(): void;
}

/**
 * A native modal `<dialog>` that asks before something that cannot be undone. `showModal` keeps
 * focus inside it and Escape cancels; it opens with focus on Cancel, the safe choice, so Enter
 * alone never destroys anything. Markup: a heading (`[data-heading]`), `[data-body]`, a form with
 * `[data-confirm]` (submit) and `[data-cancel]`, and `[data-dialog-error]`.
 */
export function createConfirmDialog(dialog: HTMLDialogElement) {
  const title = must<HTMLElement>(dialog, "[data-heading]");
  const body = must<HTMLElement>(dialog, "[data-body]");
  const form = must<HTMLFormElement>(dialog, "form");
  const confirm = must<HTMLButtonElement>(form, "[data-confirm]");
  const cancel = must<HTMLButtonElement>(form, "[data-cancel]");
  const error = must<HTMLElement>(dialog, "[data-dialog-error]");
  let current: (Confirmation & { succeeded: boolean }) | null = null;
  let busy = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current || busy) return;
    const asked = current;
    busy = true;
    confirm.setAttribute("aria-busy", "true");
    error.hidden = true;
    try {
      await asked.action();
      asked.succeeded = true;
      dialog.close();
    } catch (problem) {
      error.textContent = plainWords(problem);
      error.hidden = false;
      confirm.focus();
    } finally {
      busy = false;
      confirm.removeAttribute("aria-busy");
    }
  });
  cancel.addEventListener("click", () => dialog.close());
  // Escape while the action is on its way would leave its outcome unseen: wait for it instead.
  dialog.addEventListener("cancel", (event) => {
    if (busy) event.preventDefault();
  });
  dialog.addEventListener("close", () => {
    const asked = current;
    current = null;
    if (!asked) return;
    if (asked.succeeded) asked.done();
    else if (asked.opener.isConnected) asked.opener.focus();
  });

  return {
    ask(confirmation: Confirmation): void {
      current = { ...confirmation, succeeded: false };
      title.textContent = confirmation.title;
      body.textContent = confirmation.body;
      confirm.textContent = confirmation.confirmLabel;
      error.hidden = true;
      if (!dialog.open) dialog.showModal();
      cancel.focus();
    },
  };
}
