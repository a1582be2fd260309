import { must } from "./dom";
import { createPhoneNumbersView } from "./phone-numbers-view";
import { startSignedInPage } from "./session-gate";
import { createVoiceConfigForm } from "./voice-config-form";
import { createVoiceConfigsList } from "./voice-configs-view";
import { createVoicesView } from "./voices-view";

/** /dashboard/voice: the account's voices with samples, the org's voice configs, its phone numbers. */
export function startVoicePage(doc: Document): void {
  const configsRoot = must<HTMLElement>(doc, "#voice-configs");
  const savedNote = must<HTMLElement>(configsRoot, "[data-saved]");
  const list = createVoiceConfigsList(doc, configsRoot, (config) => form.edit(config));
  const form = createVoiceConfigForm(doc, must<HTMLFormElement>(doc, "#voice-config-form"), (config, created) => {
    savedNote.textContent = `${created ? "Created" : "Saved"} “${config.name}”.`;
    void list.load(config.id);
  });
  const voices = createVoicesView(doc, must<HTMLElement>(doc, "#voices"), (loaded) => {
    form.setVoices(loaded);
    list.setVoices(loaded);
  });
  const numbers = createPhoneNumbersView(doc, must<HTMLElement>(doc, "#phone-numbers"));

  startSignedInPage(doc, must<HTMLElement>(doc, "#voice-workspace"), () => {
    void voices.load();
    void list.load();
    void numbers.load();
  });
}
