import { describe, expect, it } from "vitest";
import { parseLeadCsv } from "./index";

/** Imports a one-row file with the given column and value; the row is on line 2. */
function importCell(header: string, value: string, defaultRegion = "UA") {
  const quoted = `"${value.replaceAll('"', '""')}"`;
  const contact = header === "email" ? "" : ",email";
  const contactValue = header === "email" ? "" : ",someone@example.com";
  return parseLeadCsv(`${header}${contact}\n${quoted}${contactValue}\n`, { defaultRegion });
}
const imported = (header: string, value: string, region?: string) => importCell(header, value, region).leads[0];

describe("phone numbers", () => {
  it.each(["+380 67 123 4567", "(067) 123-45-67", "067 123 45 67", "00380671234567", "380671234567", "+38 (067) 123-45-67"])(
    "with region UA, %s is stored as +380671234567",
    (written) => {
      expect(imported("phone", written)?.phone).toBe("+380671234567");
    },
  );

  it.each([
    ["(201) 555-0123", "+12015550123"],
    ["201.555.0123", "+12015550123"],
    ["+44 7400 123456", "+447400123456"],
    ["+380 67 123 4567", "+380671234567"],
    // International numbers whose "+" a spreadsheet dropped, or written with the European "00" prefix.
    ["4915123456789", "+4915123456789"],
    ["00380671234567", "+380671234567"],
  ])("with region US, %s is stored as %s", (written, e164) => {
    expect(imported("phone", written, "US")?.phone).toBe(e164);
  });

  it("does not move a number that is valid in the default region to another country", () => {
    expect(imported("phone", "2015550123", "US")?.phone).toBe("+12015550123");
  });

  it.each(["12345", "+380 67 123", "not a phone", "(067) 123-45-67 (US)"])("rejects %s with the line and value", (written) => {
    const { leads, errors } = importCell("phone", written, "US");
    expect(leads).toEqual([]);
    expect(errors).toEqual([{ line: 2, field: "phone", value: written, message: expect.stringContaining("not a valid phone number") }]);
  });

  it("rejects a Ukrainian national number when the default region is US", () => {
    expect(importCell("phone", "(067) 123-45-67", "US").errors[0]?.field).toBe("phone");
  });

  it("refuses an unknown default region instead of importing numbers for the wrong country", () => {
    expect(() => parseLeadCsv("phone\n0671234567\n", { defaultRegion: "XX" })).toThrow(RangeError);
    expect(parseLeadCsv("phone\n0671234567\n", { defaultRegion: "ua" }).leads[0]?.phone).toBe("+380671234567");
  });
});

describe("emails", () => {
  it("are trimmed and lowercased", () => {
    expect(imported("email", "  John.Doe@Example.COM ")?.email).toBe("john.doe@example.com");
  });

  it.each(["john@", "john at example.com", "@example.com", "john@example"])("rejects %s", (written) => {
    expect(importCell("email", written).errors).toEqual([{ line: 2, field: "email", value: written, message: "not a valid email address" }]);
  });
});

describe("Telegram usernames", () => {
  it.each(["@Ivan_Petrenko", "ivan_petrenko", "https://t.me/Ivan_Petrenko", "t.me/ivan_petrenko/", "https://telegram.me/ivan_petrenko?start=hi"])(
    "%s is stored as ivan_petrenko",
    (written) => {
      expect(imported("telegram", written)?.telegramUsername).toBe("ivan_petrenko");
    },
  );

  it.each(["@abcd", "1abcde", "abcde_", "ab__cde", "t.me/+AbCdEfGh", "t.me/ivan_petrenko/42", `a${"b".repeat(32)}`, "ivan petrenko"])(
    "rejects %s",
    (written) => {
      expect(importCell("telegram", written).errors).toEqual([
        { line: 2, field: "telegramUsername", value: written, message: expect.stringContaining("not a Telegram username") },
      ]);
    },
  );

  it("accepts the longest allowed username (32 characters)", () => {
    expect(imported("telegram", `a${"b".repeat(31)}`)?.telegramUsername).toHaveLength(32);
  });
});

describe("time zones", () => {
  it("are stored in the runtime's spelling", () => {
    expect(imported("timezone", "america/new_york")?.timezone).toBe("America/New_York");
    expect(imported("timezone", "UTC")?.timezone).toBe("UTC");
  });

  it.each(["Mars/Olympus_Mons", "+02:00", "GMT+2 (Kyiv)"])("reject %s and with it the whole row", (written) => {
    const { leads, errors } = importCell("timezone", written);
    expect(leads).toEqual([]);
    expect(errors).toEqual([{ line: 2, field: "timezone", value: written, message: expect.stringContaining("IANA") }]);
  });
});

describe("rows", () => {
  it("import blank and whitespace-only cells as null", () => {
    const { leads } = parseLeadCsv("first name,company,phone,notes\n  ,   ,0671234567,\n", { defaultRegion: "UA" });
    expect(leads[0]).toMatchObject({ firstName: null, company: null, notes: null, phone: "+380671234567" });
  });

  it("are rejected when they have no contact at all", () => {
    const { leads, errors } = parseLeadCsv("name,phone,email\nIvan,,\n", { defaultRegion: "UA" });
    expect(leads).toEqual([]);
    expect(errors).toEqual([{ line: 2, field: "row", message: "no contact: needs a phone, email or Telegram username" }]);
  });

  it("with only an invalid contact get that contact's error, not a second 'no contact' one", () => {
    expect(parseLeadCsv("phone\n123\n", { defaultRegion: "UA" }).errors.map((error) => error.field)).toEqual(["phone"]);
  });

  it("report every bad field at once and import none of it", () => {
    const { leads, errors } = parseLeadCsv("phone,email,telegram\n123,bad,@x\n0671234567,ok@example.com,\n", { defaultRegion: "UA" });
    expect(errors.map((error) => [error.line, error.field])).toEqual([
      [2, "phone"],
      [2, "email"],
      [2, "telegramUsername"],
    ]);
    expect(leads.map((lead) => lead.line)).toEqual([3]);
  });

  it("enforce length limits on names, company, notes and metadata, echoing a shortened value", () => {
    const long = (length: number) => "x".repeat(length);
    const text = [
      "first name,company,notes,source,phone",
      `${long(200)},${long(200)},${long(2000)},${long(2000)},0671234567`,
      `${long(201)},${long(201)},${long(2001)},${long(2001)},0671234568`,
    ].join("\n");
    const { leads, errors } = parseLeadCsv(text, { defaultRegion: "UA" });
    expect(leads.map((lead) => lead.line)).toEqual([2]);
    expect(errors.map((error) => [error.line, error.field])).toEqual([
      [3, "firstName"],
      [3, "company"],
      [3, "notes"],
      [3, "row"],
    ]);
    expect(errors[2]?.value).toHaveLength(201);
  });
});
