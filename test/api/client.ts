import { exports } from "cloudflare:workers";

export const ORIGIN = "http://localhost:8787";

export interface Caller {
  /** Cookie or Authorization headers that identify the caller. */
  headers: Record<string, string>;
  orgId: string;
  email: string;
}

/** A request to the Worker's public fetch handler, as a browser or API client would send it. */
export async function call(path: string, init: RequestInit & { as?: Caller; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(init.as?.headers ?? {})) headers.set(k, v);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`${ORIGIN}/api${path}`, { ...init, headers, body }));
}

export async function jsonOf<T = any>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 200)}`);
  }
}

/** Signs in through the dev sign-in and returns a caller carrying its session cookie. */
export async function signIn(email: string, name = "Test User"): Promise<Caller> {
  const res = await call("/auth/dev/sign-in", { method: "POST", json: { email, name } });
  if (res.status !== 200) throw new Error(`dev sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("dev sign-in set no cookie");
  const body = await jsonOf<{ org: { id: string } }>(res);
  return { headers: { cookie }, orgId: body.org.id, email };
}

export function withBearer(token: string): Caller {
  return { headers: { authorization: `Bearer ${token}` }, orgId: "", email: "" };
}

/** Creates a resource and returns its JSON, failing loudly when the API refuses. */
export async function create<T = any>(as: Caller, path: string, json: unknown): Promise<T> {
  const res = await call(path, { method: "POST", as, json });
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
  return jsonOf<T>(res);
}
