import * as z from "zod/mini";
import { pageOf, request, type Page } from "../api";

/** The org's scripts and phone numbers (the test call's selects, the voice page's numbers) and its usage. */

const Script = z.object({ id: z.string(), name: z.string() });
export type Script = z.infer<typeof Script>;

const PhoneNumber = z.object({ id: z.string(), number: z.string(), label: z.catch(z.nullable(z.string()), null), status: z.string() });
export type PhoneNumber = z.infer<typeof PhoneNumber>;

const AccountNumber = z.object({ number: z.string(), friendlyName: z.catch(z.nullable(z.string()), null), assigned: z.string() });
export type AccountNumber = z.infer<typeof AccountNumber>;

const Metric = z.object({ used: z.number(), limit: z.nullable(z.number()) });
export type Metric = z.infer<typeof Metric>;
const Usage = z.object({ period: z.string(), plan: z.string(), voice_seconds: Metric });
export type Usage = z.infer<typeof Usage>;

export function fetchScripts(): Promise<Page<Script>> {
  return request(pageOf(Script), "/api/dashboard/scripts?limit=100");
}

export function fetchPhoneNumbers(): Promise<Page<PhoneNumber>> {
  return request(pageOf(PhoneNumber), "/api/dashboard/phone-numbers?limit=100");
}

/** The Twilio account's numbers and whether this org (or another) holds each; owners and admins only. */
export async function fetchAccountNumbers(): Promise<AccountNumber[]> {
  return (await request(pageOf(AccountNumber), "/api/dashboard/phone-numbers/account")).items;
}

export function addPhoneNumber(number: string, label: string | null): Promise<PhoneNumber> {
  return request(PhoneNumber, "/api/dashboard/phone-numbers", { method: "POST", body: JSON.stringify({ number, ...(label ? { label } : {}) }) });
}

/** This month's usage against the plan: the voice seconds are what the calls page charts. */
export function fetchUsage(): Promise<Usage> {
  return request(Usage, "/api/dashboard/usage");
}
