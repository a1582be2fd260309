import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseReplyAddress, replyAddress, signUnsubscribeToken, verifyUnsubscribeToken } from "./signed-tokens";

const SECRET = "test-email-token-secret-0123456789";
const OTHER_SECRET = "another-email-token-secret-987654";
const ORG = "org_01jh3m5x8k2q7r9t0v4w6y8z1a";
const LEAD = "ld_01jh3m5x8k2q7r9t0v4w6y8z1b";
const MESSAGE = "msg_01jh3m5x8k2q7r9t0v4w6y8z1c";

/** Every one-character change of `value`, at each position, to a different URL-safe character. */
function oneCharEdits(value: string): string[] {
  return [...value].map((char, i) => `${value.slice(0, i)}${char === "a" ? "b" : "a"}${value.slice(i + 1)}`);
}

describe("unsubscribe links", () => {
  it("carry the org and lead they were made for, in a URL-safe token", async () => {
    const token = await signUnsubscribeToken({ orgId: ORG, leadId: LEAD }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(await verifyUnsubscribeToken(token, SECRET)).toEqual({ orgId: ORG, leadId: LEAD });
  });

  it("refuse a token with any single character changed, so no one unsubscribes someone else", async () => {
    const token = await signUnsubscribeToken({ orgId: ORG, leadId: LEAD }, SECRET);
    for (const edited of oneCharEdits(token)) {
      expect(await verifyUnsubscribeToken(edited, SECRET), edited).toBeNull();
    }
  });

  it("refuse a token signed with another secret, truncated or with a part swapped", async () => {
    const token = await signUnsubscribeToken({ orgId: ORG, leadId: LEAD }, SECRET);
    const [org, lead, tag] = token.split(".");
    expect(await verifyUnsubscribeToken(token, OTHER_SECRET)).toBeNull();
    expect(await verifyUnsubscribeToken(token.slice(0, -1), SECRET)).toBeNull();
    expect(await verifyUnsubscribeToken(`${lead}.${org}.${tag}`, SECRET)).toBeNull();
    expect(await verifyUnsubscribeToken(`${org}.${lead}`, SECRET)).toBeNull();
    expect(await verifyUnsubscribeToken("", SECRET)).toBeNull();
  });

  it("never verify arbitrary input, and never throw on it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (garbage) => {
        expect(await verifyUnsubscribeToken(garbage, SECRET)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("refuse to sign ids that would not survive a URL, and secrets too short to be secret", async () => {
    await expect(signUnsubscribeToken({ orgId: "org 1", leadId: LEAD }, SECRET)).rejects.toThrow(TypeError);
    await expect(signUnsubscribeToken({ orgId: ORG, leadId: LEAD }, "short")).rejects.toThrow(/at least 16/);
  });
});

describe("reply addresses", () => {
  it("identify the org and message a reply answers", async () => {
    const address = await replyAddress({ orgId: ORG, messageId: MESSAGE }, SECRET, "in.noir.example");
    expect(address).toMatch(/^reply\+[a-z0-9_.-]+@in\.noir\.example$/);
    expect(await parseReplyAddress(address, SECRET, "in.noir.example")).toEqual({ orgId: ORG, messageId: MESSAGE });
  });

  it("still parse after mail software upper-cases them or adds a display name", async () => {
    const address = await replyAddress({ orgId: ORG, messageId: MESSAGE }, SECRET, "in.noir.example");
    const expected = { orgId: ORG, messageId: MESSAGE };
    expect(await parseReplyAddress(address.toUpperCase(), SECRET)).toEqual(expected);
    expect(await parseReplyAddress(`"Noir" <${address}>`, SECRET)).toEqual(expected);
  });

  it("return null for a forged, edited, foreign or unsigned address", async () => {
    const address = await replyAddress({ orgId: ORG, messageId: MESSAGE }, SECRET, "in.noir.example");
    const local = address.split("@")[0] ?? "";
    for (const edited of oneCharEdits(local).filter((edit) => edit.startsWith("reply+"))) {
      expect(await parseReplyAddress(`${edited}@in.noir.example`, SECRET), edited).toBeNull();
    }
    expect(await parseReplyAddress(address, OTHER_SECRET)).toBeNull();
    expect(await parseReplyAddress(address, SECRET, "other.example")).toBeNull();
    expect(await parseReplyAddress(`reply+${ORG}.${MESSAGE}.00000000000000000000@in.noir.example`, SECRET)).toBeNull();
    expect(await parseReplyAddress("sales@in.noir.example", SECRET)).toBeNull();
  });

  it("are not interchangeable with unsubscribe tokens for the same ids", async () => {
    const token = await signUnsubscribeToken({ orgId: ORG, leadId: MESSAGE }, SECRET);
    expect(await parseReplyAddress(`reply+${token.toLowerCase()}@in.noir.example`, SECRET)).toBeNull();
    const address = await replyAddress({ orgId: ORG, messageId: LEAD }, SECRET, "in.noir.example");
    const replyToken = address.slice("reply+".length, address.indexOf("@"));
    expect(await verifyUnsubscribeToken(replyToken, SECRET)).toBeNull();
  });

  it("never parse arbitrary input as ours, and never throw on it", async () => {
    const nearMiss = fc
      .tuple(fc.stringMatching(/^[a-z0-9_]{1,30}$/), fc.stringMatching(/^[a-z0-9_]{1,30}$/), fc.stringMatching(/^[0-9a-f]{20}$/))
      .map(([org, message, tag]) => `reply+${org}.${message}.${tag}@in.noir.example`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), nearMiss), async (garbage) => {
        expect(await parseReplyAddress(garbage, SECRET)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
