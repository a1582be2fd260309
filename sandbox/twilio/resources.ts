import type { Call } from "./call";
import { formatNumber, rfc2822 } from "./ids";
import type { AvailableNumber, OwnedNumber } from "./numbers";

/** JSON bodies with Twilio's 2010-04-01 field names. */

export const API_VERSION = "2010-04-01";

const accountUri = (accountSid: string) => `/${API_VERSION}/Accounts/${accountSid}`;

/** The Call resource (https://www.twilio.com/docs/voice/api/call-resource). */
export function callResource(call: Call) {
  const r = call.record;
  const uri = `${accountUri(r.accountSid)}/Calls/${r.sid}`;
  // `initiated` is a callback event, not a resource status: the resource still reads `queued`.
  const status = r.status === "initiated" ? "queued" : r.status;
  const final = r.endedAt !== null;
  const seconds = r.answeredAt === null ? 0 : Math.ceil(((r.endedAt ?? Date.now()) - r.answeredAt) / 1000);
  return {
    account_sid: r.accountSid,
    annotation: null,
    answered_by: r.amd?.answeredBy ?? null,
    api_version: API_VERSION,
    caller_name: null,
    date_created: rfc2822(r.createdAt),
    date_updated: rfc2822(call.updatedAt),
    direction: "outbound-api",
    duration: final ? String(seconds) : null,
    end_time: r.endedAt === null ? null : rfc2822(r.endedAt),
    forwarded_from: null,
    from: r.from,
    from_formatted: formatNumber(r.from),
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: call.phoneNumberSid,
    price: null,
    price_unit: "USD",
    queue_time: "0",
    sid: r.sid,
    start_time: r.answeredAt === null ? null : rfc2822(r.answeredAt),
    status,
    subresource_uris: {
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
      payments: `${uri}/Payments.json`,
      events: `${uri}/Events.json`,
      siprec: `${uri}/Siprec.json`,
      streams: `${uri}/Streams.json`,
      transcriptions: `${uri}/Transcriptions.json`,
      user_defined_message_subscriptions: `${uri}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${uri}/UserDefinedMessages.json`,
    },
    to: r.to,
    to_formatted: formatNumber(r.to),
    trunk_sid: null,
    uri: `${uri}.json`,
  };
}

/** The IncomingPhoneNumber resource (https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource). */
export function incomingNumberResource(accountSid: string, number: OwnedNumber) {
  const uri = `${accountUri(accountSid)}/IncomingPhoneNumbers/${number.sid}`;
  return {
    account_sid: accountSid,
    address_requirements: "none",
    address_sid: null,
    api_version: API_VERSION,
    beta: false,
    bundle_sid: null,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: rfc2822(number.createdAt),
    date_updated: rfc2822(number.createdAt),
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    emergency_status: "Active",
    friendly_name: number.friendlyName,
    identity_sid: null,
    origin: "twilio",
    phone_number: number.phoneNumber,
    sid: number.sid,
    sms_application_sid: "",
    sms_fallback_method: "POST",
    sms_fallback_url: "",
    sms_method: "POST",
    sms_url: "",
    status: "in-use",
    status_callback: "",
    status_callback_method: "POST",
    subresource_uris: { assigned_add_ons: `${uri}/AssignedAddOns.json` },
    trunk_sid: null,
    uri: `${uri}.json`,
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: "POST",
    voice_receive_mode: "voice",
    voice_url: null,
  };
}

/** One AvailablePhoneNumber Local entry. */
export function availableNumberResource(number: AvailableNumber) {
  return {
    address_requirements: "none",
    beta: false,
    capabilities: { voice: true, SMS: true, MMS: true, fax: false },
    friendly_name: number.friendlyName,
    iso_country: number.isoCountry,
    lata: null,
    latitude: null,
    locality: number.locality,
    longitude: null,
    phone_number: number.phoneNumber,
    postal_code: null,
    rate_center: null,
    region: number.region,
  };
}

/**
 * A page of a 2010-04-01 list: the items under `key`, with the paging fields Twilio sends.
 * `path` is the list's URI without the query; `query` holds the request's filters.
 */
export function listPage<T>(key: string, items: T[], path: string, query: URLSearchParams, pageSize: number, page: number) {
  const start = page * pageSize;
  const slice = items.slice(start, start + pageSize);
  const uriFor = (p: number) => {
    const q = new URLSearchParams(query);
    q.set("PageSize", String(pageSize));
    q.set("Page", String(p));
    return `${path}?${q.toString()}`;
  };
  return {
    [key]: slice,
    end: start + Math.max(slice.length - 1, 0),
    first_page_uri: uriFor(0),
    next_page_uri: start + pageSize < items.length ? uriFor(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    start,
    uri: uriFor(page),
  };
}
