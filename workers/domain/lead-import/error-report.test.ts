import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { parseLeadCsv, serializeErrorReportCsv } from "./index";

describe("the downloadable error report", () => {
  it("lists each error's line, field, value and message as CSV", () => {
    const { errors } = parseLeadCsv('phone,email\n123,"a, b@example.com"\n,\n0671234567,\n,\n', { defaultRegion: "UA" });
    const report = Papa.parse<string[]>(serializeErrorReportCsv(errors)).data;
    expect(report).toEqual([
      ["line", "field", "value", "message"],
      ["2", "phone", "123", expect.stringContaining("not a valid phone number")],
      ["2", "email", "a, b@example.com", "not a valid email address"],
    ]);
  });

  it("cannot smuggle a spreadsheet formula from the upload into the report", () => {
    const report = serializeErrorReportCsv([{ line: 2, field: "email", value: '=HYPERLINK("http://evil.example")', message: "bad" }]);
    const [, row] = Papa.parse<string[]>(report).data;
    expect(row?.[2]).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it("is just a header row when there are no errors", () => {
    expect(serializeErrorReportCsv([]).trim()).toBe("line,field,value,message");
  });
});
