import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, expect, it } from "vitest";
import { bins, builtWranglerConfig, quietEnv, repoRoot } from "../../scripts/stack/paths.mjs";

// Cloudflare's limit on a Worker's compressed size: 3 MB on the Free plan, 10 MB on Paid
// (https://developers.cloudflare.com/workers/platform/limits/#worker-size). We hold the
// bundle under the Free limit, so the product deploys on either plan.
const FREE_PLAN_LIMIT = 3 * 1000 * 1000;
const PAID_PLAN_LIMIT = 10 * 1000 * 1000;

const outdir = await mkdtemp(join(tmpdir(), "noir-deploy-"));
afterAll(() => rm(outdir, { recursive: true, force: true }));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Every module wrangler would upload (source maps travel separately and have their own limit). */
async function uploadedModules(dir: string): Promise<Buffer[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const modules = entries.filter((e) => e.isFile() && /\.(m?js|cjs|wasm)$/.test(e.name));
  return Promise.all(modules.map((e) => readFile(join(e.parentPath, e.name))));
}

it("the built Worker passes `wrangler deploy --dry-run` and fits the Free plan's size limit", async () => {
  // `astro build` ran in the global setup; this is `npm run deploy` minus the upload.
  const result = spawnSync(
    process.execPath,
    [bins.wrangler, "deploy", "--dry-run", "--outdir", outdir, "--containers-rollout=none", "--config", builtWranglerConfig],
    { cwd: repoRoot, env: { ...process.env, ...quietEnv }, encoding: "utf8", timeout: 120_000 },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, output).toBe(0);
  expect(output).toContain("--dry-run: exiting now.");

  const modules = await uploadedModules(outdir);
  expect(modules.length).toBeGreaterThan(0);
  const raw = modules.reduce((sum, m) => sum + m.byteLength, 0);
  const gzipped = gzipSync(Buffer.concat(modules), { level: 9 }).byteLength;
  // Wrangler's own figure, as printed before an upload ("Total Upload: … / gzip: … KiB").
  const reported = /gzip: ([\d.]+) KiB/.exec(output)?.[1];

  console.log(
    `[deploy] ${modules.length} modules, ${kib(raw)} raw, ${kib(gzipped)} gzipped` +
      `${reported ? ` (wrangler reports ${reported} KiB)` : ""}; ` +
      `limits: Free ${kib(FREE_PLAN_LIMIT)}, Paid ${kib(PAID_PLAN_LIMIT)}`,
  );
  expect(gzipped).toBeLessThan(FREE_PLAN_LIMIT);
  if (reported) expect(Number(reported) * 1024).toBeLessThan(FREE_PLAN_LIMIT);
});
