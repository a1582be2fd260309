/**
 * Cloudflare Turnstile's siteverify as our Worker calls it. Outcomes follow the token, so a test
 * chooses one by what it sends; the rules mirror the real service where it has one.
 * https://developers.cloudflare.com/turnstile/get-started/server-side-validation/
 * https://developers.cloudflare.com/turnstile/troubleshooting/testing/
 */

/** The sandbox widget's secret; anything else (but Cloudflare's test secrets) is `invalid-input-secret`. */
export const TURNSTILE_SANDBOX_SECRET = "0x4AAAAAAASandboxSecretKey0000000000";
export const TURNSTILE_SANDBOX_SITE_KEY = "0x4AAAAAAASandboxSiteKey";
/** What Cloudflare's test sitekeys hand the browser; it passes every time (never "spent"). */
export const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

/** Cloudflare's documented test secrets: always pass, always fail, always "already spent". */
const TEST_SECRETS: Record<string, string | null> = {
  "1x0000000000000000000000000000000AA": null,
  "2x0000000000000000000000000000000AA": "invalid-input-response",
  "3x0000000000000000000000000000000AA": "timeout-or-duplicate",
};

/** Tokens are at most 2048 characters. */
const MAX_TOKEN_LENGTH = 2048;

export interface SiteverifyInput {
  secret?: string | undefined;
  response?: string | undefined;
  remoteip?: string | undefined;
}

export type SiteverifyAnswer =
  | { success: true; "error-codes": []; challenge_ts: string; hostname: string; action: string; cdata: string; metadata: { ephemeral_id: string } }
  | { success: false; "error-codes": string[]; messages: [] };

export interface SiteverifyCheck extends SiteverifyInput {
  success: boolean;
  errorCodes: string[];
}

export interface TurnstileStandIn {
  secretKey: string;
  siteKey: string;
  dummyToken: string;
  verify(input: SiteverifyInput): SiteverifyAnswer;
  /** Every check so far, oldest first (the secret left out). */
  checks(): Omit<SiteverifyCheck, "secret">[];
  clear(): void;
}

export function createTurnstileStandIn({ random, now = () => new Date() }: { random: () => number; now?: () => Date }): TurnstileStandIn {
  const spent = new Set<string>();
  const log: Omit<SiteverifyCheck, "secret">[] = [];

  const refuse = (codes: string[]): SiteverifyAnswer => ({ success: false, "error-codes": codes, messages: [] });
  const pass = (): SiteverifyAnswer => ({
    success: true,
    "error-codes": [],
    challenge_ts: now().toISOString(),
    hostname: "localhost",
    action: "",
    cdata: "",
    metadata: { ephemeral_id: `x:${Math.floor(random() * 2 ** 48).toString(16).padStart(12, "0")}` },
  });

  function decide({ secret, response }: SiteverifyInput): SiteverifyAnswer {
    const missing = [...(secret ? [] : ["missing-input-secret"]), ...(response ? [] : ["missing-input-response"])];
    if (missing.length > 0) return refuse(missing);
    if (secret! in TEST_SECRETS) {
      const code = TEST_SECRETS[secret!];
      return code ? refuse([code]) : pass();
    }
    if (secret !== TURNSTILE_SANDBOX_SECRET) return refuse(["invalid-input-secret"]);
    if (response!.length > MAX_TOKEN_LENGTH) return refuse(["invalid-input-response"]);
    if (response === DUMMY_TOKEN) return pass();
    if (!response!.startsWith("pass")) return refuse(["invalid-input-response"]);
    // Single use, as the real tokens: the second check of one is refused.
    if (spent.has(response!)) return refuse(["timeout-or-duplicate"]);
    spent.add(response!);
    return pass();
  }

  return {
    secretKey: TURNSTILE_SANDBOX_SECRET,
    siteKey: TURNSTILE_SANDBOX_SITE_KEY,
    dummyToken: DUMMY_TOKEN,
    verify(input) {
      const answer = decide(input);
      log.push({ response: input.response, remoteip: input.remoteip, success: answer.success, errorCodes: answer["error-codes"] });
      return answer;
    },
    checks: () => [...log],
    clear() {
      log.length = 0;
      spent.clear();
    },
  };
}
