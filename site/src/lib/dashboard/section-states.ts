import { must } from "./dom";
import { plainWords } from "./problems";

/**
 * The loading, error (with retry) and empty states of one dashboard card, as rendered by
 * `components/SectionStates.astro`. Focus only moves when it was inside the card (a press on
 * Retry or Load more): a page with several cards loading at once never steals it.
 */
export interface SectionStates {
  loading(): void;
  failed(error: unknown, what: string): void;
  /** Loading is over: show the empty note when there is nothing to show. */
  settled(isEmpty: boolean): void;
}

export function sectionStates(section: HTMLElement, retry: () => void): SectionStates {
  const loading = must<HTMLElement>(section, "[data-state=loading]");
  const failure = must<HTMLElement>(section, "[data-state=error]");
  const message = must<HTMLElement>(failure, "[data-message]");
  const retryButton = must<HTMLButtonElement>(failure, "[data-retry]");
  const empty = must<HTMLElement>(section, "[data-state=empty]");
  const heading = must<HTMLElement>(section, "[data-heading]");
  const doc = section.ownerDocument;
  retryButton.addEventListener("click", retry);

  return {
    loading() {
      loading.hidden = false;
    },
    failed(error, what) {
      const hadFocus = section.contains(doc.activeElement);
      loading.hidden = true;
      message.textContent = `${what} did not load. ${plainWords(error)}`;
      failure.hidden = false;
      if (hadFocus) retryButton.focus();
    },
    settled(isEmpty) {
      // Hiding the focused Retry button would drop focus to <body>; the card's heading takes it.
      if (doc.activeElement === retryButton) heading.focus();
      loading.hidden = true;
      failure.hidden = true;
      empty.hidden = !isEmpty;
    },
  };
}
