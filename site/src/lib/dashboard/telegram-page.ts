import { createConfirmDialog } from "./confirm-dialog";
import { must } from "./dom";
import { startSignedInPage } from "./session-gate";
import { createAccountsList } from "./telegram-accounts-view";
import { createTelegramLogin } from "./telegram-login";

/**
 * /dashboard/telegram: the org's Telegram sending accounts with their health and today's sends,
 * and for owners and admins adding one (code and 2FA login), its daily limit, disable and remove.
 */
export function startTelegramPage(doc: Document): void {
  const addCard = must<HTMLElement>(doc, "#add-account");
  const membersNote = must<HTMLElement>(doc, "#members-note");
  const confirm = createConfirmDialog(must<HTMLDialogElement>(doc, "#remove-account"));
  const list = createAccountsList(doc, must<HTMLElement>(doc, "#accounts"), confirm, { login: (account) => login.resume(account) });
  const login = createTelegramLogin(doc, addCard, {
    added: (account) => void list.load(account.id),
    cancelled: () => void list.load(),
  });

  startSignedInPage(doc, must<HTMLElement>(doc, "#telegram-workspace"), (me) => {
    const canManage = me.org.role === "owner" || me.org.role === "admin";
    addCard.hidden = !canManage;
    membersNote.hidden = canManage;
    list.setCanManage(canManage);
    void list.load();
  });
}
