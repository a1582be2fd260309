import { describe, expect, it } from "vitest";
import { poolRequestHeaders, verifyPoolRequest as containerVerifies } from "../../../container/src/auth.ts";
import { signPoolRequest, verifyPoolRequest } from "./pool-signature";

const SECRET = "a-secret-the-worker-and-pool-share";
const now = () => Math.floor(Date.now() / 1000);

// The Worker (WebCrypto) and the pool container (node:crypto) sign each other's requests: the two
// implementations must agree byte for byte, or every call between them is refused.
describe("the signature between the Worker and the Telegram pool", () => {
  it("the Worker accepts what the pool signs, and refuses it when the body, path or secret differ", async () => {
    const body = JSON.stringify({ accountId: "tga_1", messageId: 7, text: "Привіт" });
    const headers = new Headers(poolRequestHeaders(SECRET, { method: "POST", path: "/api/webhook/telegram", body }));
    expect(await verifyPoolRequest(SECRET, { method: "POST", path: "/api/webhook/telegram", body, headers }, now())).toEqual({ ok: true });
    expect(await verifyPoolRequest(SECRET, { method: "POST", path: "/api/webhook/telegram", body: body.replace("7", "8"), headers }, now())).toEqual({ ok: false, reason: "wrong signature" });
    expect(await verifyPoolRequest(SECRET, { method: "POST", path: "/api/webhook/other", body, headers }, now())).toEqual({ ok: false, reason: "wrong signature" });
    expect(await verifyPoolRequest("another-secret-entirely-123", { method: "POST", path: "/api/webhook/telegram", body, headers }, now())).toEqual({ ok: false, reason: "wrong signature" });
    expect(await verifyPoolRequest(SECRET, { method: "POST", path: "/api/webhook/telegram", body, headers }, now() + 301)).toEqual({ ok: false, reason: "stale timestamp" });
  });

  it("the pool accepts what the Worker signs", async () => {
    const body = JSON.stringify({ accountId: "tga_1", phone: "+380501234561" });
    const headers = await signPoolRequest(SECRET, { timestamp: now(), method: "POST", path: "/api/accounts/add", body });
    const signed = { timestamp: headers["x-noir-timestamp"], signature: headers["x-noir-signature"] };
    expect(containerVerifies(SECRET, signed, { method: "POST", path: "/api/accounts/add", body })).toEqual({ ok: true });
    expect(containerVerifies(SECRET, signed, { method: "POST", path: "/api/accounts/add", body: `${body} ` }).ok).toBe(false);
  });
});
