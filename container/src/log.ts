/**
 * One JSON line per event on stdout/stderr. Callers pass fields, never whole requests: session
 * strings, login codes, passwords and the pool secret must not reach a log.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function jsonLogger(level: "info" | "warn" | "error" | "silent" = "info"): Logger {
  const rank = { info: 0, warn: 1, error: 2, silent: 3 }[level];
  const write = (at: "info" | "warn" | "error", event: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields });
    if (at === "info") console.log(line);
    else console.error(line);
  };
  return {
    info: (event, fields) => rank <= 0 && write("info", event, fields),
    warn: (event, fields) => rank <= 1 && write("warn", event, fields),
    error: (event, fields) => rank <= 2 && write("error", event, fields),
  };
}
