import { verifyToken } from "@clerk/backend";
import { createRemoteJWKSet, decodeProtectedHeader, importSPKI, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSandbox, type Sandbox } from "../harness/server";
import { createClerkStandIn } from "./stand-in";

const MintResponse = z.object({ token: z.string(), userId: z.string(), sessionId: z.string() });
const Times = z.object({ iat: z.number(), nbf: z.number(), exp: z.number() });

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

async function mintOverHttp(body: unknown) {
  const response = await fetch(`${sandbox.url}/clerk/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return MintResponse.parse(await response.json());
}

async function pemOverHttp() {
  const response = await fetch(`${sandbox.url}/clerk/jwt-key`);
  return importSPKI(await response.text(), "RS256");
}

const jwksOverHttp = () => createRemoteJWKSet(new URL(`${sandbox.url}/clerk/.well-known/jwks.json`));

describe("Clerk stand-in over HTTP", () => {
  it("mints a token that verifies with the published JWKS and the PEM, carrying the claims asked for", async () => {
    const minted = await mintOverHttp({ email: "ada@example.com", name: "Ada", azp: "http://localhost:4321" });
    const expected = { issuer: "https://clerk.noir.local", algorithms: ["RS256"] };
    const viaJwks = await jwtVerify(minted.token, jwksOverHttp(), expected);
    const viaPem = await jwtVerify(minted.token, await pemOverHttp(), expected);

    for (const { payload, protectedHeader } of [viaJwks, viaPem]) {
      expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT", kid: sandbox.clerk.keyId });
      expect(payload).toMatchObject({
        iss: "https://clerk.noir.local",
        sub: minted.userId,
        sid: minted.sessionId,
        azp: "http://localhost:4321",
        email: "ada@example.com",
        name: "Ada",
        v: 2,
      });
      const { iat, nbf, exp } = Times.parse(payload);
      expect(exp - iat).toBe(60);
      expect(nbf).toBeLessThanOrEqual(iat);
    }
    expect(minted.userId).toMatch(/^user_[A-Za-z0-9]{27}$/);
    expect(minted.sessionId).toMatch(/^sess_[A-Za-z0-9]{27}$/);
  });

  it("honours a requested lifetime and defaults azp to the wrangler dev origin", async () => {
    const minted = await mintOverHttp({ expiresInSeconds: 600 });
    const { payload } = await jwtVerify(minted.token, await pemOverHttp());
    const { iat, exp } = Times.parse(payload);
    expect(exp - iat).toBe(600);
    expect(payload.azp).toBe("http://localhost:8787");
  });

  it("keeps one user id per email, as a returning Clerk user", async () => {
    const first = await mintOverHttp({ email: "grace@example.com" });
    const second = await mintOverHttp({ email: "grace@example.com" });
    expect(second.userId).toBe(first.userId);
    expect(second.sessionId).not.toBe(first.sessionId);
  });

  it("rejects a malformed mint request with Clerk's error shape", async () => {
    const response = await fetch(`${sandbox.url}/clerk/sessions`, {
      method: "POST",
      body: JSON.stringify({ email: "not-an-email", expiresInSeconds: -5 }),
    });
    expect(response.status).toBe(422);
    const body = z.object({ errors: z.array(z.object({ code: z.string() })) }).parse(await response.json());
    expect(body.errors[0]?.code).toBe("form_param_format_invalid");
  });

  it("serves the Backend API JWKS only to the secret key", async () => {
    const anonymous = await fetch(`${sandbox.url}/clerk/v1/jwks`);
    expect(anonymous.status).toBe(401);
    const authorised = await fetch(`${sandbox.url}/clerk/v1/jwks`, {
      headers: { authorization: `Bearer ${sandbox.clerk.secretKey}` },
    });
    expect(authorised.status).toBe(200);
    expect(await authorised.json()).toEqual(sandbox.clerk.jwks);
  });

  it("rejects expired and forged tokens, whichever way the verifier gets the key", async () => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const expired = await sandbox.clerk.mintSessionToken({ issuedAt: hourAgo });
    const forged = await sandbox.clerk.mintSessionToken({ signWithForeignKey: true });
    expect(decodeProtectedHeader(forged.token).kid).toBe(sandbox.clerk.keyId);

    for (const key of [jwksOverHttp(), await pemOverHttp()]) {
      await expect(jwtVerify(expired.token, key)).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
      await expect(jwtVerify(forged.token, key)).rejects.toMatchObject({
        code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
      });
    }
  });
});

describe("Clerk stand-in against @clerk/backend", () => {
  it("is accepted by verifyToken with the PEM as jwtKey and the azp allowed", async () => {
    const { token, userId } = await sandbox.clerk.mintSessionToken({ email: "lin@example.com" });
    const jwtKey = await (await fetch(`${sandbox.url}/clerk/jwt-key`)).text();
    expect(sandbox.env.CLERK_JWT_KEY).toBe(jwtKey);
    const claims = await verifyToken(token, { jwtKey, authorizedParties: ["http://localhost:8787"] });
    expect(claims.sub).toBe(userId);
  });

  it("is accepted by verifyToken fetching keys from the Backend API the printed variables name", async () => {
    const { token, userId } = await sandbox.clerk.mintSessionToken();
    const claims = await verifyToken(token, {
      secretKey: sandbox.env.CLERK_SECRET_KEY,
      apiUrl: sandbox.env.CLERK_API_URL,
      skipJwksCache: true,
    });
    expect(claims.sub).toBe(userId);
    expect(sandbox.requests("clerk").at(-1)).toMatchObject({ method: "GET", path: "/v1/jwks", status: 200 });
  });

  it("is refused by verifyToken for another app origin, an unpublished key or another issuer", async () => {
    const jwtKey = sandbox.clerk.publicKeyPem;
    const options = { jwtKey, authorizedParties: ["http://localhost:8787"], issuer: sandbox.clerk.issuer };
    const wrongAzp = await sandbox.clerk.mintSessionToken({ azp: "https://evil.example" });
    const forged = await sandbox.clerk.mintSessionToken({ signWithForeignKey: true });
    const wrongIssuer = await sandbox.clerk.mintSessionToken({ issuer: "https://clerk.other.dev" });
    const refusal = (reason: string) => expect.objectContaining({ reason });
    await expect(verifyToken(wrongAzp.token, options)).rejects.toEqual(refusal("token-invalid-authorized-parties"));
    await expect(verifyToken(forged.token, options)).rejects.toEqual(refusal("token-invalid-signature"));
    await expect(verifyToken(wrongIssuer.token, options)).rejects.toEqual(refusal("token-invalid-issuer"));
  });
});

describe("Clerk stand-in without a server", () => {
  it("publishes a key whose publishable key decodes to the issuer's host", async () => {
    const clerk = await createClerkStandIn({ frontendApiHost: "clerk.example.test" });
    expect(clerk.publishableKey).toMatch(/^pk_test_[A-Za-z0-9+/]+$/);
    const decoded = Buffer.from(clerk.publishableKey.slice("pk_test_".length), "base64").toString();
    expect(decoded).toBe("clerk.example.test$");
    expect(clerk.issuer).toBe("https://clerk.example.test");
  });

  it("stamps tokens from the injected clock and rejects them once it has moved on", async () => {
    const issuedAtMs = Date.UTC(2030, 0, 1);
    const clerk = await createClerkStandIn({ now: () => issuedAtMs });
    const { token } = await clerk.mintSessionToken();
    const key = await importSPKI(clerk.publicKeyPem, "RS256");
    const at = (seconds: number) => new Date(issuedAtMs + seconds * 1000);
    await expect(jwtVerify(token, key, { currentDate: at(30) })).resolves.toBeTruthy();
    await expect(jwtVerify(token, key, { currentDate: at(61) })).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
  });
});
