// Test support for mtproto.test.ts: a scripted Telegram behind the real gramjs client, and
// Telegram's side of the SRP password check.
import { createHash } from "node:crypto";
import { Api, type TelegramClient } from "telegram";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { RPCMessageToError } from "telegram/errors/index.js";
import { returnBigInt } from "telegram/Helpers.js";
import { computeDigest } from "telegram/Password.js";
import { StringSession } from "telegram/sessions/index.js";
import { buildTelegramClient } from "./mtproto.ts";

/**
 * The gramjs client, built as the pool builds it, with its network cut at `connect` and `invoke`:
 * every TL request the pool makes is recorded, and answered (or refused) the way Telegram's
 * servers answer, refusals going through gramjs's own RPCMessageToError as wire errors do.
 */
export class ScriptedTelegram {
  readonly requests: Api.AnyRequest[] = [];
  reachable = true;
  readonly clients: TelegramClient[] = [];
  answer: (request: Api.AnyRequest) => unknown = () => {
    throw new Error("no answer scripted");
  };

  makeClient = (session: StringSession, apiId: number, apiHash: string): TelegramClient => {
    const client = buildTelegramClient(session, apiId, apiHash);
    this.clients.push(client);
    Object.assign(client, {
      // What the DH handshake leaves behind on a fresh session: a DC and an authorisation key.
      connect: async () => {
        if (!this.reachable) return false; // what gramjs answers once its connection retries are spent
        if (!session.authKey) {
          session.setDC(2, "149.154.167.51", 443);
          session.authKey = await authKey(9);
        }
        return true;
      },
      destroy: async () => undefined,
      invoke: async (request: Api.AnyRequest) => {
        this.requests.push(request);
        return this.answer(request);
      },
    });
    return client;
  };

  of<T extends abstract new (...args: never[]) => Api.AnyRequest>(kind: T): InstanceType<T>[] {
    return this.requests.filter((r): r is InstanceType<T> => r instanceof kind);
  }
}

export function refuse(request: Api.AnyRequest, errorCode: number, errorMessage: string): never {
  throw RPCMessageToError(new Api.RpcError({ errorCode, errorMessage }), request);
}

async function authKey(fill: number): Promise<AuthKey> {
  const key = new AuthKey();
  await key.setKey(Buffer.alloc(256, fill));
  return key;
}

export async function signedInSession(): Promise<string> {
  const session = new StringSession("");
  session.setDC(2, "149.154.167.51", 443);
  session.authKey = await authKey(7);
  return session.save();
}

/** Telegram's side of SRP (https://core.telegram.org/api/srp), to check the proof gramjs computes. */
export class SrpServer {
  readonly algo = new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
    salt1: Buffer.alloc(40, 1),
    salt2: Buffer.alloc(16, 2),
    g: 3,
    p: Buffer.from(TELEGRAM_SRP_PRIME, "hex"),
  });
  readonly #b = BigInt(`0x${"5a".repeat(256)}`);
  #v = 0n;
  #B = 0n;

  async params(password: string, srpId: number): Promise<Api.account.Password> {
    const p = toBig(this.algo.p);
    this.#v = toBig(await computeDigest(this.algo, password));
    const k = toBig(sha256(pad(this.algo.p), pad(3n)));
    this.#B = (k * this.#v + modPow(3n, this.#b, p)) % p;
    return new Api.account.Password({
      hasPassword: true,
      currentAlgo: this.algo,
      srp_B: pad(this.#B),
      srpId: returnBigInt(srpId),
      hint: "pet's name",
      newAlgo: new Api.PasswordKdfAlgoUnknown(),
      newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
      secureRandom: Buffer.alloc(32),
    });
  }

  accepts(check: Api.TypeInputCheckPasswordSRP): boolean {
    if (!(check instanceof Api.InputCheckPasswordSRP)) return false;
    const p = toBig(this.algo.p);
    const A = toBig(check.A);
    const u = toBig(sha256(pad(A), pad(this.#B)));
    const S = modPow((A * modPow(this.#v, u, p)) % p, this.#b, p);
    const xorPG = Buffer.from(sha256(pad(p)).map((byte, i) => byte ^ (sha256(pad(3n))[i] ?? 0)));
    const M1 = sha256(xorPG, sha256(this.algo.salt1), sha256(this.algo.salt2), pad(A), pad(this.#B), sha256(pad(S)));
    return M1.equals(check.M1);
  }
}

// --- SRP arithmetic for the test's Telegram -------------------------------------------------

/** Telegram's 2048-bit SRP prime (https://core.telegram.org/api/srp), the one gramjs accepts. */
const TELEGRAM_SRP_PRIME =
  "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b";

function toBig(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString("hex") || "0"}`);
}

function pad(n: bigint | Buffer): Buffer {
  const hex = typeof n === "bigint" ? n.toString(16) : n.toString("hex");
  return Buffer.from(hex.padStart(512, "0"), "hex");
}

function sha256(...parts: Buffer[]): Buffer {
  return createHash("sha256").update(Buffer.concat(parts)).digest();
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
