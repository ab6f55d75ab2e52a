/**
 * Fuzzing the parsers (`npm run fuzz` runs 100,000 cases each; `npm test` fewer): nothing throws, and any URI
 * accepted as a variant key is the one canonical spelling of its options, so no key outside the grammar is ever
 * generated and no two spellings reach one output. Keys are also generated from the grammar and respelled, so the
 * canonical-spelling assertion is reached by most cases rather than by chance.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { OUTPUT_FORMATS, sourceFormat, takesQuality } from '../../shared/options';
import { parseQueryOptions } from '../../viewer-request/query-fold';
import { formatVariantKey, parseVariantKey, type Variant } from '../../shared/variant-key';
import { variants } from '../helpers/variants';

const config = resolveConfig();
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const TOKENS = [
  '400w',
  '200h',
  '400h400w',
  '-cover',
  '-contain',
  '-fill',
  '-north',
  '-ffffff',
  '-ff0000',
  'default',
  'bw',
  'blur',
  '-bw',
  '-blur',
  'webp',
  '-webp',
  'avif',
  '-q50',
  'q80',
  '/',
  '%2F',
  '%2e',
  '..',
  '.',
  'img',
  '.jpg',
  '.PNG',
  '.txt',
  '%20',
  '%E0',
  '%',
  '\u0000',
  'é',
];
/** URIs built from grammar fragments and noise, so both near-misses and random strings are tried. */
const uri = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 12 })
  .map((parts) => `/${parts.join('')}`);
const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'width',
          'height',
          'dpr',
          'fit',
          'position',
          'background',
          'style',
          'format',
          'quality',
          'dimensions',
          'device-type',
        ),
        fc.string(),
      ),
      fc.oneof(
        fc.string(),
        fc.integer().map(String),
        fc.constantFrom('%', '%zz', 'cover', 'bw,blur', '1.5', 'twitter-card'),
      ),
    ),
    { maxLength: 8 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

/** Spellings of a key that the grammar might read but that are not (or may not be) the canonical one. */
const MUTATIONS: Record<string, (key: Key, v: Variant) => Key | undefined> = {
  unchanged: (key) => key,
  'leading zero': (key) => (/^[1-9]/.test(key.dims) ? { ...key, dims: `0${key.dims}` } : undefined),
  'reordered styles': (key) =>
    key.style.startsWith('bw-blur') ? { ...key, style: key.style.replace('bw-blur', 'blur-bw') } : undefined,
  'default quality spelled out': (key, v) => {
    const output = v.options.format ?? sourceFormat(v.path);
    if (v.options.quality !== undefined || !takesQuality(output)) return undefined;
    const q = `q${config.quality[output]}`;
    return { ...key, style: key.style === 'default' ? q : `${key.style}-${q}` };
  },
  'original format spelled out': (key, v) => {
    const source = sourceFormat(v.path);
    if (v.options.format !== undefined || !(OUTPUT_FORMATS as readonly string[]).includes(source)) return undefined;
    const styles = v.options.styles.join('-');
    const rest = key.style === 'default' ? '' : key.style.slice(styles.length).replace(/^-/, '');
    return { ...key, style: [styles, source, rest].filter(Boolean).join('-') };
  },
  'fit on a one-sided box': (key) =>
    /^[0-9]+[hw]$/.test(key.dims) ? { ...key, dims: `${key.dims}-cover` } : undefined,
  'default background spelled out': (key) =>
    /-contain$/.test(key.dims) ? { ...key, dims: `${key.dims}-ffffff` } : undefined,
  'centre spelled out': (key) => (/-cover$/.test(key.dims) ? { ...key, dims: `${key.dims}-centre` } : undefined),
  'size off the policy': (key) => ({ ...key, dims: key.dims.replace(/^([0-9]+)/, (n) => String(Number(n) + 1)) }),
  'quality off the steps': (key) => ({
    ...key,
    style: key.style.replace(/q([0-9]+)$/, (_, n: string) => `q${Number(n) - 1 || 2}`),
  }),
  'upper-case dims': (key) => ({ ...key, dims: key.dims.toUpperCase() }),
  'dot segment': (key) => ({ ...key, path: `a/../${key.path}` }),
};
interface Key {
  dims: string;
  style: string;
  path: string;
}

/** Canonical keys from the grammar's parts, each then respelled by one mutation. */
const spelling = fc.tuple(variants(config), fc.constantFrom(...Object.keys(MUTATIONS))).map(([v, name]) => {
  const [, dims = '', style = ''] = formatVariantKey(v, config).split('/');
  const key = MUTATIONS[name]!({ dims, style, path: v.path }, v) ?? { dims, style, path: v.path };
  return `/${key.dims}/${key.style}/${key.path}`;
});

describe('fuzz', () => {
  it('parseVariantKey never throws on arbitrary URIs, and what it accepts is canonical', () => {
    fc.assert(
      fc.property(uri, (candidate) => {
        const parsed = parseVariantKey(candidate, config);
        if (parsed.kind === 'variant') {
          expect(formatVariantKey(parsed.variant, config)).toBe(candidate);
          expect(candidate).not.toMatch(/(^|\/)\.\.?(\/|$)/);
        }
        if (parsed.kind === 'invalid') expect(parsed.reason).toMatch(/^[^\n]{1,200}$/);
      }),
      { numRuns: RUNS },
    );
  });

  it('parseVariantKey accepts only canonical spellings of keys generated from the grammar', () => {
    let reached = 0;
    fc.assert(
      fc.property(spelling, (candidate) => {
        const parsed = parseVariantKey(candidate, config);
        if (parsed.kind === 'not-variant') return;
        reached++;
        if (parsed.kind === 'variant') {
          expect(formatVariantKey(parsed.variant, config)).toBe(candidate);
          expect(candidate).not.toMatch(/(^|\/)\.\.?(\/|$)/);
        } else {
          expect(parsed.reason).toMatch(/^[^\n]{1,200}$/);
        }
      }),
      { numRuns: RUNS },
    );
    // Most spellings must reach the assertions, or the property says little.
    expect(reached).toBeGreaterThanOrEqual(RUNS / 3);
  });

  it('parseQueryOptions never throws, and every result it accepts formats to a key that parses back', () => {
    fc.assert(
      fc.property(query, fc.constantFrom('img.jpg', 'a/b.png', 'x.gif', 'y.webp'), (qs, path) => {
        const parsed = parseQueryOptions(qs, path, config);
        if (parsed.kind === 'invalid') expect(parsed.reason).toMatch(/^[^\n]{1,200}$/);
        if (parsed.kind !== 'options') return;
        const key = formatVariantKey({ options: parsed.options, path }, config);
        expect(parseVariantKey(key, config)).toEqual({ kind: 'variant', variant: { options: parsed.options, path } });
      }),
      { numRuns: RUNS },
    );
  });
});
