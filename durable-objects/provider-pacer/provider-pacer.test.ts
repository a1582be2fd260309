import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const pacer = (name: string) => env.PROVIDER_PACER.get(env.PROVIDER_PACER.idFromName(name));

describe("the provider pacer shared by every campaign", () => {
  it("grants what the provider allows now and says when the rest may go", async () => {
    const stub = pacer("pacer-voice");
    const t0 = 1_800_000_000_000;
    // Twilio: one call a second per account.
    expect(await stub.grant("voice", 5, t0)).toEqual({ granted: 1, retryAt: t0 + 1000 });
    expect(await stub.grant("voice", 1, t0 + 500)).toEqual({ granted: 0, retryAt: t0 + 1000 });
    expect(await stub.grant("voice", 3, t0 + 3000)).toEqual({ granted: 1, retryAt: t0 + 4000 });
  });

  it("keeps one budget across callers: two campaigns asking at once share it", async () => {
    const stub = pacer("pacer-shared");
    const t0 = 1_800_000_000_000;
    const [a, b] = await Promise.all([stub.grant("telegram", 1, t0), stub.grant("telegram", 1, t0)]);
    expect(a.granted + b.granted).toBe(1);
  });

  it("follows the configured email rate (EMAIL_SENDS_PER_SECOND, 500 in tests)", async () => {
    const stub = pacer("pacer-email");
    const t0 = 1_800_000_000_000;
    const first = await stub.grant("email", 1000, t0);
    expect(first.granted).toBe(250);
    const later = await stub.grant("email", 1000, t0 + 1000);
    expect(later.granted).toBe(250);
  });
});
