import { leadRows, postCsv, signInAs } from "./api-session.mjs";
import { memoryOf } from "./machine.mjs";

const CHUNK = 10_000;

/**
 * Imports `rows` leads into a fresh org through the public API: one request when it fits,
 * else the chunked upload a browser would make. Returns throughput and workerd's peak memory.
 */
export async function benchImport(baseUrl, rows, workerdPid) {
  const { cookie } = await signInAs(baseUrl, `import-${rows}-${Date.now()}@bench.example`);
  const started = performance.now();
  let imported = 0;
  const chunkMs = [];
  if (rows <= CHUNK) {
    const t = performance.now();
    imported = (await postCsv(baseUrl, "/api/dashboard/leads/import", cookie, leadRows(rows))).chunk.imported;
    chunkMs.push(performance.now() - t);
  } else {
    const job = await (await fetch(`${baseUrl}/api/dashboard/lead-imports`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ fileName: "bench.csv", expectedRows: rows }) })).json();
    for (let offset = 0; offset < rows; offset += CHUNK) {
      const t = performance.now();
      // Line of the chunk's header in the original file: the file header is line 1.
      const result = await postCsv(baseUrl, `/api/dashboard/lead-imports/${job.id}/chunks?firstLine=${offset + 1}`, cookie, leadRows(Math.min(CHUNK, rows - offset), offset));
      chunkMs.push(performance.now() - t);
      imported = result.import.imported;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (imported !== rows) throw new Error(`imported ${imported} of ${rows}`);
  return { rows, seconds, rowsPerSecond: rows / seconds, chunkMs, memory: workerdPid ? memoryOf(workerdPid) : null, cookie };
}
