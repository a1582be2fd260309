import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { devVarsExamplePath, devVarsPath } from "./paths.mjs";

/**
 * Creates .dev.vars from .dev.vars.example on first run: every empty `*_SECRET` gets 32 fresh
 * random bytes (hex), and TELEGRAM_SESSION_KEY 32 in base64, so no two checkouts share a key. An existing file is left alone.
 * Returns true when it wrote the file.
 */
export function ensureDevVars({ path = devVarsPath, examplePath = devVarsExamplePath } = {}) {
  const example = readFileSync(examplePath, "utf8");
  const fill = (text) =>
    text
      .replace(/^([A-Z0-9_]+_SECRET)=[ \t]*$/gm, (_line, key) => `${key}=${randomBytes(32).toString("hex")}`)
      .replace(/^(TELEGRAM_SESSION_KEY)=[ \t]*$/gm, (_line, key) => `${key}=${randomBytes(32).toString("base64")}`);
  if (!existsSync(path)) {
    writeFileSync(path, fill(example), { mode: 0o600 });
    return true;
  }
  // A checkout from before a variable existed gets it appended, values the developer set untouched.
  const current = readFileSync(path, "utf8");
  const known = parseEnv(current);
  const missing = example.split("\n").filter((line) => /^[A-Z0-9_]+=/.test(line) && !(line.split("=")[0] in known));
  if (missing.length === 0) return false;
  writeFileSync(path, `${current.replace(/\n?$/, "\n")}\n# Added from .dev.vars.example\n${fill(missing.join("\n"))}\n`, { mode: 0o600 });
  return true;
}

/** The variables a dotenv file sets (Node's own parser, the same syntax wrangler reads). */
export function readDevVars(path = devVarsPath) {
  return existsSync(path) ? parseEnv(readFileSync(path, "utf8")) : {};
}

/**
 * Sandbox variables the developer has not set: a real key in .dev.vars wins over the
 * stand-in, so pointing one provider at the real service is a one-line change.
 */
export function sandboxOverrides(sandboxEnv, devVars) {
  return Object.fromEntries(Object.entries(sandboxEnv).filter(([key]) => !devVars[key]?.trim()));
}
