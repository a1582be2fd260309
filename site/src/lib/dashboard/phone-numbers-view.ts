import { el, must } from "./dom";
import { statusLabel } from "./format";
import { plainWords } from "./problems";
import { sectionStates } from "./section-states";
import { addPhoneNumber, fetchAccountNumbers, fetchPhoneNumbers, type AccountNumber } from "./setup-api";

/**
 * The phone numbers card: the numbers this org calls from, and the Twilio account's numbers with
 * "Add to this organization" for the free ones. (Buying new numbers is left to the API for now.)
 */
export function createPhoneNumbersView(doc: Document, root: HTMLElement) {
  const mine = must<HTMLElement>(root, "#org-numbers");
  const mineTable = must<HTMLTableElement>(mine, "table");
  const account = must<HTMLElement>(root, "#account-numbers");
  const accountList = must<HTMLUListElement>(account, "ul");
  const added = must<HTMLElement>(root, "[data-added]");
  const addError = must<HTMLElement>(account, "[data-add-error]");
  const mineStates = sectionStates(mine, () => void loadMine());
  const accountStates = sectionStates(account, () => void loadAccount());

  async function loadMine(): Promise<void> {
    mineStates.loading();
    try {
      const numbers = (await fetchPhoneNumbers()).items;
      must<HTMLTableSectionElement>(mineTable, "tbody").replaceChildren(
        ...numbers.map((n) => el(doc, "tr", {}, el(doc, "th", { scope: "row" }, n.number), el(doc, "td", {}, n.label ?? "—"), el(doc, "td", {}, statusLabel(n.status)))),
      );
      mineTable.hidden = numbers.length === 0;
      mineStates.settled(numbers.length === 0);
    } catch (error) {
      mineStates.failed(error, "Your numbers");
    }
  }

  async function loadAccount(): Promise<void> {
    accountStates.loading();
    try {
      const numbers = await fetchAccountNumbers();
      accountList.replaceChildren(...numbers.map(accountItem));
      accountStates.settled(numbers.length === 0);
    } catch (error) {
      accountStates.failed(error, "The Twilio account's numbers");
    }
  }

  function accountItem(n: AccountNumber): HTMLLIElement {
    const label = el(doc, "span", {}, n.number, n.friendlyName && n.friendlyName !== n.number ? el(doc, "span", { className: "muted" }, ` · ${n.friendlyName}`) : null);
    if (n.assigned !== "free") {
      return el(doc, "li", {}, label, el(doc, "span", { className: "muted" }, n.assigned === "this_org" ? "In use here" : "Used by another organization"));
    }
    const add = el(doc, "button", { type: "button", className: "button ghost small", "data-add": n.number, "aria-label": `Add ${n.number} to this organization` }, "Add to this organization");
    add.addEventListener("click", () => void addNumber(n.number, add));
    return el(doc, "li", {}, label, add);
  }

  async function addNumber(number: string, button: HTMLButtonElement): Promise<void> {
    if (button.getAttribute("aria-busy")) return;
    button.setAttribute("aria-busy", "true");
    addError.hidden = true;
    try {
      await addPhoneNumber(number, null);
      added.textContent = `Added ${number}: test calls and campaigns can call from it now.`;
      await Promise.all([loadMine(), loadAccount()]);
      // The pressed button is gone (the number now reads "In use here"): focus its new home.
      must<HTMLElement>(mine, "[data-heading]").focus();
    } catch (error) {
      addError.textContent = `${number} was not added. ${plainWords(error)}`;
      addError.hidden = false;
      button.removeAttribute("aria-busy");
    }
  }

  return {
    load: () => Promise.all([loadMine(), loadAccount()]),
  };
}
