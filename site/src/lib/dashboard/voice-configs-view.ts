import { el, must, option } from "./dom";
import { sectionStates } from "./section-states";
import { LANGUAGE_LABELS, PERSONALITY_LABELS, type Voice, type VoiceConfig } from "./voice-api";
import { fetchVoiceConfigs } from "./voice-api";

/** How a config's speed reads: "1.05×". */
export const speedLabel = (speed: number) => `${speed.toFixed(2)}×`;

/**
 * The voice configs card's table: one row per config with an Edit button. The form beside it
 * (voice-config-form.ts) does the creating and editing; after a save this list reloads and
 * focus lands on the saved row's Edit button.
 */
export function createVoiceConfigsList(doc: Document, root: HTMLElement, edit: (config: VoiceConfig) => void) {
  const table = must<HTMLTableElement>(root, "table");
  const body = must<HTMLTableSectionElement>(table, "tbody");
  const states = sectionStates(root, () => void load());
  let voiceNames = new Map<string, string>();
  let configs: VoiceConfig[] = [];

  function row(config: VoiceConfig): HTMLTableRowElement {
    const button = el(doc, "button", { type: "button", className: "button ghost small", "data-edit": config.id, "aria-label": `Edit ${config.name}` }, "Edit");
    button.addEventListener("click", () => edit(config));
    return el(
      doc,
      "tr",
      { "data-config-id": config.id },
      el(doc, "th", { scope: "row" }, config.name),
      el(doc, "td", {}, voiceNames.get(config.voiceId) ?? (voiceNames.size ? `${config.voiceId} (not on this account)` : config.voiceId)),
      el(doc, "td", {}, LANGUAGE_LABELS[config.language]),
      el(doc, "td", {}, PERSONALITY_LABELS[config.personality]),
      el(doc, "td", { className: "num" }, speedLabel(config.speed)),
      el(doc, "td", {}, button),
    );
  }

  function render(): void {
    body.replaceChildren(...configs.map(row));
    table.hidden = configs.length === 0;
  }

  async function load(focusId?: string): Promise<void> {
    states.loading();
    try {
      configs = (await fetchVoiceConfigs()).items;
      render();
      states.settled(configs.length === 0);
      if (focusId) body.querySelector<HTMLElement>(`[data-edit="${CSS.escape(focusId)}"]`)?.focus();
    } catch (error) {
      states.failed(error, "Voice configs");
    }
  }

  return {
    load,
    /** Voice names for the Voice column, once the account's voices are in. */
    setVoices(voices: Voice[]): void {
      voiceNames = new Map(voices.map((v) => [v.id, v.name]));
      render();
    },
  };
}

/** The voice select's options: the account's voices, plus the config's own voice if the account no longer lists it. */
export function voiceOptions(doc: Document, voices: Voice[], current: string | null): HTMLOptionElement[] {
  const options = voices.map((v) => option(doc, v.id, v.name, v.id === current));
  if (current && !voices.some((v) => v.id === current)) options.unshift(option(doc, current, `Voice ${current} (not on this account)`, true));
  return options;
}
