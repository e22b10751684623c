import { hmacHex, safeEqualHex } from '../accounts/secrets.ts';

/**
 * A visitor token names exactly one customer of one store and when it was minted, signed with the
 * server secret: `vt1.<customer>.<store>.<minted, ms base 36>.<hmac>`. It is the widget's only
 * credential: whoever holds it reads that customer's conversations and nothing else, until it expires
 * (minted + PEAKDESK_VISITOR_TOKEN_TTL_DAYS) or the customer's tokens are revoked.
 */
export function signVisitorToken(
  secret: string,
  customerId: string,
  storeId: string,
  issuedAt: number = Date.now(),
): string {
  const body = `vt1.${customerId}.${storeId}.${Math.floor(issuedAt).toString(36)}`;
  return `${body}.${hmacHex(secret, body)}`;
}

const UUID = /^[0-9a-f-]{36}$/;

/**
 * The token's customer, store and mint time (ms), or null when it is not one of ours. A token of
 * the format before expiry (`vt1.<customer>.<store>.<hmac>`, no mint time) verifies with `issuedAt`
 * 0: long expired.
 */
export function verifyVisitorToken(
  secret: string,
  token: string,
): { customerId: string; storeId: string; issuedAt: number } | null {
  const parts = token.split('.');
  if (parts[0] !== 'vt1' || (parts.length !== 4 && parts.length !== 5)) return null;
  const [, customerId, storeId] = parts as [string, string, string];
  if (!UUID.test(customerId) || !UUID.test(storeId)) return null;
  const sig = parts.at(-1)!;
  const body = parts.slice(0, -1).join('.');
  if (!safeEqualHex(hmacHex(secret, body), sig)) return null;
  if (parts.length === 4) return { customerId, storeId, issuedAt: 0 };
  const minted = parts[3]!;
  if (!/^[0-9a-z]{1,12}$/.test(minted)) return null;
  return { customerId, storeId, issuedAt: Number.parseInt(minted, 36) };
}
