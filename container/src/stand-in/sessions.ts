import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Session strings the stand-in hands out at sign-in. They are opaque to the pool, like gramjs
 * StringSessions, and carry the phone they belong to under an HMAC, so the stand-in recognises
 * its own sessions after a restart (the Worker keeps them in its database) and refuses any other.
 */
const PREFIX = "sbx1";

export interface SessionClaims {
  phone: string;
}

export class SessionMint {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = createHmac("sha256", secret).update("noir telegram stand-in sessions").digest();
  }

  issue(claims: SessionClaims): string {
    const payload = Buffer.from(JSON.stringify({ p: claims.phone, n: randomBytes(12).toString("hex") })).toString("base64url");
    return `${PREFIX}.${payload}.${this.#sign(payload)}`;
  }

  /** The claims of a session this stand-in issued, or null for anything else. */
  read(session: string): SessionClaims | null {
    const [prefix, payload, signature, ...rest] = session.split(".");
    if (prefix !== PREFIX || !payload || !signature || rest.length) return null;
    const expected = Buffer.from(this.#sign(payload), "base64url");
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      if (typeof claims === "object" && claims !== null && "p" in claims && typeof claims.p === "string") return { phone: claims.p };
    } catch {
      // Signed by us but unreadable cannot happen; treat it as unknown all the same.
    }
    return null;
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.#key).update(payload).digest("base64url");
  }
}
