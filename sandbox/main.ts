/**
 * `tsx sandbox/main.ts`: starts every stand-in on one port and prints one line with the
 * URL and the variables that point the Worker at it (paste them into .dev.vars).
 */
import { defaultConfigPath } from "./harness/config";
import { startSandbox } from "./harness/server";

const sandbox = await startSandbox({ configFile: defaultConfigPath });

// Double-quoted with escaped newlines, as .dev.vars (dotenv) reads a multi-line PEM.
const vars = Object.entries(sandbox.env).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
console.log(`Noir sandbox on ${sandbox.url}  ${vars.join(" ")}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
