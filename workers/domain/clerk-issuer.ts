/**
 * A Clerk publishable key is `pk_test_` or `pk_live_` followed by base64 of the instance's
 * Frontend API host and a `$`; session tokens carry `https://<that host>` as their issuer.
 */
export function issuerFromPublishableKey(publishableKey: string): string | null {
  const match = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/.exec(publishableKey);
  if (!match?.[2]) return null;
  let decoded: string;
  try {
    decoded = atob(match[2].replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  if (!decoded.endsWith("$")) return null;
  const host = decoded.slice(0, -1);
  return /^[a-z0-9.-]+(:\d+)?$/i.test(host) ? `https://${host}` : null;
}
