import { el } from "./dom";
import { whenLabel } from "./format";
import { DAILY_LIMIT, type TelegramAccount } from "./telegram-api";
import { accountIdentity, accountStatusLabel, allowanceNote, sendsLabel, sinceLabel } from "./telegram-format";
import { usageBar } from "./usage-chart";

/** What an owner or admin can do from a row; members get rows without any of it. */
export interface RowActions {
  saveLimit(account: TelegramAccount, input: HTMLInputElement, error: HTMLElement): void;
  toggle(account: TelegramAccount): void;
  /** Start the login again for an account that never finished it. */
  login(account: TelegramAccount): void;
  remove(account: TelegramAccount, opener: HTMLButtonElement): void;
}

/**
 * One row per account. Text only (`textContent`), so account data can never inject markup. The
 * phone cell can take focus (tabindex -1) so a newly added account can be pointed at, and each
 * control carries `data-control` so a row re-rendered in place gives focus back to the same one.
 */
export function accountRow(doc: Document, account: TelegramAccount, actions: RowActions | null): HTMLTableRowElement {
  const row = el(doc, "tr", { "data-account-id": account.id, "data-status": account.status, className: account.status === "banned" ? "banned" : undefined });
  row.append(
    el(doc, "th", { scope: "row", tabindex: "-1", "data-phone": "" }, account.phone, el(doc, "span", { className: "identity", "data-identity": "" }, accountIdentity(account))),
    el(
      doc,
      "td",
      {},
      el(doc, "span", { className: `tg-status tg-status-${account.status}`, "data-badge": "" }, accountStatusLabel(account)),
      // Why it stopped or slowed down, right under the status it explains.
      account.lastError ? el(doc, "span", { className: "last-error", "data-last-error": "" }, account.lastError) : null,
    ),
    sendsCell(doc, account),
    el(doc, "td", { className: "num" }, actions ? limitForm(doc, account, actions) : String(account.dailyLimit)),
    el(doc, "td", {}, account.lastSentAt ? el(doc, "time", { datetime: account.lastSentAt, title: whenLabel(account.lastSentAt) }, sinceLabel(account.lastSentAt)) : "Never"),
  );
  if (actions) row.append(el(doc, "td", { className: "row-actions" }, ...rowButtons(doc, account, actions)));
  return row;
}

/** The bar is decoration (hidden from assistive tech); the numbers beside it say the same. */
function sendsCell(doc: Document, account: TelegramAccount): HTMLTableCellElement {
  const note = allowanceNote(account);
  return el(
    doc,
    "td",
    { "data-sends": "" },
    el(
      doc,
      "div",
      { className: "sends" },
      usageBar(doc, { used: account.sentToday, limit: account.allowanceToday }, 96, 8),
      el(doc, "span", { "data-sends-text": "" }, sendsLabel(account)),
    ),
    note ? el(doc, "span", { className: "hint" }, note) : null,
  );
}

function limitForm(doc: Document, account: TelegramAccount, actions: RowActions): HTMLFormElement {
  const id = `limit-${account.id}`;
  const input = el(doc, "input", {
    id,
    name: "dailyLimit",
    type: "number",
    inputmode: "numeric",
    min: String(DAILY_LIMIT.min),
    max: String(DAILY_LIMIT.max),
    step: "1",
    value: String(account.dailyLimit),
    required: "",
    "aria-describedby": `${id}-error`,
    "data-control": "limit",
  });
  const error = el(doc, "p", { id: `${id}-error`, className: "field-error", hidden: "" });
  const form = el(
    doc,
    "form",
    { className: "limit-form", novalidate: "" },
    el(doc, "label", { for: id, className: "visually-hidden" }, `Daily limit for ${account.phone}`),
    input,
    el(doc, "button", { type: "submit", className: "button ghost small", "aria-label": `Save the daily limit for ${account.phone}`, "data-control": "save" }, "Save"),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.saveLimit(account, input, error);
  });
  return form;
}

function rowButtons(doc: Document, account: TelegramAccount, actions: RowActions): HTMLButtonElement[] {
  const buttons: HTMLButtonElement[] = [];
  if (account.status === "login_pending") {
    // Nothing to disable before it has logged in: the way forward is a new code.
    const login = el(doc, "button", { type: "button", className: "button ghost small", "aria-label": `Finish the login of ${account.phone}`, "data-control": "login" }, "Finish login");
    login.addEventListener("click", () => actions.login(account));
    buttons.push(login);
  } else if (account.status !== "banned") {
    // (A banned account stays banned whatever it is set to; only removing it means anything.)
    const enable = account.status === "disabled";
    const toggle = el(
      doc,
      "button",
      { type: "button", className: "button ghost small", "aria-label": `${enable ? "Enable" : "Disable"} ${account.phone}`, "data-control": "toggle" },
      enable ? "Enable" : "Disable",
    );
    toggle.addEventListener("click", () => actions.toggle(account));
    buttons.push(toggle);
  }
  const remove = el(doc, "button", { type: "button", className: "button ghost small danger", "aria-label": `Remove ${account.phone}`, "aria-haspopup": "dialog", "data-control": "remove" }, "Remove");
  remove.addEventListener("click", () => actions.remove(account, remove));
  buttons.push(remove);
  return buttons;
}

/** "3 accounts". */
export const accountsCountLabel = (n: number) => `${n} ${n === 1 ? "account" : "accounts"}`;
