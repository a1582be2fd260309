import { ApiError } from "../api";
import { must } from "./dom";
import { plainWords } from "./problems";
import { LANGUAGES, PERSONALITIES, saveVoiceConfig, SPEED, type Voice, type VoiceConfig, type VoiceConfigInput } from "./voice-api";
import { speedLabel, voiceOptions } from "./voice-configs-view";

const FIELDS = ["name", "voiceId", "language", "personality", "speed"] as const;

/**
 * The create/edit form for voice configs: name, voice (from the account's voices), language,
 * personality and speed. `saved` hears each saved config so the list can reload and take focus.
 */
export function createVoiceConfigForm(doc: Document, form: HTMLFormElement, saved: (config: VoiceConfig, created: boolean) => void) {
  const title = must<HTMLElement>(form, "[data-form-title]");
  const name = must<HTMLInputElement>(form, "[name=name]");
  const voice = must<HTMLSelectElement>(form, "[name=voiceId]");
  const language = must<HTMLSelectElement>(form, "[name=language]");
  const personality = must<HTMLSelectElement>(form, "[name=personality]");
  const speed = must<HTMLInputElement>(form, "[name=speed]");
  const speedOut = must<HTMLOutputElement>(form, "output");
  const formError = must<HTMLElement>(form, "[data-form-error]");
  const submit = must<HTMLButtonElement>(form, "button[type=submit]");
  const cancel = must<HTMLButtonElement>(form, "[data-cancel]");
  let voices: Voice[] = [];
  let editing: VoiceConfig | null = null;

  const inputs: Record<(typeof FIELDS)[number], HTMLInputElement | HTMLSelectElement> = { name, voiceId: voice, language, personality, speed };

  function showSpeed(): void {
    speedOut.value = speedLabel(Number(speed.value));
  }

  function fill(config: VoiceConfig | null): void {
    editing = config;
    title.textContent = config ? `Edit “${config.name}”` : "New voice config";
    submit.textContent = config ? "Save changes" : "Create voice config";
    cancel.hidden = !config;
    name.value = config?.name ?? "";
    voice.replaceChildren(...voiceOptions(doc, voices, config?.voiceId ?? null));
    language.value = config?.language ?? "en";
    personality.value = config?.personality ?? "professional";
    speed.value = String(config?.speed ?? 1);
    showSpeed();
    clearProblems();
  }

  function clearProblems(): void {
    formError.hidden = true;
    for (const input of Object.values(inputs)) input.removeAttribute("aria-invalid");
  }

  function readInput(): VoiceConfigInput | null {
    const lang = LANGUAGES.find((l) => l === language.value);
    const manner = PERSONALITIES.find((p) => p === personality.value);
    const pace = Number(speed.value);
    if (!name.value.trim()) return problem(name, "Give the agent a name to introduce itself with, e.g. “Olena”.");
    if (!voice.value) return problem(voice, "Choose a voice.");
    if (!lang || !manner || !(pace >= SPEED.min && pace <= SPEED.max)) return problem(speed, "Choose a language, a personality and a speed.");
    return { name: name.value.trim(), voiceId: voice.value, language: lang, personality: manner, speed: pace };
  }

  function problem(input: HTMLInputElement | HTMLSelectElement, message: string): null {
    input.setAttribute("aria-invalid", "true");
    formError.textContent = message;
    formError.hidden = false;
    input.focus();
    return null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.getAttribute("aria-busy")) return;
    clearProblems();
    const input = readInput();
    if (!input) return;
    submit.setAttribute("aria-busy", "true");
    try {
      const result = await saveVoiceConfig(editing?.id ?? null, input);
      const created = editing === null;
      fill(null);
      saved(result, created);
    } catch (error) {
      // A 422 names the field at fault ("body.speed"): mark it and put focus there.
      const field = error instanceof ApiError ? FIELDS.find((f) => error.errors.some((e) => e.field === `body.${f}`)) : undefined;
      formError.textContent = `The voice config was not saved. ${plainWords(error)}`;
      formError.hidden = false;
      if (field) {
        inputs[field].setAttribute("aria-invalid", "true");
        inputs[field].focus();
      }
    } finally {
      submit.removeAttribute("aria-busy");
    }
  });
  speed.addEventListener("input", showSpeed);
  cancel.addEventListener("click", () => {
    const was = editing;
    fill(null);
    if (was) doc.querySelector<HTMLElement>(`[data-edit="${CSS.escape(was.id)}"]`)?.focus();
  });

  fill(null);
  return {
    edit(config: VoiceConfig): void {
      fill(config);
      name.focus();
    },
    setVoices(list: Voice[]): void {
      voices = list;
      const keep = voice.value || editing?.voiceId || null;
      voice.replaceChildren(...voiceOptions(doc, voices, keep));
    },
  };
}
