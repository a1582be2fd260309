import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

/** One line naming the machine, quoted with every figure. */
export function describeMachine() {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${cpu.trim()}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Pids of running workerd processes (the runtime behind `wrangler dev`). */
export function workerdPids() {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "workerd") pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Peak and current resident memory of a process, in MiB, from /proc (VmHWM, VmRSS). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peakMiB: kib("VmHWM") / 1024, rssMiB: kib("VmRSS") / 1024 };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU seconds this process used since `start` (a `process.cpuUsage()` reading). */
export function cpuDelta(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Fields of /proc/<pid>/stat after the command name: [0] is the state, [1] the parent pid. */
function statOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  } catch {
    return null;
  }
}

export const parentOf = (pid) => Number(statOf(pid)?.[1] ?? 0);

/** Whether `ancestor` started `pid`, directly or through a few launchers (bin shims, wrangler's CLI). */
export function descendsFrom(pid, ancestor) {
  for (let p = parentOf(pid), depth = 0; p > 1 && depth < 6; p = parentOf(p), depth++) if (p === ancestor) return true;
  return false;
}

/** utime + stime of these processes together, in seconds (clock ticks are 100 a second on Linux). */
export function cpuSecondsOf(pids) {
  if (pids.length === 0) return NaN;
  return pids.reduce((sum, pid) => {
    const fields = statOf(pid);
    return sum + (fields ? (Number(fields[11]) + Number(fields[12])) / 100 : NaN);
  }, 0);
}
