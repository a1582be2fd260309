import { spawn } from "node:child_process";
import { quietEnv, repoRoot } from "./paths.mjs";

/**
 * Runs a Node CLI to completion. Output is streamed with a prefix (or collected and shown only
 * on failure when `quiet`), so a failed step explains itself.
 */
export function runNode(label, script, args, { env = {}, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...quietEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const captured = [];
    const sink = (chunk) => (quiet ? captured.push(chunk) : writePrefixed(label, chunk));
    child.stdout.on("data", sink);
    child.stderr.on("data", sink);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) return resolve();
      if (quiet) process.stderr.write(Buffer.concat(captured));
      reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * Starts a long-running Node CLI in its own process group, so stopping it also stops what it
 * spawned (wrangler's workerd). Returns the child and a `stop()` that resolves once it is gone.
 */
export function startNode(label, script, args, { env = {}, quiet = false } = {}) {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...quietEnv, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const recent = [];
  const sink = (chunk) => {
    recent.push(chunk);
    if (recent.length > 200) recent.shift();
    if (!quiet) writePrefixed(label, chunk);
  };
  child.stdout.on("data", sink);
  child.stderr.on("data", sink);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    // The group may outlive its leader for a moment (workerd); make sure nothing stays behind.
    signalGroup(child.pid, "SIGKILL");
  }
  return { child, exited, stop, output: () => Buffer.concat(recent).toString("utf8") };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== "ESRCH") throw error;
  }
}

function writePrefixed(label, chunk) {
  const text = chunk.toString("utf8").replace(/\n$/, "");
  process.stdout.write(text.split("\n").map((line) => `[${label}] ${line}`).join("\n") + "\n");
}
