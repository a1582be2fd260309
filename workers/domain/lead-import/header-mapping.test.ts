import { describe, expect, it } from "vitest";
import { headerMappingSchema, parseLeadCsv, suggestHeaderMapping, type HeaderMapping } from "./index";

const importCsv = (text: string, mapping?: HeaderMapping) => parseLeadCsv(text, { defaultRegion: "UA", mapping });

describe("suggested column mapping", () => {
  it("recognises common English headers whatever their case, spaces, underscores or dashes", () => {
    expect(
      suggestHeaderMapping(["First Name", "last_name", "PHONE-NUMBER", "E-mail", "Telegram Username", "Organisation", "Time Zone", "comment"]),
    ).toEqual({
      "First Name": "firstName",
      last_name: "lastName",
      "PHONE-NUMBER": "phone",
      "E-mail": "email",
      "Telegram Username": "telegramUsername",
      Organisation: "company",
      "Time Zone": "timezone",
      comment: "notes",
    });
  });

  it("recognises the short forms people type: mobile, tel, mail, tg, tz, organization", () => {
    expect(suggestHeaderMapping(["mobile", "mail", "tg", "tz", "organization"])).toEqual({
      mobile: "phone",
      mail: "email",
      tg: "telegramUsername",
      tz: "timezone",
      organization: "company",
    });
  });

  it("recognises Ukrainian headers, with either apostrophe in ім'я", () => {
    expect(suggestHeaderMapping(["Ім'я", "Прізвище", "Телефон", "Пошта", "Компанія"])).toEqual({
      "Ім'я": "firstName",
      Прізвище: "lastName",
      Телефон: "phone",
      Пошта: "email",
      Компанія: "company",
    });
    expect(suggestHeaderMapping(["Ім’я"])).toEqual({ "Ім’я": "firstName" });
  });

  it("treats a lone Name column as a full name, but as a first name next to a surname column", () => {
    expect(suggestHeaderMapping(["Name", "Phone"]).Name).toBe("fullName");
    expect(suggestHeaderMapping(["Name", "Surname"]).Name).toBe("firstName");
  });

  it("keeps unknown columns, and a second column for an already-mapped field, as metadata", () => {
    expect(suggestHeaderMapping(["Phone", "Mobile", "Deal stage"])).toEqual({ Phone: "phone", Mobile: "metadata", "Deal stage": "metadata" });
  });
});

describe("importing with the mapping", () => {
  it("splits a full name on the first space", () => {
    const { leads } = importCsv("Full Name,Phone\nMary Ann Smith,0671234567\nCher,0671234568\n");
    expect(leads.map((lead) => [lead.firstName, lead.lastName])).toEqual([
      ["Mary", "Ann Smith"],
      ["Cher", null],
    ]);
  });

  it("reads a comma in a full name as 'Surname, First names'", () => {
    const { leads } = importCsv('Full Name,Phone\n"Koval, Olena Ivanivna",0671234567\n');
    expect([leads[0]?.firstName, leads[0]?.lastName]).toEqual(["Olena Ivanivna", "Koval"]);
  });

  it("puts unknown columns into the lead's metadata, leaving out empty cells", () => {
    const { leads } = importCsv("phone,Source,Deal stage\n0671234567,webinar,\n");
    expect(leads[0]?.metadata).toEqual({ Source: "webinar" });
  });

  it("lets an explicit mapping override a guess and ignore a column", () => {
    const { leads, mapping } = importCsv("Phone,Work number,Label\n0671234567,0501234567,vip\n", {
      Phone: "ignore",
      "Work number": "phone",
      Label: "ignore",
    });
    expect(mapping).toEqual({ Phone: "ignore", "Work number": "phone", Label: "ignore" });
    expect(leads[0]).toMatchObject({ phone: "+380501234567", metadata: {} });
  });

  it("auto-maps the headers an explicit mapping leaves out, without stealing its fields", () => {
    const { mapping } = importCsv("Contact,Phone,Email\n0671234567,0501234567,a@example.com\n", { Contact: "phone" });
    expect(mapping).toEqual({ Contact: "phone", Phone: "metadata", Email: "email" });
  });

  it("reports a mapping for a column the file does not have on the header line, and still imports", () => {
    const text = "\n\nphone,email\n0671234567,a@example.com\n";
    const { errors, leads, headerLine } = importCsv(text, { "E-mail address": "email" });
    expect(headerLine).toBe(3);
    expect(errors).toEqual([{ line: 3, field: "row", value: "E-mail address", message: expect.stringContaining("not in the file") }]);
    expect(leads).toHaveLength(1);
  });

  it("reports two columns explicitly mapped to the same field and keeps the second as metadata", () => {
    const { errors, leads } = importCsv("a,b\n0671234567,0501234567\n", { a: "phone", b: "phone" });
    expect(errors).toEqual([{ line: 1, field: "row", value: "b", message: expect.stringContaining("both mapped to phone") }]);
    expect(leads[0]).toMatchObject({ phone: "+380671234567", metadata: { b: "0501234567" } });
  });

  it("warns on the header line when no column can hold a contact", () => {
    const { errors } = importCsv("Name,Company\nIvan,Acme\n");
    expect(errors).toContainEqual({ line: 1, field: "row", message: "no column is mapped to phone, email or Telegram username" });
  });

  it("does not mistake Object.prototype members for mapping entries", () => {
    const { mapping, leads } = importCsv("constructor,phone\nx,0671234567\n", { phone: "phone" });
    expect(mapping.constructor).toBe("metadata");
    expect(leads[0]?.metadata).toEqual({ constructor: "x" });
  });

  it("gives the route a schema that refuses unknown targets", () => {
    expect(headerMappingSchema.safeParse({ Phone: "phone", Extra: "ignore" }).success).toBe(true);
    expect(headerMappingSchema.safeParse({ Phone: "mobilePhone" }).success).toBe(false);
  });
});
