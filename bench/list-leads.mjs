import autocannon from "autocannon";
import { percentile } from "./machine.mjs";

/** Walks the list to the page that starts at `depth`, returning its cursor. */
export async function cursorAt(baseUrl, cookie, depth) {
  let cursor = null;
  for (let seen = 0; seen < depth; seen += 100) {
    const res = await fetch(`${baseUrl}/api/dashboard/leads?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers: { cookie } });
    const page = await res.json();
    if (!page.nextCursor) throw new Error(`list ended before ${depth}`);
    cursor = page.nextCursor;
  }
  return cursor;
}

/** `connections` clients hammer one URL for `seconds`; latencies measured per response. */
export async function loadTest(url, cookie, { connections = 20, seconds = 10 } = {}) {
  const latencies = [];
  const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status !== 200) throw new Error(`${url} answered ${status}`);
    latencies.push(ms);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.non2xx,
  };
}
