import { randomInt } from "node:crypto";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { clerkId, publishableKeyFor, secretKey as makeSecretKey, tokenId } from "./ids";

export interface ClerkStandInOptions {
  /** The Frontend API host the publishable key encodes; the issuer is `https://<host>`. */
  frontendApiHost?: string;
  /** `azp` when a mint names none: the origin of `wrangler dev`. */
  defaultAzp?: string;
  /** Clerk's default session token lifetime is 60 s. */
  tokenLifetimeSeconds?: number;
  secretKey?: string;
  /** Seeded stream for ids; defaults to crypto randomness. */
  random?: () => number;
  /** Clock in milliseconds, injectable for tests about expiry. */
  now?: () => number;
}

export interface MintOptions {
  /** Defaults to the user already minted for `email`, else a new `user_…`. */
  userId?: string;
  sessionId?: string;
  /** Custom claims our Clerk session-token template adds. */
  email?: string;
  name?: string;
  /** The app origin; `null` omits the claim, as Clerk does when the Origin header is empty. */
  azp?: string | null;
  expiresInSeconds?: number;
  /** Unix seconds; set it in the past to mint an already expired token. */
  issuedAt?: number;
  /** Unix seconds; defaults to 10 s before `issuedAt`, Clerk's allowance for clock skew. */
  notBefore?: number;
  /** Overrides `iss`, for wrong-issuer tokens. */
  issuer?: string;
  /** Signs with a key that is never published (same `kid`), i.e. a forged token. */
  signWithForeignKey?: boolean;
  /** Extra claims merged last, for shapes the options above do not cover. */
  claims?: Record<string, unknown>;
}

/** Version 2 session token claims: https://clerk.com/docs/guides/sessions/session-tokens */
export interface SessionClaims {
  azp?: string;
  exp: number;
  fva: [number, number];
  iat: number;
  iss: string;
  jti: string;
  nbf: number;
  sid: string;
  sts: "active";
  sub: string;
  v: 2;
  email?: string;
  name?: string;
  [claim: string]: unknown;
}

export interface MintedSession {
  token: string;
  userId: string;
  sessionId: string;
  claims: SessionClaims;
}

export interface ClerkStandIn {
  readonly issuer: string;
  readonly frontendApiHost: string;
  readonly publishableKey: string;
  /** Backend API key; `GET /clerk/v1/jwks` requires it as a bearer token, as Clerk does. */
  readonly secretKey: string;
  /** The `kid` of every token and of the published key. */
  readonly keyId: string;
  /** SPKI PEM of the signing key: the value our Worker takes as `CLERK_JWT_KEY`. */
  readonly publicKeyPem: string;
  readonly jwks: { keys: JWK[] };
  mintSessionToken(options?: MintOptions): Promise<MintedSession>;
}

const cryptoRandom = () => randomInt(0x1_0000_0000) / 0x1_0000_0000;

/**
 * A Clerk instance without a server: keys, publishable key and token minting. Worker tests
 * use it from a vitest globalSetup; the sandbox serves the same object over HTTP.
 */
export async function createClerkStandIn(options: ClerkStandInOptions = {}): Promise<ClerkStandIn> {
  const random = options.random ?? cryptoRandom;
  const now = options.now ?? Date.now;
  const frontendApiHost = options.frontendApiHost ?? "clerk.noir.local";
  const issuer = `https://${frontendApiHost}`;
  const defaultAzp = options.defaultAzp ?? "http://localhost:8787";
  const lifetime = options.tokenLifetimeSeconds ?? 60;
  const keyId = clerkId("ins", random);

  // Keys live in memory for the life of the process and are never written anywhere.
  const [signing, foreign] = await Promise.all([
    generateKeyPair("RS256", { extractable: true, modulusLength: 2048 }),
    generateKeyPair("RS256", { extractable: true, modulusLength: 2048 }),
  ]);
  const publicKeyPem = await exportSPKI(signing.publicKey);
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: keyId, alg: "RS256", use: "sig" };

  // A user keeps one id per email across mints, as a returning Clerk user does.
  const usersByEmail = new Map<string, string>();

  async function mintSessionToken(mint: MintOptions = {}): Promise<MintedSession> {
    const known = mint.email === undefined ? undefined : usersByEmail.get(mint.email);
    const userId = mint.userId ?? known ?? clerkId("user", random);
    if (mint.email !== undefined) usersByEmail.set(mint.email, userId);
    const sessionId = mint.sessionId ?? clerkId("sess", random);
    const iat = mint.issuedAt ?? Math.floor(now() / 1000);
    const azp = mint.azp === undefined ? defaultAzp : mint.azp;
    const claims: SessionClaims = {
      ...(azp === null ? {} : { azp }),
      exp: iat + (mint.expiresInSeconds ?? lifetime),
      fva: [0, -1],
      iat,
      iss: mint.issuer ?? issuer,
      jti: tokenId(random),
      nbf: mint.notBefore ?? iat - 10,
      sid: sessionId,
      sts: "active",
      sub: userId,
      v: 2,
      ...(mint.email === undefined ? {} : { email: mint.email }),
      ...(mint.name === undefined ? {} : { name: mint.name }),
      ...mint.claims,
    };
    const key: CryptoKey = mint.signWithForeignKey ? foreign.privateKey : signing.privateKey;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
      .sign(key);
    return { token, userId, sessionId, claims };
  }

  return {
    issuer,
    frontendApiHost,
    publishableKey: publishableKeyFor(frontendApiHost),
    secretKey: options.secretKey ?? makeSecretKey(random),
    keyId,
    publicKeyPem,
    jwks: { keys: [jwk] },
    mintSessionToken,
  };
}
