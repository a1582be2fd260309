import { buildSite } from "../../scripts/stack/steps.mjs";

/**
 * Builds the site (and with it the Worker bundle) once for the browser and deploy tests, so
 * test files never race each other rewriting site/dist.
 */
export default async function setup(): Promise<void> {
  const started = performance.now();
  await buildSite({ quiet: true });
  console.log(`[browser tests] astro build: ${Math.round(performance.now() - started)} ms`);
}
