import type { createConfirmDialog } from "./confirm-dialog";
import { must } from "./dom";
import { fieldMessage, plainWords } from "./problems";
import { sectionStates } from "./section-states";
import { DAILY_LIMIT, fetchTelegramAccounts, removeTelegramAccount, updateTelegramAccount, type TelegramAccount } from "./telegram-api";
import { accountRow, accountsCountLabel, type RowActions } from "./telegram-table";

type ConfirmDialog = ReturnType<typeof createConfirmDialog>;

/**
 * The accounts card: the table, and for owners and admins each row's daily limit, Disable/Enable
 * and Remove (asked in a dialog first). A changed account is re-rendered in place and focus stays
 * on the control that changed it; what happened is announced in the card's status line.
 */
export function createAccountsList(doc: Document, root: HTMLElement, confirm: ConfirmDialog, hooks: { login(account: TelegramAccount): void }) {
  const table = must<HTMLTableElement>(root, "table");
  const body = must<HTMLTableSectionElement>(table, "tbody");
  const count = must<HTMLElement>(root, "[data-count]");
  const heading = must<HTMLElement>(root, "[data-heading]");
  const saved = must<HTMLElement>(root, "[data-saved]");
  const actionError = must<HTMLElement>(root, "[data-action-error]");
  const states = sectionStates(root, () => void load());
  const busy = new Set<string>();
  let accounts: TelegramAccount[] = [];
  let canManage = false;

  const rowOf = (id: string) => body.querySelector<HTMLTableRowElement>(`tr[data-account-id="${CSS.escape(id)}"]`);

  function say(message: string): void {
    actionError.hidden = true;
    saved.textContent = message;
  }

  function fail(message: string): void {
    saved.textContent = "";
    actionError.textContent = message;
    actionError.hidden = false;
  }

  function render(): void {
    body.replaceChildren(...accounts.map((a) => accountRow(doc, a, canManage ? actions : null)));
    for (const th of table.querySelectorAll<HTMLElement>("[data-manage]")) th.hidden = !canManage;
    table.hidden = accounts.length === 0;
    count.textContent = accounts.length ? `(${accountsCountLabel(accounts.length)})` : "";
  }

  /** Swaps one account's row for a fresh one, keeping focus on the same control. */
  function replace(account: TelegramAccount): void {
    accounts = accounts.map((a) => (a.id === account.id ? account : a));
    const old = rowOf(account.id);
    if (!old) return render();
    const active = doc.activeElement;
    const focused = active instanceof HTMLElement && old.contains(active) ? active.dataset.control : undefined;
    const fresh = accountRow(doc, account, canManage ? actions : null);
    old.replaceWith(fresh);
    if (focused) fresh.querySelector<HTMLElement>(`[data-control="${CSS.escape(focused)}"]`)?.focus();
  }

  async function change(account: TelegramAccount, patch: { dailyLimit?: number; enabled?: boolean }): Promise<TelegramAccount | null> {
    if (busy.has(account.id)) return null;
    busy.add(account.id);
    rowOf(account.id)?.setAttribute("aria-busy", "true");
    try {
      return await updateTelegramAccount(account.id, patch);
    } finally {
      busy.delete(account.id);
      rowOf(account.id)?.removeAttribute("aria-busy");
    }
  }

  const actions: RowActions = {
    async saveLimit(account, input, error) {
      const limit = Number(input.value);
      const problem = (message: string) => {
        error.textContent = message;
        error.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.focus();
      };
      if (!Number.isInteger(limit) || limit < DAILY_LIMIT.min || limit > DAILY_LIMIT.max) {
        return problem(`Enter a whole number from ${DAILY_LIMIT.min} to ${DAILY_LIMIT.max}.`);
      }
      try {
        const updated = await change(account, { dailyLimit: limit });
        if (!updated) return;
        replace(updated);
        say(`Daily limit for ${updated.phone} set to ${updated.dailyLimit} a day.`);
      } catch (failure) {
        problem(fieldMessage(failure, "body.dailyLimit") ?? `The limit was not saved. ${plainWords(failure)}`);
      }
    },

    async toggle(account) {
      const enable = account.status === "disabled";
      try {
        const updated = await change(account, { enabled: enable });
        if (!updated) return;
        replace(updated);
        say(enable ? `Enabled ${updated.phone}: it warms up again, ${updated.allowanceToday} DMs today.` : `Disabled ${updated.phone}: it sends nothing until you enable it.`);
      } catch (failure) {
        fail(`${account.phone} was not ${enable ? "enabled" : "disabled"}. ${plainWords(failure)}`);
      }
    },

    login: (account) => hooks.login(account),

    remove(account, opener) {
      confirm.ask({
        title: `Remove ${account.phone}?`,
        body: "Campaigns stop sending from it and Noir forgets its login. To use it again you add it and log in anew.",
        confirmLabel: "Remove account",
        opener,
        action: async () => {
          await removeTelegramAccount(account.id);
          accounts = accounts.filter((a) => a.id !== account.id);
          render();
          states.settled(accounts.length === 0);
        },
        done: () => {
          say(`Removed ${account.phone}.`);
          // Its row, and the button that opened the dialog, are gone: the card's heading takes focus.
          heading.focus();
        },
      });
    },
  };

  async function load(focusId?: string): Promise<void> {
    states.loading();
    try {
      accounts = await fetchTelegramAccounts();
      render();
      states.settled(accounts.length === 0);
      if (focusId) rowOf(focusId)?.querySelector<HTMLElement>("[data-phone]")?.focus();
    } catch (error) {
      states.failed(error, "Telegram accounts");
    }
  }

  return {
    load,
    /** Members see the table; owners and admins also get its controls. */
    setCanManage(value: boolean): void {
      canManage = value;
      render();
    },
    say,
  };
}
