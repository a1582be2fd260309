import { call, jsonOf } from "./client";

export interface Operation {
  method: string;
  /** As in the OpenAPI document, e.g. "/api/dashboard/scripts/{id}". */
  path: string;
  key: string;
  params: string[];
  requestBody?: { content: Record<string, { schema: any }> };
  parameters: { name: string; in: string; required?: boolean; schema?: any }[];
}

/** Every operation the API documents; tests that must cover "every route" start from here. */
export async function listOperations(): Promise<{ operations: Operation[]; doc: any }> {
  const doc = await jsonOf(await call("/openapi.json"));
  const operations: Operation[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        requestBody: op.requestBody,
        parameters: op.parameters ?? [],
      });
    }
  }
  return { operations, doc };
}

export const dashboardOperations = async () => (await listOperations()).operations.filter((op) => op.path.startsWith("/api/dashboard/"));

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(v);
  });
}
