#!/usr/bin/env node
// `npm start`: the whole product on localhost, offline — site build, local D1 migrations,
// the provider sandbox, `wrangler dev`, and a seeded demo org. Ctrl-C stops everything.
import { seedDemo } from "./seed.mjs";
import { demoUser } from "./seed-data/demo.mjs";
import { startStack } from "./stack/index.mjs";

const port = Number(process.env.PORT ?? 8787);
const stack = await startStack({ port, sandboxConfigFile: true }).catch((error) => {
  console.error(`[noir] could not start: ${error.message}`);
  process.exit(1);
});

let stopping;
const shutdown = (code) => {
  stopping ??= stack.stop().finally(() => process.exit(code));
  return stopping;
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.once(signal, () => void shutdown(0));
void stack.exited.then(({ code, signal }) => {
  if (stopping) return;
  console.error(`[noir] wrangler dev stopped (${signal ?? `exit ${code}`}); shutting down`);
  void shutdown(1);
});

try {
  await seedDemo(stack.url, { log: (line) => console.log(`[seed] ${line}`) });
} catch (error) {
  console.error(`[seed] failed: ${error.message}`);
  await shutdown(1);
}

const { astroBuildMs, migrationsMs, devReadyMs } = stack.timings;
console.log(`
  Noir is running at ${stack.url}
  Dashboard:  ${stack.url}/dashboard  — sign in as ${demoUser.email}
  Sandbox:    ${stack.sandbox?.url ?? "not present"}
  (astro build ${astroBuildMs} ms · migrations ${migrationsMs} ms · wrangler dev ready ${devReadyMs} ms)
  Press Ctrl-C to stop.
`);
