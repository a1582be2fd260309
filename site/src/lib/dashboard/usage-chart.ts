import { durationWords } from "./format";
import type { Metric } from "./setup-api";

const SVG = "http://www.w3.org/2000/svg";
const minutes = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

/** Share of the plan used, 0…1 (over the limit still draws a full bar); null when unlimited. */
export function usedShare(metric: Metric): number | null {
  if (metric.limit === null) return null;
  if (metric.limit <= 0) return 1;
  return Math.min(1, Math.max(0, metric.used / metric.limit));
}

/** The numbers the bar draws, as sentences: these are what screen readers (and everyone) read. */
export function voiceUsageText(metric: Metric, plan: string): { headline: string; detail: string } {
  const planName = plan.charAt(0).toUpperCase() + plan.slice(1);
  const used = `${minutes.format(metric.used / 60)}`;
  if (metric.limit === null) return { headline: `${used} voice minutes used this month`, detail: `${durationWords(metric.used)} in all · unlimited on the ${planName} plan` };
  const left = Math.max(0, metric.limit - metric.used);
  return {
    headline: `${used} of ${minutes.format(metric.limit / 60)} voice minutes used (${percent.format(metric.used / Math.max(1, metric.limit))})`,
    detail: `${durationWords(metric.used)} this month · ${left > 0 ? `${durationWords(left)} left` : "none left"} · ${planName} plan`,
  };
}

/**
 * A horizontal bar of used against the plan's limit, as inline SVG (no chart library: one bar
 * does not need one). It is decoration for the text beside it, so it is hidden from assistive tech.
 */
export function usageBar(doc: Document, metric: Metric, width = 480, height = 20): SVGSVGElement {
  const share = usedShare(metric) ?? 0;
  const svg = doc.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true", focusable: "false", class: "usage-bar", preserveAspectRatio: "none" })) svg.setAttribute(k, v);
  svg.dataset.used = String(metric.used);
  svg.dataset.limit = metric.limit === null ? "unlimited" : String(metric.limit);
  const rect = (cls: string, w: number) => {
    const r = doc.createElementNS(SVG, "rect");
    for (const [k, v] of Object.entries({ class: cls, x: "0", y: "0", width: String(w), height: String(height), rx: String(height / 2) })) r.setAttribute(k, v);
    return r;
  };
  svg.append(rect("track", width));
  // A sliver stays visible for a few seconds used, so "some" never reads as "none".
  const filled = share === 0 ? 0 : Math.max(height / 2, share * width);
  const fill = rect(share >= 0.9 ? "fill high" : "fill", filled);
  svg.append(fill);
  // Quarter marks, so the eye can read the share without the numbers.
  for (const q of [0.25, 0.5, 0.75]) {
    const tick = doc.createElementNS(SVG, "line");
    for (const [k, v] of Object.entries({ class: "tick", x1: String(q * width), x2: String(q * width), y1: "4", y2: String(height - 4) })) tick.setAttribute(k, v);
    svg.append(tick);
  }
  return svg;
}
