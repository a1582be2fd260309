#!/usr/bin/env node
// `npm run bench`: CSV import and lead-list latency against the real local stack (wrangler dev,
// local D1) on loopback. Prints figures and a one-line summary; not a test, gates nothing.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { builtWranglerConfig } from "../scripts/stack/paths.mjs";
import { startStack } from "../scripts/stack/index.mjs";
import { benchImport } from "./csv-import.mjs";
import { cursorAt, loadTest } from "./list-leads.mjs";
import { describeMachine, workerdPids } from "./machine.mjs";

const persistTo = mkdtempSync(path.join(os.tmpdir(), "noir-bench-"));
const before = new Set(workerdPids());
const stack = await startStack({ port: 8797, persistTo, build: !existsSync(builtWranglerConfig), quiet: true });
const workerdPid = workerdPids().find((pid) => !before.has(pid));
const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

try {
  console.log(`machine: ${describeMachine()}`);
  console.log(`stack: wrangler dev + local D1 at ${stack.url}\n`);

  const small = await benchImport(stack.url, 10_000, workerdPid);
  console.log(`CSV import 10,000 rows (one request):  ${fmt(small.seconds, 2)} s, ${fmt(small.rowsPerSecond)} rows/s, workerd peak RSS ${fmt(small.memory?.peakMiB ?? NaN)} MiB`);
  const big = await benchImport(stack.url, 100_000, workerdPid);
  const slowest = Math.max(...big.chunkMs);
  console.log(`CSV import 100,000 rows (10 chunks):   ${fmt(big.seconds, 2)} s, ${fmt(big.rowsPerSecond)} rows/s, slowest chunk ${fmt(slowest)} ms, workerd peak RSS ${fmt(big.memory?.peakMiB ?? NaN)} MiB`);

  const single = await loadTest(`${stack.url}/api/dashboard/leads?limit=50`, big.cookie, { connections: 1, seconds: 5 });
  const first = await loadTest(`${stack.url}/api/dashboard/leads?limit=50`, big.cookie);
  const deepCursor = await cursorAt(stack.url, big.cookie, 90_000);
  const deep = await loadTest(`${stack.url}/api/dashboard/leads?limit=50&cursor=${deepCursor}`, big.cookie);
  console.log(`\nList leads, org of 100,000, one client for 5 s (the floor): p50 ${fmt(single.p50, 1)} ms  p95 ${fmt(single.p95, 1)} ms  ${fmt(single.rps)} req/s`);
  console.log(`List leads, org of 100,000, 20 concurrent clients for 10 s:`);
  console.log(`  first page:         p50 ${fmt(first.p50, 1)} ms  p95 ${fmt(first.p95, 1)} ms  p99 ${fmt(first.p99, 1)} ms  ${fmt(first.rps)} req/s  errors ${first.errors}`);
  console.log(`  page at row 90,000: p50 ${fmt(deep.p50, 1)} ms  p95 ${fmt(deep.p95, 1)} ms  p99 ${fmt(deep.p99, 1)} ms  ${fmt(deep.rps)} req/s  errors ${deep.errors}`);

  console.log(`\nsummary: import ${fmt(small.rowsPerSecond)} rows/s (10k) / ${fmt(big.rowsPerSecond)} rows/s (100k); list p95 first ${fmt(first.p95, 1)} ms, deep ${fmt(deep.p95, 1)} ms at 20 clients`);
} finally {
  await stack.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
