import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, jsonOf, signIn, type Caller } from "./client";

const importCsv = (as: Caller, csv: string, query = "") =>
  call(`/dashboard/leads/import${query}`, { method: "POST", as, headers: { "content-type": "text/csv" }, body: csv });

async function allLeads(as: Caller) {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await jsonOf(await call(`/dashboard/leads?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { as }));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Valid, distinct Ukrainian mobile numbers: +380 67 000 0000 + i. */
const phoneOf = (i: number) => `+38067${String(1_000_000 + i).padStart(7, "0")}`;

describe("importing leads from CSV", () => {
  it("maps headers, normalises phones to E.164 and contacts to lowercase", async () => {
    const owner = await signIn("import.mapping@example.com");
    const csv = ["First Name,Surname,Mobile,E-mail,Telegram,Company,Deal size", "Olena,Koval,(067) 123-45-67,Olena@Example.COM,@Olena_K,Acme,big", "John,Smith,+1 415 555 0101,,,Globex,"].join("\n");
    const res = await importCsv(owner, csv);
    expect(res.status).toBe(200);
    const result = await jsonOf(res);
    expect(result.chunk).toMatchObject({ totalRows: 2, imported: 2, duplicates: 0, invalid: 0, errors: [] });
    expect(result.import).toMatchObject({ status: "completed", processedRows: 2, imported: 2 });
    const leads = await allLeads(owner);
    const olena = leads.find((l) => l.firstName === "Olena");
    expect(olena).toMatchObject({ lastName: "Koval", phone: "+380671234567", email: "olena@example.com", telegramUsername: "olena_k", company: "Acme", metadata: { "Deal size": "big" } });
    expect(leads.find((l) => l.firstName === "John")?.phone).toBe("+14155550101");
  });

  it("follows an explicit mapping over the automatic one", async () => {
    const owner = await signIn("import.explicit@example.com");
    const mapping = encodeURIComponent(JSON.stringify({ contact: "email", who: "fullName" }));
    const res = await importCsv(owner, "who,contact\nMaria Petrenko,maria@example.com\n", `?mapping=${mapping}`);
    expect((await jsonOf(res)).chunk.imported).toBe(1);
    expect((await allLeads(owner))[0]).toMatchObject({ firstName: "Maria", lastName: "Petrenko", email: "maria@example.com" });
  });

  it("reports bad rows with their true line numbers and imports the rest", async () => {
    const owner = await signIn("import.errors@example.com");
    const csv = [
      "name,phone,email,telegram",
      '"Koval, Olena",+380671234567,,', // line 2: quoted comma
      '"multi',
      'line",12,,', // lines 3–4: a quoted newline, then a bad phone
      "Ivan,,not-an-email,", // line 5
      "Petro,,,@x", // line 6: Telegram usernames are 5+ characters
      "Nobody,,,", // line 7: no contact at all
      "Good,,good@example.com,", // line 8
    ].join("\n");
    const result = await jsonOf(await importCsv(owner, csv));
    expect(result.chunk).toMatchObject({ totalRows: 6, imported: 2, invalid: 4 });
    const byLine = Object.fromEntries(result.chunk.errors.map((e: any) => [e.line, e.field]));
    expect(byLine).toEqual({ 3: "phone", 5: "email", 6: "telegramUsername", 7: "row" });
    expect((await allLeads(owner)).map((l) => l.firstName).sort()).toEqual(["Good", "Olena"]);

    const report = await call(`/dashboard/lead-imports/${result.import.id}/errors.csv`, { as: owner });
    expect(report.headers.get("content-type")).toContain("text/csv");
    const text = await report.text();
    expect(text.split("\n")[0]).toContain("line");
    expect(text).toContain("not-an-email");
  });

  it("strips a byte-order mark and reads semicolon-separated files", async () => {
    const owner = await signIn("import.bom@example.com");
    const result = await jsonOf(await importCsv(owner, "\uFEFFemail;company\nbom@example.com;\"Acme; Ltd\"\n"));
    expect(result.chunk.imported).toBe(1);
    expect((await allLeads(owner))[0]).toMatchObject({ email: "bom@example.com", company: "Acme; Ltd" });
  });

  it("skips duplicates within the file and against the org's existing leads", async () => {
    const owner = await signIn("import.dupes@example.com");
    await importCsv(owner, "phone,email\n+380671111111,a@example.com\n");
    const csv = ["phone,email", "+380671111111,new@example.com", "+380672222222,b@example.com", "067 222 2222,c@example.com", "+380673333333,B@example.com"].join("\n");
    const result = await jsonOf(await importCsv(owner, csv));
    expect(result.chunk).toMatchObject({ totalRows: 4, imported: 1, duplicates: 3, invalid: 0 });
    expect(result.chunk.duplicateRows).toEqual([
      { line: 2, reason: "existing_lead" },
      { line: 4, reason: "in_file", duplicateOfLine: 3 },
      { line: 5, reason: "in_file", duplicateOfLine: 3 },
    ]);
    expect(await allLeads(owner)).toHaveLength(2);
  });

  it("accepts a multipart upload from a file input", async () => {
    const owner = await signIn("import.multipart@example.com");
    const form = new FormData();
    form.set("file", new File(["email\nform@example.com\n"], "leads.csv", { type: "text/csv" }));
    const res = await call("/dashboard/leads/import?fileName=leads.csv", { method: "POST", as: owner, body: form });
    expect((await jsonOf(res)).import).toMatchObject({ fileName: "leads.csv", imported: 1 });
  });

  it("imports 10,000 rows in one request, in D1-sized batches", async () => {
    const owner = await signIn("import.tenk@example.com");
    const rows = Array.from({ length: 10_000 }, (_, i) => `Lead${i},${phoneOf(i)},lead${i}@example.com,Company ${i % 50}`);
    const res = await importCsv(owner, ["first_name,phone,email,company", ...rows].join("\n"));
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).chunk).toMatchObject({ totalRows: 10_000, imported: 10_000, duplicates: 0, invalid: 0 });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM leads WHERE org_id = ?").bind(owner.orgId).first<{ n: number }>();
    expect(count?.n).toBe(10_000);
  }, 60_000);

  it("refuses more than 10,000 rows in one request and points to chunked upload", async () => {
    const owner = await signIn("import.toomany@example.com");
    const rows = Array.from({ length: 10_001 }, (_, i) => `lead${i}@example.com`);
    const res = await importCsv(owner, ["email", ...rows].join("\n"));
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).detail).toContain("/lead-imports");
    expect(await allLeads(owner)).toHaveLength(0);
  });

  it("imports a big file in chunks with progress, and a retried chunk is not counted twice", async () => {
    const owner = await signIn("import.chunked@example.com");
    const job = await jsonOf(await call("/dashboard/lead-imports", { method: "POST", as: owner, json: { fileName: "big.csv", expectedRows: 6 } }));
    const header = "phone";
    const chunk1 = [header, phoneOf(1), phoneOf(2), phoneOf(3)].join("\n");
    const chunk2 = [header, phoneOf(4), "bad", phoneOf(5)].join("\n");
    const send = (csv: string, firstLine: number) => call(`/dashboard/lead-imports/${job.id}/chunks?firstLine=${firstLine}`, { method: "POST", as: owner, headers: { "content-type": "text/csv" }, body: csv });

    const first = await jsonOf(await send(chunk1, 1));
    expect(first.import).toMatchObject({ processedRows: 3, imported: 3, status: "open" });
    // The second chunk's header stands in for line 4 of the original file, so "bad" is line 6.
    const second = await jsonOf(await send(chunk2, 4));
    expect(second.chunk.errors).toEqual([expect.objectContaining({ line: 6, field: "phone" })]);
    expect(second.import).toMatchObject({ processedRows: 6, imported: 5, invalid: 1 });

    const retried = await jsonOf(await send(chunk2, 4));
    expect(retried.chunk.alreadyApplied).toBe(true);
    expect(retried.import).toMatchObject({ processedRows: 6, imported: 5 });

    const progress = await jsonOf(await call(`/dashboard/lead-imports/${job.id}`, { as: owner }));
    expect(progress).toMatchObject({ expectedRows: 6, processedRows: 6 });
    const done = await jsonOf(await call(`/dashboard/lead-imports/${job.id}/complete`, { method: "POST", as: owner }));
    expect(done.status).toBe("completed");
    expect((await send(chunk1, 10)).status).toBe(409);
  });
});
