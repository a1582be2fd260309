import { Hono, type Context } from "hono";
import { validateCallRequest, isHttpUrl } from "./call-request";
import type { CallStatus } from "./call-record";
import { twilioError, TwilioErrorCode } from "./errors";
import { isE164 } from "./ids";
import { API_VERSION, availableNumberResource, callResource, incomingNumberResource, listPage } from "./resources";
import { createTwilioSandboxApp } from "./sandbox-routes";
import type { TwilioState } from "./stand-in";
import { MAX_TWIML_CHARS, parseTwiml } from "./twiml";

const INVALID_PARAMETER = 20001;

/** Twilio's REST API (2010-04-01), mounted by the harness under `/twilio`. */
export function createTwilioApp(state: TwilioState): Hono {
  const app = new Hono();
  app.route("/sandbox", createTwilioSandboxApp(state));

  const base = `/${API_VERSION}/Accounts/:accountSid`;
  app.use(`/${API_VERSION}/*`, async (c, next) => {
    const credentials = basicCredentials(c.req.header("authorization"));
    if (!credentials || credentials.user !== state.accountSid || credentials.password !== state.authToken) {
      const response = twilioError(401, TwilioErrorCode.authenticate, "Authenticate", "Your AccountSid or AuthToken was incorrect.");
      response.headers.set("www-authenticate", 'Basic realm="Twilio API"');
      return response;
    }
    await next();
  });
  // Another account's path with this account's credentials: Twilio finds nothing there.
  app.use(`${base}/*`, async (c, next) => {
    if (c.req.param("accountSid") !== state.accountSid) return notFound(c);
    await next();
  });

  // https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource
  app.post(`${base}/Calls.json`, async (c) => {
    const form = await readForm(c);
    const checked = validateCallRequest(form, (number) => state.inventory.find(number) !== undefined);
    if (!checked.ok) return twilioError(checked.status, checked.code, checked.message);
    const call = state.placeCall(checked.value, state.inventory.find(checked.value.from));
    return c.json(callResource(call), 201);
  });

  app.get(`${base}/Calls.json`, (c) => {
    const query = new URL(c.req.url).searchParams;
    const { to, from, status } = { to: query.get("To"), from: query.get("From"), status: query.get("Status") };
    const calls = state
      .allCalls()
      .filter((call) => (to === null || call.record.to === to) && (from === null || call.record.from === from) && (status === null || callResource(call).status === status))
      .reverse();
    const paging = pageParams(query);
    if (!paging) return twilioError(400, INVALID_PARAMETER, "PageSize must be 1 to 1000 and Page a whole number");
    return c.json(listPage("calls", calls.map(callResource), `/${API_VERSION}/Accounts/${state.accountSid}/Calls.json`, filtersOf(query), paging.size, paging.page));
  });

  app.get(`${base}/Calls/:file`, (c) => {
    const call = state.liveCall(jsonSid(c.req.param("file")) ?? "");
    return call ? c.json(callResource(call)) : notFound(c);
  });

  // https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource
  app.post(`${base}/Calls/:file`, async (c) => {
    const call = state.liveCall(jsonSid(c.req.param("file")) ?? "");
    if (!call) return notFound(c);
    const form = await readForm(c);
    const status = form.get("Status");
    const twiml = form.get("Twiml");
    const url = form.get("Url");
    if (status !== null && status !== "completed" && status !== "canceled") return twilioError(400, INVALID_PARAMETER, "Status must be completed or canceled");
    if (twiml !== null) {
      if (twiml.length > MAX_TWIML_CHARS) return twilioError(400, TwilioErrorCode.twimlInvalid, `Twiml must be at most ${MAX_TWIML_CHARS} characters; got ${twiml.length}.`);
      const parsed = parseTwiml(twiml);
      if (!parsed.ok) return twilioError(400, TwilioErrorCode.twimlInvalid, `Twiml is not valid: ${parsed.error}`);
    } else if (url !== null && !isHttpUrl(url)) {
      return twilioError(400, TwilioErrorCode.urlInvalid, `Url is not a valid URL: ${url}`);
    }
    const method = (form.get("Method") ?? "POST").toUpperCase();
    const outcome = call.update({
      ...(status !== null ? { status: status as Extract<CallStatus, "completed" | "canceled"> } : {}),
      ...(twiml !== null ? { twiml } : {}),
      ...(url !== null ? { url } : {}),
      method: method === "GET" ? "GET" : "POST",
    });
    if (outcome === "not-in-progress" && (twiml !== null || url !== null)) {
      return twilioError(400, TwilioErrorCode.callNotInProgress, "Call is not in-progress. Cannot redirect.");
    }
    return c.json(callResource(call));
  });

  // https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource
  app.get(`${base}/IncomingPhoneNumbers.json`, (c) => {
    const query = new URL(c.req.url).searchParams;
    const phoneNumber = query.get("PhoneNumber");
    const paging = pageParams(query);
    if (!paging) return twilioError(400, INVALID_PARAMETER, "PageSize must be 1 to 1000 and Page a whole number");
    const numbers = state.inventory.owned().filter((n) => phoneNumber === null || n.phoneNumber === phoneNumber);
    const items = numbers.map((n) => incomingNumberResource(state.accountSid, n));
    return c.json(listPage("incoming_phone_numbers", items, `/${API_VERSION}/Accounts/${state.accountSid}/IncomingPhoneNumbers.json`, filtersOf(query), paging.size, paging.page));
  });

  app.post(`${base}/IncomingPhoneNumbers.json`, async (c) => {
    const form = await readForm(c);
    const phoneNumber = form.get("PhoneNumber");
    const areaCode = form.get("AreaCode");
    if (phoneNumber === null && areaCode === null) return twilioError(400, 21451, "A 'PhoneNumber' or 'AreaCode' is required.");
    let number = phoneNumber;
    if (number === null) {
      const found = state.inventory.search("US", { areaCode: areaCode ?? undefined, limit: 1 });
      if (!Array.isArray(found) || found.length === 0) return twilioError(400, TwilioErrorCode.noNumbersInAreaCode, `No phone numbers found in area code ${areaCode}.`);
      number = found[0]?.phoneNumber ?? "";
    }
    if (!isE164(number)) return twilioError(400, 21421, `PhoneNumber ${number} is invalid.`);
    const bought = state.inventory.buy(number);
    if (!bought) return twilioError(400, TwilioErrorCode.numberUnavailable, `Phone number ${number} is not available.`);
    return c.json(incomingNumberResource(state.accountSid, bought), 201);
  });

  app.get(`${base}/IncomingPhoneNumbers/:file`, (c) => {
    const number = state.inventory.bySid(jsonSid(c.req.param("file")) ?? "");
    return number ? c.json(incomingNumberResource(state.accountSid, number)) : notFound(c);
  });

  app.delete(`${base}/IncomingPhoneNumbers/:file`, (c) => {
    return state.inventory.release(jsonSid(c.req.param("file")) ?? "") ? c.body(null, 204) : notFound(c);
  });

  // https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource
  app.get(`${base}/AvailablePhoneNumbers/:country/Local.json`, (c) => {
    const query = new URL(c.req.url).searchParams;
    const country = c.req.param("country");
    const pageSize = Number(query.get("PageSize") ?? "50");
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return twilioError(400, INVALID_PARAMETER, "PageSize must be 1 to 1000");
    const found = state.inventory.search(country, { areaCode: query.get("AreaCode") ?? undefined, contains: query.get("Contains") ?? undefined, limit: pageSize });
    if (found === null) return notFound(c);
    if (found === "bad-area") return twilioError(400, 21452, `AreaCode ${query.get("AreaCode")} is not valid for ${country}.`);
    if (found === "bad-pattern") return twilioError(400, INVALID_PARAMETER, "Contains may hold only digits, letters and *, at most 16.");
    const uri = `/${API_VERSION}/Accounts/${state.accountSid}/AvailablePhoneNumbers/${country}/Local.json`;
    return c.json(listPage("available_phone_numbers", found.map(availableNumberResource), uri, filtersOf(query), pageSize, 0));
  });

  app.notFound((c) => notFound(c));
  return app;
}

function notFound(c: Context): Response {
  const path = new URL(c.req.url).pathname.replace(/^\/twilio/, "");
  return twilioError(404, TwilioErrorCode.notFound, `The requested resource ${path} was not found`);
}

/** `CA….json` → `CA…`; anything else is not a resource path. */
function jsonSid(file: string): string | null {
  return file.endsWith(".json") ? file.slice(0, -".json".length) : null;
}

function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readForm(c: Context): Promise<URLSearchParams> {
  return new URLSearchParams(await c.req.text());
}

function pageParams(query: URLSearchParams): { size: number; page: number } | null {
  const size = Number(query.get("PageSize") ?? "50");
  const page = Number(query.get("Page") ?? "0");
  if (!Number.isInteger(size) || size < 1 || size > 1000 || !Number.isInteger(page) || page < 0) return null;
  return { size, page };
}

function filtersOf(query: URLSearchParams): URLSearchParams {
  const filters = new URLSearchParams(query);
  filters.delete("PageSize");
  filters.delete("Page");
  filters.delete("PageToken");
  return filters;
}
