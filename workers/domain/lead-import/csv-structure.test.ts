import { describe, expect, it } from "vitest";
import { parseLeadCsv } from "./index";

const importCsv = (text: string, firstLineNumber?: number) => parseLeadCsv(text, { defaultRegion: "UA", firstLineNumber });
const linesOf = (items: readonly { line: number }[]) => items.map((item) => item.line);

describe("reading the file", () => {
  it("ignores the UTF-8 byte order mark Excel writes before a quoted first header", () => {
    const { headers, mapping, leads } = importCsv('\uFEFF"phone","email"\n0671234567,a@example.com\n');
    expect(headers).toEqual(["phone", "email"]);
    expect(mapping.phone).toBe("phone");
    expect(linesOf(leads)).toEqual([2]);
  });

  it("keeps commas, doubled quotes and newlines inside quoted values", () => {
    const text = 'phone,company,notes\n0671234567,"Acme, Inc.","She said ""call me""\nafter 5pm,\nnot before"\n';
    expect(importCsv(text).leads[0]).toMatchObject({ company: "Acme, Inc.", notes: 'She said "call me"\nafter 5pm,\nnot before' });
  });

  it("reports the line a record starts on, even after values that span several lines", () => {
    const text = [
      "phone,notes", //                1
      '0671234567,"one', //            2
      "two", //                        3
      'three"', //                     4
      "0671234568,plain", //           5
      '0671234569,"a', //              6
      'b"', //                         7
      "bad phone,x", //                8
    ].join("\n");
    const { leads, errors } = importCsv(text);
    expect(linesOf(leads)).toEqual([2, 5, 6]);
    expect(linesOf(errors)).toEqual([8]);
  });

  it("counts Windows line endings, blank lines and rows of bare delimiters without importing them", () => {
    const text = "\r\nphone,email\r\n\r\n0671234567,\r\n,\r\n  ,  \r\n\"0671234568\",\"\"\r\nbad,\r\n";
    const { leads, errors, headerLine, totalRows } = importCsv(text);
    expect(headerLine).toBe(2);
    expect(linesOf(leads)).toEqual([4, 7]);
    expect(linesOf(errors)).toEqual([8]);
    expect(totalRows).toBe(3);
  });

  it("gives each row its own line when a file mixes old Mac (\\r) and Windows line endings", () => {
    const { leads } = importCsv("phone\r0671234567\r0501234567\r\n0931234567");
    expect(leads.map((lead) => [lead.line, lead.phone])).toEqual([
      [2, "+380671234567"],
      [3, "+380501234567"],
      [4, "+380931234567"],
    ]);
  });

  it("reads semicolon-separated files, as spreadsheets write them in many locales", () => {
    const { leads } = importCsv("Ім'я;Телефон;Компанія\nІван;067 123 45 67;\"ТОВ \"\"Ромашка\"\"; Київ\"\n");
    expect(leads[0]).toMatchObject({ firstName: "Іван", phone: "+380671234567", company: 'ТОВ "Ромашка"; Київ' });
  });

  it("reads tab-separated files", () => {
    const { leads } = importCsv("name\tphone\temail\nIvan Petrenko\t0671234567\tivan@example.com\n");
    expect(leads[0]).toMatchObject({ firstName: "Ivan", lastName: "Petrenko", phone: "+380671234567", email: "ivan@example.com" });
  });

  it("reads a file with a single column", () => {
    expect(importCsv("email\na@example.com\nb@example.com").leads).toHaveLength(2);
  });

  it("numbers lines from firstLineNumber, so a slice of a big file reports its true lines", () => {
    const { leads, errors, headerLine } = importCsv("phone\n0671234567\nnope\n", 5000);
    expect(headerLine).toBe(5000);
    expect(linesOf(leads)).toEqual([5001]);
    expect(linesOf(errors)).toEqual([5002]);
  });

  it("rejects a row with an unclosed quote instead of importing the rest of the file into it", () => {
    const text = 'phone,notes\n0671234567,ok\n0671234568,"never closed\n0671234569,swallowed\n';
    const { leads, errors, totalRows } = importCsv(text);
    expect(linesOf(leads)).toEqual([2]);
    expect(errors).toEqual([{ line: 3, field: "row", message: expect.stringContaining("never closed") }]);
    expect(totalRows).toBe(2);
  });

  it("reports an unclosed quote in the header row on the header line", () => {
    const { errors, leads } = importCsv('"phone,email\n0671234567,a@example.com\n');
    expect(leads).toEqual([]);
    expect(errors).toContainEqual({ line: 1, field: "row", message: expect.stringMatching(/^header row: .*never closed/) });
  });

  it("rejects a row with more values than headers, but tolerates trailing empty ones", () => {
    const { leads, errors } = importCsv("phone,email\n0671234567,a@example.com,,\n0671234568,b@example.com,surprise\n");
    expect(linesOf(leads)).toEqual([2]);
    expect(errors).toEqual([{ line: 3, field: "row", value: "surprise", message: expect.stringContaining("more values than the header") }]);
  });

  it("accepts rows with fewer values than headers", () => {
    expect(importCsv("phone,email,company\n0671234567\n").leads[0]).toMatchObject({ phone: "+380671234567", email: null, company: null });
  });

  it("names blank and repeated headers so their values are kept as metadata", () => {
    const { headers, leads } = importCsv("phone,,phone\n0671234567,x,0501234567\n");
    expect(headers).toEqual(["phone", "Column 2", "phone_1"]);
    expect(leads[0]).toMatchObject({ phone: "+380671234567", metadata: { "Column 2": "x", phone_1: "0501234567" } });
  });

  it("returns an empty result for an empty file", () => {
    expect(importCsv("")).toMatchObject({ headers: [], leads: [], errors: [], totalRows: 0 });
    expect(importCsv("\n \n")).toMatchObject({ headers: [], leads: [], totalRows: 0 });
  });
});

