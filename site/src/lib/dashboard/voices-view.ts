import { el, must } from "./dom";
import { plainWords } from "./problems";
import { sectionStates } from "./section-states";
import { fetchSample, fetchVoices, LANGUAGE_LABELS, LANGUAGES, type Language, type Voice } from "./voice-api";

/** "Female · Ukrainian, English"; codes we have no name for show as they are ("ru"). */
export function voiceMeta(voice: Voice): string {
  const languages = voice.languages.map((code) => LANGUAGES.find((l) => l === code)).map((l, i) => (l ? LANGUAGE_LABELS[l] : voice.languages[i]));
  return [voice.gender ? voice.gender.charAt(0).toUpperCase() + voice.gender.slice(1) : null, languages.join(", ")].filter(Boolean).join(" · ");
}

/**
 * The voices card: the account's voices, each with a button that fetches a short spoken sample
 * (POST /voices/{id}/sample, MP3) and plays it in the one <audio> player under the list.
 * Focus stays on the pressed button; the player's status line says what is happening.
 */
export function createVoicesView(doc: Document, root: HTMLElement, loaded: (voices: Voice[]) => void) {
  const list = must<HTMLUListElement>(root, "[data-voice-list]");
  const language = must<HTMLSelectElement>(root, "#sample-language");
  const player = must<HTMLElement>(root, "[data-player]");
  const audio = must<HTMLAudioElement>(player, "audio");
  const status = must<HTMLElement>(player, "[data-sample-status]");
  const sampleError = must<HTMLElement>(root, "[data-sample-error]");
  const states = sectionStates(root, () => void load());
  let voices: Voice[] = [];
  let objectUrl: string | null = null;
  let request = 0;

  async function load(): Promise<void> {
    states.loading();
    try {
      voices = await fetchVoices();
      list.replaceChildren(...voices.map(voiceItem));
      states.settled(voices.length === 0);
      loaded(voices);
    } catch (error) {
      states.failed(error, "Voices");
    }
  }

  function voiceItem(voice: Voice): HTMLLIElement {
    const play = el(doc, "button", { type: "button", className: "button ghost small", "data-play": voice.id, "aria-label": `Play a sample of ${voice.name}` }, "Play sample");
    play.addEventListener("click", () => void playSample(voice, play));
    return el(doc, "li", { "data-voice-id": voice.id }, el(doc, "span", { className: "name" }, voice.name), el(doc, "span", { className: "meta" }, voiceMeta(voice)), play);
  }

  async function playSample(voice: Voice, button: HTMLButtonElement): Promise<void> {
    const mine = ++request;
    const lang = LANGUAGES.find((l) => l === language.value) ?? "en";
    sampleError.hidden = true;
    player.hidden = false;
    button.setAttribute("aria-busy", "true");
    status.textContent = `Loading ${voice.name}'s sample…`;
    try {
      const blob = await fetchSample(voice.id, lang);
      // A newer press wins; this answer is no longer wanted.
      if (mine !== request) return;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(blob);
      audio.src = objectUrl;
      audio.dataset.voiceId = voice.id;
      markPlaying(voice.id);
      await play(voice, lang);
    } catch (error) {
      if (mine !== request) return;
      status.textContent = "";
      sampleError.textContent = `${voice.name}'s sample did not load. ${plainWords(error)}`;
      sampleError.hidden = false;
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  async function play(voice: Voice, lang: Language): Promise<void> {
    try {
      await audio.play();
      status.textContent = `Playing ${voice.name} (${LANGUAGE_LABELS[lang]}).`;
    } catch {
      // Autoplay refused (no user gesture reached us, or no audio output): the controls still work.
      status.textContent = `${voice.name}'s sample (${LANGUAGE_LABELS[lang]}) is ready: press play on the player.`;
    }
  }

  function markPlaying(id: string | null): void {
    for (const item of list.children) if (item instanceof HTMLElement) item.toggleAttribute("data-playing", item.dataset.voiceId === id);
  }

  audio.addEventListener("error", () => {
    if (!audio.getAttribute("src")) return;
    status.textContent = "";
    sampleError.textContent = "The sample could not be played in this browser.";
    sampleError.hidden = false;
  });
  audio.addEventListener("ended", () => {
    markPlaying(null);
    status.textContent = "The sample has finished.";
  });

  return { load };
}
