import type { Lead } from "../api";

/** One row per lead. Text only (`textContent`), so lead data can never inject markup. */
export function leadRow(doc: Document, lead: Lead): HTMLTableRowElement {
  const row = doc.createElement("tr");
  row.dataset.leadId = lead.id;
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(" ");
  const cells = [
    name || "—",
    lead.company ?? "—",
    lead.phone ?? "—",
    lead.email ?? "—",
    lead.telegramUsername ? `@${lead.telegramUsername.replace(/^@/, "")}` : "—",
  ];
  for (const text of cells) {
    const cell = doc.createElement("td");
    cell.textContent = text;
    row.append(cell);
  }
  const status = doc.createElement("td");
  const badge = doc.createElement("span");
  badge.className = "status";
  badge.textContent = lead.status;
  status.append(badge);
  row.append(status);
  return row;
}

/** "20 leads", or "20+ leads" while more pages remain. */
export function leadsCountLabel(shown: number, more: boolean): string {
  return `${shown}${more ? "+" : ""} ${shown === 1 && !more ? "lead" : "leads"}`;
}
