import { fetchLeads, type Lead } from "../api";
import { placeTestCall, type Call, type TestCallInput } from "./calls-api";
import { must, option } from "./dom";
import { leadName, type LeadNames } from "./lead-names";
import { fieldMessage, isMissing, plainWords } from "./problems";
import { sectionStates } from "./section-states";
import { fetchPhoneNumbers, fetchScripts } from "./setup-api";
import { createTestCallProgress } from "./test-call-progress";
import { fetchVoiceConfigs } from "./voice-api";

const NO_NUMBER = "Your organization has no active phone number to call from. Add one under Voice setup, then try again.";
const NO_VOICE = "Your organization has no voice config yet. Create one under Voice setup, then try again.";

/**
 * The test-call card: call a number (your own phone, to hear the agent) or one of your leads,
 * with a chosen script, voice config and caller number, then follow the call live below the form.
 */
export function createTestCall(doc: Document, root: HTMLElement, names: LeadNames, hooks: { open(id: string): void; started(id: string): void; ended(call: Call, final: boolean): void }) {
  const form = must<HTMLFormElement>(root, "form");
  const to = must<HTMLInputElement>(form, "[name=to]");
  const toError = must<HTMLElement>(form, "#test-call-to-error");
  const leadSearch = must<HTMLInputElement>(form, "#test-call-lead-search");
  const lead = must<HTMLSelectElement>(form, "[name=leadId]");
  const leadError = must<HTMLElement>(form, "#test-call-lead-error");
  const script = must<HTMLSelectElement>(form, "[name=scriptId]");
  const voice = must<HTMLSelectElement>(form, "[name=voiceConfigId]");
  const from = must<HTMLSelectElement>(form, "[name=phoneNumberId]");
  const setupHints = must<HTMLElement>(form, "[data-setup-hints]");
  const formError = must<HTMLElement>(form, "[data-form-error]");
  const submit = must<HTMLButtonElement>(form, "button[type=submit]");
  const progress = createTestCallProgress(doc, must<HTMLElement>(root, "[data-progress]"), hooks);
  const states = sectionStates(root, () => void loadOptions());
  let leadsLoaded = false;
  let searchTimer: number | undefined;

  const target = () => (new FormData(form).get("target") === "lead" ? "lead" : "number");

  async function loadOptions(): Promise<void> {
    states.loading();
    form.hidden = true;
    try {
      const [scripts, voices, numbers] = await Promise.all([fetchScripts(), fetchVoiceConfigs(), fetchPhoneNumbers()]);
      script.replaceChildren(option(doc, "", "Noir's default script"), ...scripts.items.map((s) => option(doc, s.id, s.name)));
      voice.replaceChildren(...voices.items.map((v, i) => option(doc, v.id, v.name, i === 0)));
      const active = numbers.items.filter((n) => n.status === "active");
      from.replaceChildren(...active.map((n, i) => option(doc, n.id, n.label ? `${n.label} (${n.number})` : n.number, i === 0)));
      showSetupHints(active.length === 0, voices.items.length === 0);
      form.hidden = false;
      states.settled(false);
    } catch (error) {
      states.failed(error, "The test-call options");
    }
  }

  /** What is missing before a call can go out, said up front rather than after a refused call. */
  function showSetupHints(noNumber: boolean, noVoice: boolean): void {
    for (const [select, missing, text] of [[from, noNumber, "No phone number yet"], [voice, noVoice, "No voice config yet"]] as const) {
      select.disabled = missing;
      if (missing) select.replaceChildren(option(doc, "", text));
    }
    must<HTMLElement>(setupHints, "[data-hint=number]").hidden = !noNumber;
    must<HTMLElement>(setupHints, "[data-hint=voice]").hidden = !noVoice;
    setupHints.hidden = !noNumber && !noVoice;
  }

  async function loadLeads(search: string): Promise<void> {
    leadError.hidden = true;
    lead.setAttribute("aria-busy", "true");
    try {
      const page = await fetchLeads(50, null, search || undefined);
      names.remember(page.items);
      const callable = page.items.filter((l): l is Lead & { phone: string } => l.phone !== null);
      lead.replaceChildren(
        ...(callable.length
          ? callable.map((l, i) => option(doc, l.id, `${leadName(l)} — ${l.phone}`, i === 0))
          : [option(doc, "", search ? "No lead with a phone number matches" : "No leads with a phone number yet")]),
      );
      lead.disabled = callable.length === 0;
      leadsLoaded = true;
    } catch (error) {
      leadError.textContent = `Leads did not load. ${plainWords(error)}`;
      leadError.hidden = false;
    } finally {
      lead.removeAttribute("aria-busy");
    }
  }

  function showTarget(): void {
    const which = target();
    for (const group of form.querySelectorAll<HTMLElement>("[data-target]")) group.hidden = group.dataset.target !== which;
    if (which === "lead" && !leadsLoaded) void loadLeads("");
  }

  function fieldProblem(input: HTMLInputElement | HTMLSelectElement, box: HTMLElement, message: string | undefined): void {
    box.textContent = message ?? "";
    box.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function clearProblems(): void {
    formError.hidden = true;
    fieldProblem(to, toError, undefined);
    fieldProblem(lead, leadError, undefined);
  }

  async function place(): Promise<void> {
    clearProblems();
    const input: TestCallInput = {};
    const which = target();
    if (which === "number") {
      if (!to.value.trim()) {
        fieldProblem(to, toError, "Enter the phone number to call.");
        to.focus();
        return;
      }
      input.to = to.value.trim();
    } else {
      if (!lead.value) {
        fieldProblem(lead, leadError, "Choose a lead with a phone number.");
        lead.focus();
        return;
      }
      input.leadId = lead.value;
    }
    if (script.value) input.scriptId = script.value;
    if (voice.value) input.voiceConfigId = voice.value;
    if (from.value) input.phoneNumberId = from.value;

    const callee = which === "number" ? to.value.trim() : (lead.selectedOptions[0]?.textContent ?? "your lead");
    submit.disabled = true;
    submit.textContent = "Placing the call…";
    let placed: { id: string };
    try {
      placed = await placeTestCall(input);
    } catch (error) {
      showRefusal(error, which);
      return;
    }
    // One test call at a time from this form: the button comes back when the call has ended.
    submit.textContent = "Call in progress…";
    hooks.started(placed.id);
    await progress.follow(placed.id, callee);
    submit.disabled = false;
    submit.textContent = "Place test call";
  }

  /** A refused call in plain words; focus goes to the field at fault, or back to the button. */
  function showRefusal(error: unknown, which: "number" | "lead"): void {
    submit.disabled = false;
    submit.textContent = "Place test call";
    const [input, box] = which === "number" ? [to, toError] : [lead, leadError];
    const field = fieldMessage(error, which === "number" ? "body.to" : "body.leadId");
    if (field) fieldProblem(input, box, field);
    formError.textContent = isMissing(error, "Phone number") ? NO_NUMBER : isMissing(error, "Voice config") ? NO_VOICE : plainWords(error);
    formError.hidden = false;
    (field ? input : submit).focus();
  }

  form.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === "target") showTarget();
  });
  leadSearch.addEventListener("input", () => {
    doc.defaultView?.clearTimeout(searchTimer);
    // Ask the API once typing pauses, not on every key.
    searchTimer = doc.defaultView?.setTimeout(() => void loadLeads(leadSearch.value.trim()), 300);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!submit.disabled) void place();
  });

  return { start: loadOptions };
}
