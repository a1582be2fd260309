import { Api, utils } from "telegram";
import { _processUpdate } from "telegram/client/updates.js";
import { FloodWaitError, RPCError } from "telegram/errors/index.js";
import { returnBigInt } from "telegram/Helpers.js";
import { StringSession } from "telegram/sessions/index.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { sendFailure } from "./outcomes.ts";
import { refuse, ScriptedTelegram, signedInSession, SrpServer } from "./scripted-telegram.ts";
import { FakeWorker, SendResult, startTestPool, eventually, type TestPool } from "./test-support.ts";

// The real gramjs client with its network cut at connect/invoke (scripted-telegram.ts): what the
// pool puts on the wire, and how Telegram's answers and refusals come back out of the HTTP API.
const API_ID = 123456;
const API_HASH = "0123456789abcdef0123456789abcdef";

const OLENA = new Api.User({ id: returnBigInt(4242), accessHash: returnBigInt("987654321987654321"), username: "olena_k", firstName: "Olena", phone: "380501234567" });
const SELF = new Api.User({ id: returnBigInt(1001), self: true, accessHash: returnBigInt(1), firstName: "Anna", phone: "15550001234" });

/** Ordinary answers for a signed-in account; a test overrides what it is about. */
function ordinary(request: Api.AnyRequest): unknown {
  if (request instanceof Api.updates.GetState) return new Api.updates.State({ pts: 1, qts: 0, date: 0, seq: 0, unreadCount: 0 });
  if (request instanceof Api.users.GetUsers) return [SELF];
  if (request instanceof Api.contacts.ResolveUsername) {
    if (request.username.startsWith("missing")) refuse(request, 400, "USERNAME_NOT_OCCUPIED");
    if (request.username === "a") refuse(request, 400, "USERNAME_INVALID");
    if (request.username === "news_channel") {
      return new Api.contacts.ResolvedPeer({ peer: new Api.PeerChannel({ channelId: returnBigInt(77) }), chats: [], users: [] });
    }
    return new Api.contacts.ResolvedPeer({ peer: new Api.PeerUser({ userId: OLENA.id }), chats: [], users: [OLENA] });
  }
  if (request instanceof Api.messages.SendMessage) {
    return new Api.UpdateShortSentMessage({ out: true, id: 31337, pts: 2, ptsCount: 1, date: 1_700_000_000 });
  }
  throw new Error(`unscripted ${request.className}`);
}

let telegram: ScriptedTelegram;
let pool: TestPool;
let worker: FakeWorker;
let keys = 0;

beforeAll(async () => {
  worker = await new FakeWorker().start();
});
afterAll(async () => {
  await worker.close();
});
beforeEach(async () => {
  await pool?.close();
  telegram = new ScriptedTelegram();
  telegram.answer = ordinary;
  pool = await startTestPool({ backend: "gramjs", apiId: API_ID, apiHash: API_HASH, makeGramjsClient: telegram.makeClient, workerUrl: worker.url });
  worker.received.length = 0;
});
afterAll(async () => {
  await pool.close();
});

const send = async (to: { username: string } | { phone: string }, session?: string, text = "Hello from Noir") =>
  pool.json(SendResult, "POST", "/api/send", { accountId: "acc-gram", session: session ?? (await signedInSession()), to, text, idempotencyKey: `g-${++keys}` });

