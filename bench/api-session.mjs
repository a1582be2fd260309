/** A signed-in dev session against a running stack, for benchmarks. */
export async function signInAs(baseUrl, email) {
  const res = await fetch(`${baseUrl}/api/auth/dev/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name: "Bench" }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  return { cookie, org: (await res.json()).org };
}

export async function postCsv(baseUrl, path, cookie, csv) {
  const res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { cookie, "content-type": "text/csv" }, body: csv });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Distinct, valid Ukrainian mobile numbers and addresses, so every row imports. */
export function leadRows(count, offset = 0) {
  const rows = ["first_name,last_name,phone,email,company"];
  for (let i = offset; i < offset + count; i++) {
    rows.push(`Name${i},Surname${i % 997},+3806${7 + (i % 3)}${String(i).padStart(7, "0")},lead${i}@bench.example,Company ${i % 311}`);
  }
  return rows.join("\n");
}
