import { phaseOf, type Call, type CallPhase } from "./calls-api";
import { callHref } from "./calls-table";
import { watchCall } from "./call-watch";
import { must } from "./dom";
import { clock, outcomeLabel, statusLabel } from "./format";
import { plainWords } from "./problems";

const PHASES: CallPhase[] = ["ringing", "live", "ended"];
type CallState = Pick<Call, "status" | "endedAt" | "outcome" | "summary">;

/** The one-line state of a call, for the status region: read out when it changes. */
export function progressText(call: CallState): string {
  switch (phaseOf(call)) {
    case "ringing":
      return "Ringing…";
    case "live":
      return "In progress: the agent is on the line.";
    case "ended": {
      const outcome = call.outcome && call.outcome !== call.status ? ` — ${outcomeLabel(call.outcome)}` : "";
      const analysis = call.summary ? " The summary is ready." : " Writing the summary…";
      return `Ended: ${statusLabel(call.status)}${outcome}.${analysis}`;
    }
  }
}

/**
 * The live panel under the test-call form: ringing → in progress → ended with its outcome,
 * polling GET /calls/{id} (call-watch.ts). `onChange` hears when the call ends and again when
 * its analysis is in, so the list and the usage chart can refresh.
 */
export function createTestCallProgress(doc: Document, root: HTMLElement, hooks: { open(id: string): void; ended(call: Call, final: boolean): void }) {
  const title = must<HTMLElement>(root, "[data-progress-title]");
  const status = must<HTMLElement>(root, "[data-progress-status]");
  const timer = must<HTMLElement>(root, "[data-progress-timer]");
  const failure = must<HTMLElement>(root, "[data-progress-error]");
  const failureText = must<HTMLElement>(failure, "[data-message]");
  const resume = must<HTMLButtonElement>(failure, "[data-retry]");
  const done = must<HTMLElement>(root, "[data-progress-done]");
  const openLink = must<HTMLAnchorElement>(done, "a");
  const steps = [...root.querySelectorAll<HTMLElement>("[data-step]")];
  let watching: { id: string; abort: AbortController; tick: number | undefined; endedOnce: boolean } | null = null;

  function showPhase(call: CallState): void {
    const phase = phaseOf(call);
    const at = PHASES.indexOf(phase);
    for (const step of steps) {
      const i = PHASES.findIndex((p) => p === step.dataset.step);
      step.dataset.state = i < at || phase === "ended" ? "done" : i === at ? "current" : "todo";
      if (i === at) step.setAttribute("aria-current", "step");
      else step.removeAttribute("aria-current");
    }
    const text = progressText(call);
    if (status.textContent !== text) status.textContent = text;
    root.dataset.phase = phase;
    root.dataset.status = call.status;
  }

  function startTimer(call: Call): void {
    if (!watching || watching.tick !== undefined) return;
    // The log has the answer time only once the call ends; until then, count from when we saw it live.
    const since = call.startedAt ? Date.parse(call.startedAt) : Date.now();
    const show = () => (timer.textContent = `On the line for ${clock((Date.now() - since) / 1000)}`);
    show();
    watching.tick = doc.defaultView?.setInterval(show, 1000);
  }

  function stopTimer(call: Call | null): void {
    if (watching?.tick !== undefined) doc.defaultView?.clearInterval(watching.tick);
    if (watching) watching.tick = undefined;
    if (call?.durationSeconds != null) timer.textContent = `Lasted ${clock(call.durationSeconds)}`;
  }

  async function watch(id: string): Promise<void> {
    if (!watching) return;
    const { abort } = watching;
    failure.hidden = true;
    const update = (call: Call) => {
      if (watching?.id !== id) return;
      showPhase(call);
      if (phaseOf(call) === "live") startTimer(call);
      if (phaseOf(call) === "ended") {
        stopTimer(call);
        if (!watching.endedOnce) {
          watching.endedOnce = true;
          done.hidden = false;
          hooks.ended(call, false);
        }
      }
    };
    try {
      const last = await watchCall(id, update, { signal: abort.signal });
      if (last && watching?.id === id) hooks.ended(last, true);
    } catch (error) {
      if (watching?.id !== id) return;
      failureText.textContent = `We lost track of this call. ${plainWords(error)}`;
      failure.hidden = false;
    }
  }

  resume.addEventListener("click", () => {
    if (watching) void watch(watching.id);
  });
  openLink.addEventListener("click", (event) => {
    if (!watching || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    hooks.open(watching.id);
  });

  return {
    /** Starts following a call just placed; focus moves here so the progress is what comes next. */
    follow(id: string, callee: string): Promise<void> {
      if (watching) {
        watching.abort.abort();
        stopTimer(null);
      }
      watching = { id, abort: new AbortController(), tick: undefined, endedOnce: false };
      title.textContent = `Test call to ${callee}`;
      timer.textContent = "";
      done.hidden = true;
      openLink.href = callHref(id);
      root.dataset.callId = id;
      showPhase({ status: "queued", endedAt: null, outcome: null, summary: null });
      root.hidden = false;
      title.focus();
      return watch(id);
    },
    get busy(): boolean {
      return watching !== null && !watching.endedOnce && failure.hidden === true;
    },
  };
}