describe("gramjs client: what goes on the wire", () => {
  it("checks the session with updates.GetState, resolves the username, and sends with a random id", async () => {
    const result = await send({ username: "@olena_k" }, undefined, "Hello Olena");
    expect(result).toEqual({ outcome: "sent", messageId: 31337, peer: { userId: "4242", username: "olena_k" } });
    expect(telegram.requests.map((r) => r.className)).toEqual(["updates.GetState", "contacts.ResolveUsername", "messages.SendMessage"]);
    expect(telegram.of(Api.contacts.ResolveUsername)[0]?.username).toBe("olena_k");
    const sent = telegram.of(Api.messages.SendMessage)[0];
    expect(sent?.message).toBe("Hello Olena");
    expect(sent?.peer).toBeInstanceOf(Api.InputPeerUser);
    expect(sent?.peer).toMatchObject({ userId: OLENA.id, accessHash: OLENA.accessHash });
    expect(sent?.randomId?.isZero()).toBe(false);
  });

  it("builds the client to surface every flood wait instead of sleeping through it", async () => {
    await send({ username: "olena_k" });
    expect(telegram.clients[0]?.floodSleepThreshold).toBe(0);
  });

  it("resolves a username once per account, then sends from the cache", async () => {
    const session = await signedInSession();
    await send({ username: "olena_k" }, session);
    await send({ username: "Olena_K" }, session);
    expect(telegram.of(Api.contacts.ResolveUsername)).toHaveLength(1);
    expect(telegram.of(Api.messages.SendMessage)).toHaveLength(2);
    expect(telegram.of(Api.updates.GetState)).toHaveLength(1);
  });

  it("finds a lead by phone with contacts.ImportContacts", async () => {
    telegram.answer = (request) => {
      if (request instanceof Api.contacts.ImportContacts) {
        const contact = request.contacts[0];
        if (!(contact instanceof Api.InputPhoneContact)) throw new Error("expected an InputPhoneContact");
        if (contact.phone.endsWith("00")) return new Api.contacts.ImportedContacts({ imported: [], popularInvites: [], retryContacts: [], users: [] });
        return new Api.contacts.ImportedContacts({
          imported: [new Api.ImportedContact({ userId: OLENA.id, clientId: contact.clientId })],
          popularInvites: [],
          retryContacts: [],
          users: [OLENA],
        });
      }
      return ordinary(request);
    };
    expect(await send({ phone: "+380501234567" })).toMatchObject({ outcome: "sent", peer: { userId: "4242" } });
    expect(telegram.of(Api.contacts.ImportContacts)[0]?.contacts[0]).toMatchObject({ phone: "+380501234567" });
    expect(await send({ phone: "+15550100200" })).toEqual({ outcome: "user_not_found" });
  });

  it("takes the message id from updateMessageID when the answer is a full Updates", async () => {
    telegram.answer = (request) => {
      if (request instanceof Api.messages.SendMessage) {
        return new Api.Updates({
          updates: [new Api.UpdateMessageID({ id: 555, randomId: request.randomId ?? returnBigInt(0) })],
          users: [],
          chats: [],
          date: 0,
          seq: 0,
        });
      }
      return ordinary(request);
    };
    expect(await send({ username: "olena_k" })).toMatchObject({ outcome: "sent", messageId: 555 });
  });
});

describe("gramjs client: Telegram's refusals", () => {
  const refusing = (errorCode: number, errorMessage: string) => (request: Api.AnyRequest) =>
    request instanceof Api.messages.SendMessage ? refuse(request, errorCode, errorMessage) : ordinary(request);

  it.each([
    [420, "FLOOD_WAIT_42", { outcome: "flood_wait", seconds: 42 }],
    [400, "PEER_FLOOD", { outcome: "peer_flood" }],
    [403, "USER_PRIVACY_RESTRICTED", { outcome: "privacy_restricted" }],
    [400, "USER_DEACTIVATED_BAN", { outcome: "account_banned" }],
    [401, "AUTH_KEY_UNREGISTERED", { outcome: "auth_needed" }],
    [401, "SESSION_REVOKED", { outcome: "auth_needed" }],
  ])("answers %s %s with %o", async (code, message, outcome) => {
    telegram.answer = refusing(code, message);
    expect(await send({ username: "olena_k" })).toEqual(outcome);
  });

  it("answers user_not_found for a username nobody has, an invalid one, and a channel", async () => {
    expect(await send({ username: "missing_lead" })).toEqual({ outcome: "user_not_found" });
    expect(await send({ username: "a" })).toEqual({ outcome: "user_not_found" });
    expect(await send({ username: "news_channel" })).toEqual({ outcome: "user_not_found" });
    expect(telegram.of(Api.messages.SendMessage)).toHaveLength(0);
  });

  it("answers auth_needed when GetState refuses the session, and for a string that is no session", async () => {
    telegram.answer = (request) => (request instanceof Api.updates.GetState ? refuse(request, 401, "AUTH_KEY_UNREGISTERED") : ordinary(request));
    expect(await send({ username: "olena_k" })).toEqual({ outcome: "auth_needed" });
    expect(await send({ username: "olena_k" }, "not-a-string-session")).toEqual({ outcome: "auth_needed" });
  });

  it("maps gramjs's error classes built directly, not only from the wire", () => {
    const request = new Api.messages.SendMessage({ message: "x" });
    expect(sendFailure(new FloodWaitError({ request, capture: 7 }))).toEqual({ outcome: "flood_wait", seconds: 7 });
    expect(sendFailure(new RPCError("PEER_FLOOD", request, 400))).toEqual({ outcome: "peer_flood" });
    expect(sendFailure(new RPCError("SOMETHING_NEW", request, 400))).toBeNull();
  });

  it("answers 502, and remembers nothing, for an error it does not know", async () => {
    telegram.answer = refusing(400, "MESSAGE_TOO_LONG_FOR_REASONS");
    const body = { accountId: "acc-gram", session: await signedInSession(), to: { username: "olena_k" }, text: "x", idempotencyKey: "unknown-error" };
    const response = await pool.call("POST", "/api/send", body);
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    telegram.answer = ordinary;
    expect((await pool.json(SendResult, "POST", "/api/send", body)).outcome).toBe("sent");
  });
});

