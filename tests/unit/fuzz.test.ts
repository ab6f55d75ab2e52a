/**
 * Fuzzing the parsers with arbitrary input (`npm run fuzz` runs 100,000 cases each; `npm test` fewer): nothing
 * throws, and any URI accepted as a variant key is the one canonical spelling of its options, so no key
 * outside the grammar is ever generated and no two spellings reach one output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { parseQueryOptions } from '../../viewer-request/query-fold';
import { formatVariantKey, parseVariantKey } from '../../shared/variant-key';

const config = resolveConfig();
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const TOKENS = ['400w', '200h', '400h400w', '-cover', '-contain', '-fill', '-north', '-ffffff', '-ff0000', 'default', 'bw', 'blur',
  '-bw', '-blur', 'webp', '-webp', 'avif', '-q50', 'q80', '/', '%2F', '%2e', '..', '.', 'img', '.jpg', '.PNG', '.txt', '%20', '%E0', '%', '\u0000', 'é'];
/** URIs built from grammar fragments and noise, so both near-misses and random strings are tried. */
const uri = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 12 }).map((parts) => `/${parts.join('')}`);
const query = fc.array(fc.tuple(
  fc.oneof(fc.constantFrom('width', 'height', 'dpr', 'fit', 'position', 'background', 'style', 'format', 'quality', 'dimensions', 'device-type'), fc.string()),
  fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('%', '%zz', 'cover', 'bw,blur', '1.5', 'twitter-card')),
), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

describe('fuzz', () => {
  it('parseVariantKey never throws, and accepts only canonical spellings', () => {
    fc.assert(fc.property(uri, (candidate) => {
      const parsed = parseVariantKey(candidate, config);
      if (parsed.kind === 'variant') {
        expect(formatVariantKey(parsed.variant)).toBe(candidate);
        expect(candidate).not.toMatch(/(^|\/)\.\.?(\/|$)/);
      }
      if (parsed.kind === 'invalid') expect(parsed.reason).toMatch(/^[^\n]{1,200}$/);
    }), { numRuns: RUNS });
  });

  it('parseQueryOptions never throws, and every result it accepts formats to a key that parses back', () => {
    fc.assert(fc.property(query, fc.constantFrom('img.jpg', 'a/b.png', 'x.gif', 'y.webp'), (qs, path) => {
      const parsed = parseQueryOptions(qs, path, config);
      if (parsed.kind === 'invalid') expect(parsed.reason).toMatch(/^[^\n]{1,200}$/);
      if (parsed.kind !== 'options') return;
      const key = formatVariantKey({ options: parsed.options, path });
      expect(parseVariantKey(key, config)).toEqual({ kind: 'variant', variant: { options: parsed.options, path } });
    }), { numRuns: RUNS });
  });
});
