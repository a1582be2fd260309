import type { Call } from "./calls-api";
import { el } from "./dom";
import { durationLabel, outcomeLabel, scoreLabel, sentimentLabel, statusLabel, whenLabel } from "./format";

/** The link that opens a call's detail; a real link, so it also opens in a new tab. */
export function callHref(id: string): string {
  return `/dashboard/calls?call=${encodeURIComponent(id)}`;
}

/** Who was called, as the list and the detail name it: "Iris Petrenko · +14155550100". */
export function calleeLabel(call: Pick<Call, "toNumber">, leadName: string | null): string {
  return [leadName, call.toNumber].filter(Boolean).join(" · ") || "Unknown number";
}

/**
 * One row per call: the callee cell is the link to its detail (Enter opens it), the rest is
 * text only (`textContent`), so call data can never inject markup.
 */
export function callRow(doc: Document, call: Call, leadName: string | null): HTMLTableRowElement {
  const row = el(doc, "tr", { "data-call-id": call.id });
  const link = el(doc, "a", { href: callHref(call.id), "data-open-call": call.id }, calleeLabel(call, leadName));
  row.append(el(doc, "th", { scope: "row" }, link));
  row.append(el(doc, "td", {}, el(doc, "span", { className: `status status-${call.status}` }, statusLabel(call.status))));
  row.append(el(doc, "td", {}, outcomeLabel(call.outcome)));
  row.append(el(doc, "td", {}, sentimentLabel(call.sentiment)));
  row.append(el(doc, "td", { className: "num" }, scoreLabel(call.score)));
  row.append(el(doc, "td", { className: "num" }, durationLabel(call.durationSeconds)));
  const when = call.startedAt ?? call.createdAt;
  row.append(el(doc, "td", {}, el(doc, "time", { datetime: when }, whenLabel(when))));
  return row;
}

/** "20 calls", or "20+ calls" while more pages remain. */
export function callsCountLabel(shown: number, more: boolean): string {
  return `${shown}${more ? "+" : ""} ${shown === 1 && !more ? "call" : "calls"}`;
}