describe("gramjs client: no Telegram", () => {
  it("answers 502 while Telegram cannot be reached, and connects afresh on the next send", async () => {
    telegram.reachable = false;
    const body = { accountId: "acc-gram", session: await signedInSession(), to: { username: "olena_k" }, text: "x", idempotencyKey: "unreachable" };
    expect((await pool.call("POST", "/api/send", body)).status).toBe(502);
    expect(telegram.requests).toHaveLength(0);
    telegram.reachable = true;
    expect((await pool.json(SendResult, "POST", "/api/send", body)).outcome).toBe("sent");
    expect(telegram.clients).toHaveLength(2);
  });
});

describe("gramjs client: logging in", () => {
  it("sends the code, signs in with its hash, and hands back a StringSession that then sends", async () => {
    telegram.answer = (request) => {
      if (request instanceof Api.auth.SendCode) return new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeApp({ length: 5 }), phoneCodeHash: "hash-abc" });
      if (request instanceof Api.auth.SignIn) return new Api.auth.Authorization({ user: SELF });
      return ordinary(request);
    };
    expect(await pool.json(z.object({ status: z.string() }), "POST", "/api/accounts/add", { accountId: "acc-gram", phone: "+15550001234" })).toEqual({ status: "code_sent" });
    expect(telegram.of(Api.auth.SendCode)[0]).toMatchObject({ phoneNumber: "+15550001234", apiId: API_ID, apiHash: API_HASH });
    const signedIn = await pool.json(z.object({ status: z.string(), session: z.string(), user: z.unknown() }), "POST", "/api/accounts/acc-gram/verify", { code: "12345" });
    expect(telegram.of(Api.auth.SignIn)[0]).toMatchObject({ phoneNumber: "+15550001234", phoneCodeHash: "hash-abc", phoneCode: "12345" });
    expect(signedIn).toMatchObject({ status: "signed_in", user: { id: "1001", firstName: "Anna", phone: "+15550001234", username: null } });
    expect(() => new StringSession(signedIn.session)).not.toThrow();
    expect(new StringSession(signedIn.session).dcId).toBe(2);
    expect((await send({ username: "olena_k" }, signedIn.session)).outcome).toBe("sent");
  });

  it("asks for the 2FA password with its hint, then proves it with SRP via GetPassword and CheckPassword", async () => {
    const server = new SrpServer();
    let srpId = 0;
    telegram.answer = async (request) => {
      if (request instanceof Api.auth.SendCode) return new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeSms({ length: 5 }), phoneCodeHash: "hash-2fa" });
      if (request instanceof Api.auth.SignIn) refuse(request, 401, "SESSION_PASSWORD_NEEDED");
      if (request instanceof Api.account.GetPassword) return server.params("correct horse", ++srpId);
      if (request instanceof Api.auth.CheckPassword) {
        if (!server.accepts(request.password)) refuse(request, 400, "PASSWORD_HASH_INVALID");
        return new Api.auth.Authorization({ user: SELF });
      }
      return ordinary(request);
    };
    const Verify = z.object({ status: z.string(), hint: z.string().nullable().optional() });
    await pool.call("POST", "/api/accounts/add", { accountId: "acc-gram", phone: "+15550001239" });
    expect(await pool.json(Verify, "POST", "/api/accounts/acc-gram/verify", { code: "12345" })).toEqual({ status: "password_needed", hint: "pet's name" });
    expect(await pool.json(Verify, "POST", "/api/accounts/acc-gram/verify", { password: "battery staple" })).toEqual({ status: "password_invalid" });
    expect(await pool.json(Verify, "POST", "/api/accounts/acc-gram/verify", { password: "correct horse" })).toMatchObject({ status: "signed_in" });
    const checks = telegram.of(Api.auth.CheckPassword).map((r) => r.password);
    expect(checks.map((c) => c instanceof Api.InputCheckPasswordSRP && c.srpId.toString())).toEqual(["2", "3"]);
    expect(telegram.requests.map((r) => r.className)).toEqual([
      "auth.SendCode",
      "auth.SignIn",
      "account.GetPassword",
      "account.GetPassword",
      "auth.CheckPassword",
      "account.GetPassword",
      "auth.CheckPassword",
      "updates.GetState",
    ]);
  });

  it.each([
    ["PHONE_CODE_INVALID", { status: "code_invalid" }],
    ["PHONE_CODE_EXPIRED", { status: "code_expired" }],
  ])("answers a sign-in refused with %s as %o", async (errorMessage, answer) => {
    telegram.answer = (request) => {
      if (request instanceof Api.auth.SendCode) return new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeApp({ length: 5 }), phoneCodeHash: "h" });
      if (request instanceof Api.auth.SignIn) refuse(request, 400, errorMessage);
      return ordinary(request);
    };
    await pool.call("POST", "/api/accounts/add", { accountId: "acc-gram", phone: "+15550001234" });
    expect(await pool.json(z.object({ status: z.string() }), "POST", "/api/accounts/acc-gram/verify", { code: "11111" })).toEqual(answer);
  });

  it.each([
    [400, "PHONE_NUMBER_INVALID", { status: "phone_invalid" }],
    [420, "FLOOD_WAIT_600", { status: "flood_wait", seconds: 600 }],
  ])("answers a SendCode refused with %s %s as %o", async (errorCode, errorMessage, answer) => {
    telegram.answer = (request) => (request instanceof Api.auth.SendCode ? refuse(request, errorCode, errorMessage) : ordinary(request));
    expect(await pool.json(z.object({ status: z.string(), seconds: z.number().optional() }), "POST", "/api/accounts/add", { accountId: "acc-gram", phone: "+15550001234" })).toEqual(answer);
  });
});

