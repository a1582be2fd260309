import type { ContactKey, DuplicateInFile, ImportedLead } from "./types";

const CONTACT_KEYS: readonly ContactKey[] = ["phone", "email", "telegramUsername"];

/**
 * Returns a check that remembers every accepted lead's contacts and reports a later lead that
 * shares any of them. Keys are already normalised (E.164, lowercased), so equal means same person.
 * A reported duplicate is not remembered: only leads that are imported can be duplicated.
 */
export function createInFileDuplicateCheck(): (lead: ImportedLead) => DuplicateInFile | null {
  const firstLineOf: Record<ContactKey, Map<string, number>> = {
    phone: new Map(),
    email: new Map(),
    telegramUsername: new Map(),
  };
  return (lead) => {
    for (const key of CONTACT_KEYS) {
      const value = lead[key];
      const duplicateOfLine = value === null ? undefined : firstLineOf[key].get(value);
      if (duplicateOfLine !== undefined) return { line: lead.line, duplicateOfLine, key };
    }
    for (const key of CONTACT_KEYS) {
      const value = lead[key];
      if (value !== null) firstLineOf[key].set(value, lead.line);
    }
    return null;
  };
}
