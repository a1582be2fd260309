import { must } from "./dom";
import { fieldMessage, plainWords } from "./problems";
import { removeTelegramAccount, startTelegramLogin, verifyTelegramLogin, type LoginStep, type TelegramAccount } from "./telegram-api";
import { accountIdentity } from "./telegram-format";

type Step = "phone" | "code" | "password";

/** What each answer of the verify step means for the person typing. */
const RETRY: Record<string, string> = {
  code_invalid: "That code is not right. Check the newest message from Telegram and type the code again.",
  code_expired: "That code has expired. Send a new code and type that one.",
  password_invalid: "That password is not right. Type it again.",
};

/**
 * "Add an account" (owners and admins): phone → the login code Telegram sends to the account's
 * app → the two-step verification password when the account has one. One form per step, one
 * visible at a time; focus moves to the field of the step that appears, and a wrong code or
 * password keeps the step open with the field selected for another try. Cancel abandons the login
 * (an account that never logged in is removed again) and goes back to the phone.
 */
export function createTelegramLogin(doc: Document, root: HTMLElement, hooks: { added(account: TelegramAccount): void; cancelled(): void }) {
  const forms: Record<Step, HTMLFormElement> = {
    phone: must(root, "form[data-step=phone]"),
    code: must(root, "form[data-step=code]"),
    password: must(root, "form[data-step=password]"),
  };
  const phone = must<HTMLInputElement>(forms.phone, "[name=phone]");
  const phoneError = must<HTMLElement>(forms.phone, "[data-field-error]");
  const formError = must<HTMLElement>(forms.phone, "[data-form-error]");
  const code = must<HTMLInputElement>(forms.code, "[name=code]");
  const codeNote = must<HTMLElement>(forms.code, "[data-code-note]");
  const codeError = must<HTMLElement>(forms.code, "[data-field-error]");
  const resend = must<HTMLButtonElement>(forms.code, "[data-resend]");
  const password = must<HTMLInputElement>(forms.password, "[name=password]");
  const passwordHint = must<HTMLElement>(forms.password, "[data-hint]");
  const passwordError = must<HTMLElement>(forms.password, "[data-field-error]");
  const status = must<HTMLElement>(root, "[data-login-status]");
  /** The login under way: the account it is for, and whether this form created it (so Cancel removes it). */
  let pending: { account: TelegramAccount; created: boolean } | null = null;
  let busy = false;

  function show(step: Step): void {
    for (const [name, form] of Object.entries(forms)) form.hidden = name !== step;
  }

  function problem(input: HTMLInputElement, box: HTMLElement, message: string | null): void {
    box.textContent = message ?? "";
    box.hidden = message === null;
    if (message === null) return input.removeAttribute("aria-invalid");
    input.setAttribute("aria-invalid", "true");
    input.focus();
    input.select();
  }

  function clearAll(): void {
    formError.hidden = true;
    problem(phone, phoneError, null);
    problem(code, codeError, null);
    problem(password, passwordError, null);
    resend.hidden = true;
  }

  /** Runs one request at a time; the pressed button says it is busy rather than going disabled (which would drop focus). */
  async function once(button: HTMLButtonElement | null, work: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    button?.setAttribute("aria-busy", "true");
    try {
      await work();
    } finally {
      busy = false;
      button?.removeAttribute("aria-busy");
    }
  }

  /** Asks Telegram for a code; true when it is on its way and the code step is showing. */
  async function sendCode(number: string, resuming: boolean): Promise<boolean> {
    let step: LoginStep;
    try {
      step = await startTelegramLogin(number);
    } catch (error) {
      if (pending) {
        // A new code asked for from the code step: say why it failed there.
        problem(code, codeError, plainWords(error));
        return false;
      }
      show("phone");
      const field = fieldMessage(error, "body.phone");
      if (field) {
        problem(phone, phoneError, sentence(field));
        return false;
      }
      formError.textContent = `No code was sent. ${plainWords(error)}`;
      formError.hidden = false;
      phone.focus();
      return false;
    }
    pending = { account: step.account, created: pending?.created ?? (!resuming && step.account.status === "login_pending") };
    clearAll();
    code.value = "";
    codeNote.textContent = `Telegram sent a login code to the Telegram app of ${step.account.phone} (a message from “Telegram”, not an SMS).`;
    show("code");
    code.focus();
    return true;
  }

  async function verify(answer: { code: string } | { password: string }): Promise<void> {
    if (!pending) return;
    const [input, box] = "code" in answer ? [code, codeError] : [password, passwordError];
    let step: LoginStep;
    try {
      step = await verifyTelegramLogin(pending.account.id, answer);
    } catch (error) {
      // 409: no login is waiting any more (codes live 10 minutes): a new code is the way on.
      problem(input, box, plainWords(error));
      if ("code" in answer) resend.hidden = false;
      return;
    }
    pending.account = step.account;
    switch (step.status) {
      case "signed_in":
        return finish(step.account);
      case "password_needed":
        clearAll();
        password.value = "";
        passwordHint.textContent = step.hint ? `Hint: ${step.hint}` : "The account has no password hint.";
        show("password");
        password.focus();
        return;
      case "code_expired":
        problem(input, box, RETRY.code_expired ?? null);
        resend.hidden = false;
        resend.focus();
        return;
      default:
        problem(input, box, RETRY[step.status] ?? `Telegram answered “${step.status}”. Try again.`);
    }
  }

  function finish(account: TelegramAccount): void {
    pending = null;
    clearAll();
    for (const input of [phone, code, password]) input.value = "";
    show("phone");
    const who = accountIdentity(account);
    status.textContent = `Added ${account.phone}${who === "—" ? "" : ` (${who})`}. It warms up: ${account.allowanceToday} DMs today, more each day.`;
    hooks.added(account);
  }

  async function cancel(): Promise<void> {
    const was = pending;
    pending = null;
    clearAll();
    for (const input of [code, password]) input.value = "";
    show("phone");
    phone.focus();
    status.textContent = was && !was.created ? `Login cancelled: ${was.account.phone} still waits for its login.` : "Login cancelled: no account was added.";
    if (was?.created) await removeTelegramAccount(was.account.id).catch(() => undefined);
    hooks.cancelled();
  }

  forms.phone.addEventListener("submit", (event) => {
    event.preventDefault();
    void once(must(forms.phone, "button[type=submit]"), async () => {
      clearAll();
      status.textContent = "";
      if (!phone.value.trim()) return problem(phone, phoneError, "Enter the phone number of the Telegram account.");
      await sendCode(phone.value.trim(), false);
    });
  });
  forms.code.addEventListener("submit", (event) => {
    event.preventDefault();
    void once(must(forms.code, "button[type=submit]"), async () => {
      const value = code.value.replace(/\s+/g, "");
      if (!/^\d{4,8}$/.test(value)) return problem(code, codeError, "Type the code from Telegram: 4 to 8 digits.");
      await verify({ code: value });
    });
  });
  forms.password.addEventListener("submit", (event) => {
    event.preventDefault();
    void once(must(forms.password, "button[type=submit]"), async () => {
      if (!password.value) return problem(password, passwordError, "Type the account's two-step verification password.");
      await verify({ password: password.value });
    });
  });
  resend.addEventListener("click", () => {
    void once(resend, async () => {
      if (!pending) return;
      if (await sendCode(pending.account.phone, true)) status.textContent = "A new code is on its way.";
    });
  });
  for (const button of root.querySelectorAll<HTMLButtonElement>("[data-cancel]")) button.addEventListener("click", () => void once(null, cancel));

  return {
    /** "Finish login" on an account that never logged in: a new code for its phone. */
    resume(account: TelegramAccount): void {
      void once(null, async () => {
        pending = null;
        clearAll();
        phone.value = account.phone;
        status.textContent = "";
        await sendCode(account.phone, true);
      });
    },
  };
}

/** An API field message ("not a Telegram account's number") as a sentence. */
const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? "" : "."}`;
