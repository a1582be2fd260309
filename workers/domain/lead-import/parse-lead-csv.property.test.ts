import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { parseLeadCsv, type ImportedLead } from "./index";

// Characters that stress CSV quoting and line counting, mixed with ordinary and non-Latin text.
const trickyChar = fc.constantFrom(",", ";", "\t", '"', "'", "\n", "\r", "\r\n", " ", "=", "@", "+");
const cellChar = fc.oneof(trickyChar, fc.constantFrom(..."aZ9ЇжЩ€"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }));
/** What a user could put in a text cell, already as the importer stores it: trimmed, empty → null. */
const textCell = (maxLength: number) => fc.string({ unit: cellChar, maxLength }).map((value) => value.trim() || null);

const HEADER = ["First Name", "Last Name", "Phone", "Email", "Telegram", "Company", "Timezone", "Notes", "Source"];
const ZONES = ["America/New_York", "UTC", "Asia/Tokyo", "Europe/Berlin"];

/** A valid lead whose contacts are unique by construction (derived from its index). */
const leadAt = (index: number) =>
  fc
    .record({
      firstName: textCell(20),
      lastName: textCell(20),
      company: textCell(20),
      timezone: fc.option(fc.constantFrom(...ZONES)),
      notes: textCell(60),
      source: textCell(10),
      contacts: fc.subarray(["phone", "email", "telegram"] as const, { minLength: 1 }),
      phoneStyle: fc.constantFrom("e164", "spaced", "national"),
      shoutEmail: fc.boolean(),
      telegramStyle: fc.constantFrom("@", "", "https://t.me/"),
    })
    .map((generated) => {
      const subscriber = String(1_000_000 + index).slice(-7);
      const written = { e164: `+38067${subscriber}`, spaced: `+380 67 ${subscriber}`, national: `(067) ${subscriber}` };
      const email = `user${index}@example.com`;
      const lead: Omit<ImportedLead, "line"> = {
        firstName: generated.firstName,
        lastName: generated.lastName,
        phone: generated.contacts.includes("phone") ? `+38067${subscriber}` : null,
        email: generated.contacts.includes("email") ? email : null,
        telegramUsername: generated.contacts.includes("telegram") ? `lead_${index}x` : null,
        company: generated.company,
        timezone: generated.timezone,
        notes: generated.notes,
        metadata: generated.source === null ? {} : { Source: generated.source },
      };
      const row = [
        lead.firstName,
        lead.lastName,
        lead.phone && written[generated.phoneStyle],
        lead.email && (generated.shoutEmail ? email.toUpperCase() : email),
        lead.telegramUsername && `${generated.telegramStyle}${lead.telegramUsername.toUpperCase()}`,
        lead.company,
        lead.timezone,
        lead.notes,
        generated.source,
      ].map((cell) => cell ?? "");
      return { lead, row };
    });

const validFile = fc.nat({ max: 25 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => leadAt(index))));

/** Line breaks as an editor counts them; written independently of the importer's counter. */
const lineBreaks = (text: string) => (text.match(/\r\n|\r|\n/g) ?? []).length;

describe("parsing generated files", () => {
  it("returns exactly the leads that were written, on the lines they were written", () => {
    fc.assert(
      fc.property(validFile, (generated) => {
        let line = 2;
        const expected = generated.map(({ lead, row }) => {
          const withLine = { line, ...lead };
          line += 1 + lineBreaks(Papa.unparse([row]));
          return withLine;
        });
        const text = Papa.unparse({ fields: HEADER, data: generated.map(({ row }) => row) });
        const result = parseLeadCsv(text, { defaultRegion: "UA" });
        expect(result.errors).toEqual([]);
        expect(result.duplicatesInFile).toEqual([]);
        expect(result.leads).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  // Arbitrary text: random CSV-ish characters, or a contact header over rows drawn from a pool of
  // valid, repeated, malformed and quote-breaking cells, separated by any delimiter.
  const poolCell = fc.oneof(
    fc.constantFrom("0671234567", "+380 67 123 4567", "0501234567", "12", "a@example.com", "A@example.com", "bad@", "@ivan_p1", "t.me/x"),
    fc.constantFrom('"', '""', '"a,b"', '"multi\nline"', "", " ", "Europe/Berlin", "Nowhere/City"),
    fc.string({ unit: cellChar, maxLength: 8 }),
  );
  const structuredText = fc
    .tuple(
      fc.constantFrom(",", ";", "\t"),
      fc.constantFrom("\n", "\r\n", "\r"),
      fc.shuffledSubarray(["phone", "email", "telegram", "name", "timezone", "notes", "extra"], { minLength: 1 }),
      fc.array(fc.array(poolCell, { maxLength: 8 }), { maxLength: 30 }),
    )
    .map(([delimiter, newline, header, rows]) => [header, ...rows].map((cells) => cells.join(delimiter)).join(newline));
  const anyText = fc.oneof(fc.string({ unit: cellChar, maxLength: 300 }), structuredText);

  it("never throws, and accounts for every row exactly once", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 1_000_000 }), (text, firstLineNumber) => {
        const result = parseLeadCsv(text, { defaultRegion: "UA", firstLineNumber });
        const rejectedLines = new Set(result.errors.filter((error) => error.line !== result.headerLine).map((error) => error.line));
        const placed = [...result.leads.map((lead) => lead.line), ...result.duplicatesInFile.map((duplicate) => duplicate.line), ...rejectedLines];
        expect(new Set(placed).size).toBe(placed.length);
        expect(placed.length).toBe(result.totalRows);
        const lastLine = firstLineNumber + lineBreaks(text);
        for (const line of placed) expect(line).toBeGreaterThan(result.headerLine);
        for (const line of placed) expect(line).toBeLessThanOrEqual(lastLine);
        for (const lead of result.leads) expect(lead.phone ?? lead.email ?? lead.telegramUsername).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});
