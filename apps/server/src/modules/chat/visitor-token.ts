import { hmacHex, safeEqualHex } from '../accounts/secrets.ts';

/**
 * A visitor token names exactly one customer of one store, signed with the server secret. It is
 * the widget's only credential: whoever holds it reads that customer's conversations and nothing else.
 */
export function signVisitorToken(secret: string, customerId: string, storeId: string): string {
  return `vt1.${customerId}.${storeId}.${hmacHex(secret, `vt1.${customerId}.${storeId}`)}`;
}

export function verifyVisitorToken(
  secret: string,
  token: string,
): { customerId: string; storeId: string } | null {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'vt1') return null;
  const [, customerId, storeId, sig] = parts as [string, string, string, string];
  if (!/^[0-9a-f-]{36}$/.test(customerId) || !/^[0-9a-f-]{36}$/.test(storeId)) return null;
  return safeEqualHex(hmacHex(secret, `vt1.${customerId}.${storeId}`), sig) ? { customerId, storeId } : null;
}
