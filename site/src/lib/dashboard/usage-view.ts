import { must } from "./dom";
import { sectionStates } from "./section-states";
import { fetchUsage } from "./setup-api";
import { usageBar, voiceUsageText } from "./usage-chart";

/** The "voice minutes this month" card: the bar, and the same numbers as text. */
export function createUsageView(doc: Document, root: HTMLElement) {
  const figure = must<HTMLElement>(root, "figure");
  const chart = must<HTMLElement>(figure, "[data-chart]");
  const headline = must<HTMLElement>(figure, "[data-headline]");
  const detail = must<HTMLElement>(figure, "[data-detail]");
  const states = sectionStates(root, () => void load());

  async function load(): Promise<void> {
    states.loading();
    try {
      const usage = await fetchUsage();
      const text = voiceUsageText(usage.voice_seconds, usage.plan);
      chart.replaceChildren(usage.voice_seconds.limit === null ? "" : usageBar(doc, usage.voice_seconds));
      headline.textContent = text.headline;
      detail.textContent = text.detail;
      figure.dataset.usedSeconds = String(usage.voice_seconds.used);
      figure.hidden = false;
      states.settled(false);
    } catch (error) {
      states.failed(error, "This month's usage");
    }
  }

  return { load };
}