describe("gramjs client: replies", () => {
  const message = (fields: Partial<ConstructorParameters<typeof Api.Message>[0]>) =>
    new Api.UpdateNewMessage({
      message: new Api.Message({ id: 900, peerId: new Api.PeerUser({ userId: OLENA.id }), date: 1_700_000_000, message: "Sounds good, call me", ...fields }),
      pts: 3,
      ptsCount: 1,
    });

  it("posts an incoming private message to the Worker, and ignores our own, groups' and Telegram's", async () => {
    await send({ username: "olena_k" });
    const client = telegram.clients[0];
    if (!client) throw new Error("no client was built");
    const entities = new Map([[utils.getPeerId(OLENA), OLENA]]);
    _processUpdate(client, message({ id: 901, out: true, message: "our own" }), null, entities);
    _processUpdate(client, message({ id: 902, peerId: new Api.PeerChat({ chatId: returnBigInt(5) }), fromId: new Api.PeerUser({ userId: OLENA.id }), message: "in a group" }), null, entities);
    _processUpdate(client, message({ id: 903, peerId: new Api.PeerUser({ userId: returnBigInt(777000) }), message: "Login code: 12345" }), null, entities);
    _processUpdate(client, message({}), null, entities);
    const delivery = await eventually(() => worker.received[0], { what: "the reply" });
    expect(delivery.signed).toBe(true);
    expect(JSON.parse(delivery.body)).toEqual({
      accountId: "acc-gram",
      messageId: 900,
      from: { userId: "4242", username: "olena_k", phone: "+380501234567" },
      text: "Sounds good, call me",
      date: "2023-11-14T22:13:20.000Z",
    });
    await pool.close(); // waits for every post in flight
    expect(worker.received).toHaveLength(1);
  });
});
