import { phaseOf, type Call, type TranscriptLine } from "./calls-api";
import { el } from "./dom";
import { clock, costLabel, durationLabel, outcomeLabel, roleLabel, scoreLabel, sentimentLabel, statusLabel, whenLabel } from "./format";

/** The facts of one call, as a description list. */
export function callFacts(doc: Document, call: Call): HTMLDListElement {
  const facts: [string, string][] = [
    ["Status", statusLabel(call.status)],
    ["Outcome", outcomeLabel(call.outcome)],
    ["Sentiment", sentimentLabel(call.sentiment)],
    ["Score", call.score === null ? "—" : `${scoreLabel(call.score)} / 100`],
    ["Duration", durationLabel(call.durationSeconds)],
    ["Started", whenLabel(call.startedAt ?? call.createdAt)],
    ["From", call.fromNumber ?? "—"],
    ["Cost", costLabel(call.costEstimateCents)],
  ];
  if (call.metadata.meeting) facts.splice(2, 0, ["Meeting", whenLabel(call.metadata.meeting.at)]);
  if (call.metadata.callbackAt) facts.splice(2, 0, ["Call back", whenLabel(call.metadata.callbackAt)]);
  const list = el(doc, "dl", { className: "facts" });
  for (const [term, value] of facts) list.append(el(doc, "div", {}, el(doc, "dt", {}, term), el(doc, "dd", { "data-fact": term.toLowerCase() }, value)));
  return list;
}

/** What stands in for the summary while there is none yet. */
export function summaryText(call: Call): string {
  if (call.summary) return call.summary;
  return phaseOf(call) === "ended" ? "No summary yet: it is written a few seconds after the call ends." : "The summary is written when the call ends.";
}

/** The transcript, line by line, with who spoke and when (time since the call was answered). */
export function transcriptItems(doc: Document, call: Call): HTMLElement[] {
  if (call.transcript.length === 0) {
    const note = phaseOf(call) === "ended" ? "Nobody spoke on this call." : "The transcript appears when the call ends.";
    return [el(doc, "li", { className: "muted empty" }, note)];
  }
  return call.transcript.map((line: TranscriptLine) =>
    el(
      doc,
      "li",
      { className: `line ${line.role === "agent" ? "agent" : "callee"}`, "data-role": line.role },
      el(doc, "span", { className: "who" }, roleLabel(line.role)),
      " ",
      el(doc, "span", { className: "at muted", "aria-label": `at ${clock(line.at / 1000)}` }, clock(line.at / 1000)),
      el(doc, "p", {}, line.text),
    ),
  );
}
