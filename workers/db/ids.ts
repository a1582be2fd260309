import { monotonicFactory } from "ulid";

const ulid = monotonicFactory();

/** Sortable ids: creation order is id order, which keyset pagination relies on. */
export const ID_PREFIXES = {
  org: "org",
  script: "scr",
  voiceConfig: "vc",
  phoneNumber: "pn",
  campaign: "cmp",
  lead: "ld",
  leadImport: "imp",
  channelConfig: "chc",
  apiKey: "key",
  invitation: "inv",
  audit: "aud",
  suppression: "sup",
  message: "msg",
  call: "call",
  deadLetter: "dlq",
  telegramAccount: "tga",
} as const;

export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}
