import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_LENGTH, sign, signatureMatches, signatureParam } from '../../viewer-request/signature';

const KEYS = ['first-key-'.repeat(4), 'second-key'.repeat(4)];

describe('signatures', () => {
  it('is the base64url HMAC-SHA256 of the key, cut to SIGNATURE_LENGTH', () => {
    const subject = '/400w/default/cat.jpg';
    const full = createHmac('sha256', KEYS[0]!).update(subject).digest('base64url');
    expect(sign(subject, KEYS[0]!)).toBe(full.slice(0, SIGNATURE_LENGTH));
    expect(sign(subject, KEYS[0]!)).toMatch(new RegExp(`^[A-Za-z0-9_-]{${SIGNATURE_LENGTH}}$`));
  });

  it('matches under any of the keys, and nothing else', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (subject, other) => {
        for (const key of KEYS) expect(signatureMatches(subject, sign(subject, key), KEYS)).toBe(true);
        expect(signatureMatches(subject, sign(subject, 'a-key-not-configured'), KEYS)).toBe(false);
        if (other !== subject) expect(signatureMatches(other, sign(subject, KEYS[0]!), KEYS)).toBe(false);
      }),
    );
  });

  it('matches nothing without a subject, with no keys, or with a signature of another length', () => {
    const subject = '/200w/bw/a.png';
    const signature = sign(subject, KEYS[1]!);
    expect(signatureMatches(undefined, signature, KEYS)).toBe(false);
    expect(signatureMatches(subject, signature, [])).toBe(false);
    expect(signatureMatches(subject, signature.slice(1), KEYS)).toBe(false);
    expect(signatureMatches(subject, `${signature}A`, KEYS)).toBe(false);
  });

  it('reads the s= parameter wherever it stands, and only a whole parameter named s', () => {
    const s = sign('/x', KEYS[0]!);
    expect(signatureParam(`s=${s}`)).toBe(s);
    expect(signatureParam(`width=400&s=${s}&format=webp`)).toBe(s);
    expect(signatureParam(`is=${s}`)).toBeUndefined();
    expect(signatureParam('width=400')).toBeUndefined();
    expect(signatureParam('s=')).toBe('');
  });
});