describe("duplicates within the file", () => {
  it("are found by phone however the number is written", () => {
    const { leads, duplicatesInFile } = importCsv("phone\n+380 67 123 4567\n(067) 123-45-67\n");
    expect(linesOf(leads)).toEqual([2]);
    expect(duplicatesInFile).toEqual([{ line: 3, duplicateOfLine: 2, key: "phone" }]);
  });

  it("are found by email regardless of case", () => {
    expect(importCsv("email\nIvan@Example.com\nivan@example.COM\n").duplicatesInFile).toEqual([{ line: 3, duplicateOfLine: 2, key: "email" }]);
  });

  it("are found by Telegram username whether written as a link or a handle", () => {
    expect(importCsv("telegram\nhttps://t.me/Ivan_P1\n@ivan_p1\n").duplicatesInFile).toEqual([{ line: 3, duplicateOfLine: 2, key: "telegramUsername" }]);
  });

  it("match on any one shared contact, reported against the first row that had it", () => {
    const text = "phone,email\n0671234567,a@example.com\n0501234567,b@example.com\n0931234567,b@example.com\n";
    expect(importCsv(text).duplicatesInFile).toEqual([{ line: 4, duplicateOfLine: 3, key: "email" }]);
  });

  it("are not counted against rows that were rejected or were duplicates themselves", () => {
    const text = [
      "phone,email",
      "0671234567,not-an-email", // 2: rejected, so its phone is free
      "0671234567,a@example.com", // 3: imported
      "0671234567,b@example.com", // 4: duplicate of 3; b@ is not claimed
      "0501234567,b@example.com", // 5: imported
    ].join("\n");
    const { leads, duplicatesInFile, errors } = importCsv(text);
    expect(linesOf(errors)).toEqual([2]);
    expect(linesOf(leads)).toEqual([3, 5]);
    expect(duplicatesInFile).toEqual([{ line: 4, duplicateOfLine: 3, key: "phone" }]);
  });
});
