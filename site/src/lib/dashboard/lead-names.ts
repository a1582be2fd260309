import { fetchLead, type Lead } from "../api";

/**
 * Lead names for the calls list, which carries only lead ids. Names the page already has (the
 * test call's lead picker) are remembered; the rest are fetched once each, a few at a time, and
 * a lead that cannot be read just shows its number. (A lead name embedded in the calls list
 * would save these requests.)
 */
export function leadName(lead: Pick<Lead, "firstName" | "lastName" | "company">): string {
  return [lead.firstName, lead.lastName].filter(Boolean).join(" ") || lead.company || "Unnamed lead";
}

export function createLeadNames() {
  const names = new Map<string, string | null>();

  return {
    remember(leads: Lead[]): void {
      for (const lead of leads) names.set(lead.id, leadName(lead));
    },
    get(id: string | null): string | null {
      return id ? (names.get(id) ?? null) : null;
    },
    async resolve(ids: (string | null)[]): Promise<void> {
      const missing = [...new Set(ids.filter((id): id is string => id !== null && !names.has(id)))];
      for (let i = 0; i < missing.length; i += 4) {
        await Promise.all(
          missing.slice(i, i + 4).map(async (id) => {
            names.set(id, await fetchLead(id).then(leadName, () => null));
          }),
        );
      }
    },
  };
}
export type LeadNames = ReturnType<typeof createLeadNames>;
