/**
 * The domain an email goes out from, lower-cased: what a sender's own pace is keyed by, so every
 * campaign, auto-reply and test send from one domain shares it. Accepts "a@b.com" and "Name <a@b.com>".
 */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return (address.split("@").at(-1) ?? address).trim().toLowerCase();
}
