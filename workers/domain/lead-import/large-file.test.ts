import { describe, expect, it } from "vitest";
import { parseLeadCsv } from "./index";

/** Row i has its own UA mobile number, email and Telegram username, written in rotating styles. */
function generatedFile(rows: number): string {
  const lines = ["First Name,Last Name,Phone,Email,Telegram,Company,Notes"];
  for (let i = 0; i < rows; i++) {
    const subscriber = String(1_000_000 + i).slice(-7);
    const phone = i % 2 === 0 ? `+380 67 ${subscriber}` : `(067) ${subscriber.slice(0, 3)}-${subscriber.slice(3, 5)}-${subscriber.slice(5)}`;
    const notes = i % 10 === 0 ? `"multi-line\nnote, for ${i}"` : "";
    lines.push(`Name${i},"Surname, ${i}",${phone},User${i}@Example.com,@lead_${i}x,Company ${i % 50},${notes}`);
  }
  return lines.join("\n");
}

describe("a large file", () => {
  it("imports all 10,000 rows with their data and true line numbers", () => {
    const { leads, errors, duplicatesInFile, totalRows } = parseLeadCsv(generatedFile(10_000), { defaultRegion: "UA" });
    expect(errors).toEqual([]);
    expect(duplicatesInFile).toEqual([]);
    expect(totalRows).toBe(10_000);
    expect(leads).toHaveLength(10_000);
    // Every tenth row carries a two-line note, so row i starts on line 2 + i + ceil(i / 10).
    const lineOf = (i: number) => 2 + i + Math.ceil(i / 10);
    expect(leads[0]).toEqual({
      line: 2,
      firstName: "Name0",
      lastName: "Surname, 0",
      phone: "+380671000000",
      email: "user0@example.com",
      telegramUsername: "lead_0x",
      company: "Company 0",
      timezone: null,
      notes: "multi-line\nnote, for 0",
      metadata: {},
    });
    expect(leads[4_321]).toMatchObject({ line: lineOf(4_321), phone: "+380671004321", email: "user4321@example.com", notes: null });
    expect(leads[9_999]).toMatchObject({ line: lineOf(9_999), firstName: "Name9999", telegramUsername: "lead_9999x" });
  }, 30_000);

  it("takes time in proportion to the number of rows, not its square", () => {
    const timeToParse = (rows: number) => {
      const text = generatedFile(rows);
      const started = performance.now();
      expect(parseLeadCsv(text, { defaultRegion: "UA" }).leads).toHaveLength(rows);
      return performance.now() - started;
    };
    timeToParse(2_000); // warm the JIT so the first measurement is not inflated
    const small = timeToParse(10_000);
    const large = timeToParse(50_000);
    // Linear work makes this ratio about 5; anything quadratic makes it about 25. Comparing two runs
    // on the same machine keeps the check meaningful on slow or busy CI hosts.
    expect(large / small).toBeLessThan(15);
  }, 60_000);
});
