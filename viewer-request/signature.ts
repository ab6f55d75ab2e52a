/**
 * Signed URLs: `s=` holds the first `SIGNATURE_LENGTH` characters of the base64url HMAC-SHA256 of the variant key
 * the URL names (`signedKeyOf` in query-fold.ts), under one of `config.signingKeys`. node:crypto is Lambda's own,
 * so it adds nothing to the bundle but its import.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** 22 base64url characters: 132 bits of the HMAC. */
export const SIGNATURE_LENGTH = 22;

/** The `s=` value of a query string, or `undefined`. */
export function signatureParam(querystring: string): string | undefined {
  return /(?:^|&)s=([^&]*)/.exec(querystring)?.[1];
}

export function sign(subject: string, key: string): string {
  return createHmac('sha256', key).update(subject).digest('base64url').slice(0, SIGNATURE_LENGTH);
}

/**
 * True when `signature` signs `subject` under any key; every key is tried, in constant time for each. No subject
 * (a URL naming no variant) matches nothing.
 */
export function signatureMatches(subject: string | undefined, signature: string, keys: readonly string[]): boolean {
  const given = Buffer.from(signature);
  let matches = false;
  for (const key of subject === undefined ? [] : keys) {
    const expected = Buffer.from(sign(subject!, key));
    if (expected.length === given.length && timingSafeEqual(expected, given)) matches = true;
  }
  return matches;
}
