#!/usr/bin/env node
// Seeds the demo org through the public HTTP API, exactly as a user would — so the seed
// exercises validation, tenancy and the CSV import instead of writing rows behind their back.
// Usage: node scripts/seed.mjs [baseUrl]   (default http://127.0.0.1:8787). Idempotent.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { campaignLeadCount, demoCampaign, demoScript, demoUser, demoVoice } from "./seed-data/demo.mjs";

const SESSION_COOKIE = "noir_dev_session";

/** A tiny client that signs in once and sends the session cookie on every later call. */
async function signIn(baseUrl) {
  const response = await fetch(new URL("/api/auth/dev/sign-in", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(demoUser),
  });
  await expectOk(response, "POST /api/auth/dev/sign-in");
  const session = response.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!session) throw new Error(`sign-in answered ${response.status} but set no ${SESSION_COOKIE} cookie`);
  const body = await response.json();

  async function call(method, path, { json, csv } = {}) {
    const headers = { cookie: session, accept: "application/json" };
    let payload;
    if (json !== undefined) [headers["content-type"], payload] = ["application/json", JSON.stringify(json)];
    if (csv !== undefined) [headers["content-type"], payload] = ["text/csv", csv];
    const res = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    await expectOk(res, `${method} ${path}`);
    return res.json();
  }
  return { org: body.org, call };
}

async function expectOk(response, what) {
  if (response.ok) return;
  const text = await response.text().catch(() => "");
  throw new Error(`${what} answered ${response.status}: ${text.slice(0, 500)}`);
}

/**
 * Signs in as the demo owner and, unless the org already has scripts, creates the demo
 * script, voice config, ~40 leads (CSV import), a draft campaign and its first leads.
 */
export async function seedDemo(baseUrl, { log = console.log } = {}) {
  const api = await signIn(baseUrl);
  const scripts = await api.call("GET", "/api/dashboard/scripts");
  if (scripts.items.length > 0) {
    log(`demo org "${api.org.name}" already has scripts: seed skipped`);
    return { skipped: true, org: api.org };
  }

  const csv = await readFile(new URL("./seed-data/leads.csv", import.meta.url), "utf8");
  const answer = await api.call("POST", "/api/dashboard/leads/import?fileName=demo-leads.csv", { csv });
  // The API reports the import job and this request's chunk; the counts are the chunk's.
  const imported = answer.chunk ?? answer;
  if (imported.invalid > 0) log(`lead import: ${imported.invalid} row(s) refused: ${JSON.stringify(imported.errors)}`);

  const script = await api.call("POST", "/api/dashboard/scripts", { json: demoScript });
  const voice = await api.call("POST", "/api/dashboard/voice-configs", { json: demoVoice });
  const campaign = await api.call("POST", "/api/dashboard/campaigns", {
    json: { ...demoCampaign, scriptId: script.id, voiceConfigId: voice.id },
  });

  const leads = await api.call("GET", "/api/dashboard/leads?limit=100");
  const leadIds = leads.items.slice(0, campaignLeadCount).map((lead) => lead.id);
  await api.call("POST", `/api/dashboard/campaigns/${campaign.id}/leads`, { json: { leadIds } });

  log(`seeded "${api.org.name}": ${imported.imported} leads (${imported.duplicates} duplicates), ` +
    `script, voice, campaign "${demoCampaign.name}" with ${leadIds.length} leads`);
  return { skipped: false, org: api.org, imported, scriptId: script.id, voiceConfigId: voice.id, campaignId: campaign.id, leadIds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await seedDemo(process.argv[2] ?? "http://127.0.0.1:8787");
}
