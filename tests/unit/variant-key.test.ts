import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER, resolveConfig } from '../../shared/config';
import { sameOptions, type VariantOptions } from '../../shared/options';
import { formatVariantKey, originalPathProblem, parseVariantKey, type Variant } from '../../shared/variant-key';
import { variants } from '../helpers/variants';

const ladder = resolveConfig();
const exact = resolveConfig({ sizes: { mode: 'exact', max: 3000 }, backgrounds: 'any' });

function variant(path: string, options: Partial<VariantOptions>): Variant {
  return { path, options: { styles: [], ...options } };
}

describe('formatVariantKey', () => {
  it.each([
    [variant('img.jpg', { width: 200, height: 400, styles: ['bw'] }), '/400h200w/bw/img.jpg'],
    [variant('img.jpg', { width: 400 }), '/400w/default/img.jpg'],
    [variant('img.jpg', { height: 600 }), '/600h/default/img.jpg'],
    [variant('img.jpg', { styles: ['bw'] }), '/default/bw/img.jpg'],
    [variant('photos/2019/img.jpg', { width: 400 }), '/400w/default/photos/2019/img.jpg'],
    [variant('my%20cat%20%C3%A9t%C3%A9.jpg', { width: 400 }), '/400w/default/my%20cat%20%C3%A9t%C3%A9.jpg'],
  ])('formats %j as %s', (v, key) => {
    expect(formatVariantKey(v, ladder)).toBe(key);
    expect(parseVariantKey(key, ladder)).toEqual({ kind: 'variant', variant: v });
  });
});

describe('parseVariantKey', () => {
  it.each([
    '/img.jpg',
    '/photos/img.jpg',
    '/default/default/img.jpg',
    '/400w/default/readme.txt',
    '/400w/default/img',
    '/200w400h/default/img.jpg',
    '/0400w/default/img.jpg',
    '/0w/default/img.jpg',
    '/400x/default/img.jpg',
    '/400w/sepia/img.jpg',
    '/400w/BW/img.jpg',
    '/400W/default/img.jpg',
    '/-400w/default/img.jpg',
    '/1e3w/default/img.jpg',
    '/0x10w/default/img.jpg',
    '/400w/bw-bw/img.jpg',
    '/400w/blur-bw/img.jpg',
    '/400w/webp-bw/img.jpg',
    '/400w/q50-webp/img.jpg',
    '/400w/q0/img.jpg',
    '/400w/q101/img.jpg',
    '/400w-crop/default/img.jpg',
    '/400h400w-cover-up/default/img.jpg',
    '/400h400w-contain-red/default/img.jpg',
    '/400h400w-fill-north/default/img.jpg',
    '/400w/default/',
    '/400w//img.jpg',
    '/',
  ])('%s is not a variant key', (uri) => {
    expect(parseVariantKey(uri, ladder).kind).toBe('not-variant');
  });

  it.each([
    ['/333w/default/img.jpg', 'width 333 is not an allowed size'],
    ['/400h333w/bw/img.jpg', 'width 333 is not an allowed size'],
    ['/2400h/default/img.jpg', 'height 2400 is not an allowed size'],
    ['/400w/default/a/../secret.jpg', 'the path has a dot segment'],
    ['/400w/default/a/%2e%2e/secret.jpg', 'the path has a dot segment'],
    ['/400w/default/a//img.jpg', 'the path has an empty segment'],
    ['/400w/default/a%2Fb.jpg', 'the path has an encoded slash or backslash'],
    ['/400w/default/a%5Cb.jpg', 'the path has an encoded slash or backslash'],
    ['/400h400w-contain-123456/default/img.jpg', 'background 123456 is not an allowed colour'],
    ['/400h400w-contain-ffffff/default/img.jpg', 'the key is not in canonical form; ask with query options instead'],
    ['/400w/q80/img.jpg', 'the key is not in canonical form; ask with query options instead'],
    ['/400w/jpeg/img.jpg', 'the key is not in canonical form; ask with query options instead'],
    ['/400w-cover/default/img.jpg', 'the key is not in canonical form; ask with query options instead'],
    ['/400w/q35/img.jpg', 'quality 35 is not an allowed quality'],
    ['/628h1200w/default/img.jpg', 'height 628 is not an allowed size'],
    ['/400w/default/bad%E0%A4.jpg', 'the path has broken percent-encoding'],
    ['/400w/default/bad%zz.jpg', 'the path has broken percent-encoding'],
    ['/400w/default/nul%00.jpg', 'the path has a control character'],
    [`/400w/default/${'a/'.repeat(4100)}x.jpg`, 'the URI is too long'],
  ])('%s is refused: %s', (uri, reason) => {
    expect(parseVariantKey(uri, ladder)).toEqual({ kind: 'invalid', reason });
  });

  it('refuses only what the grammar reads: a key the policy, path or spelling refuses still reads as a key', () => {
    // Under a configuration that allows every size, quality and colour, the refused keys read as their variants.
    const open = resolveConfig({
      sizes: { mode: 'exact', max: 8192 },
      qualitySteps: [...Array(100).keys()].map((q) => q + 1),
      backgrounds: 'any',
    });
    expect(parseVariantKey('/333w/default/img.jpg', ladder).kind).toBe('invalid');
    expect(parseVariantKey('/333w/default/img.jpg', open)).toEqual({
      kind: 'variant',
      variant: variant('img.jpg', { width: 333 }),
    });
    expect(parseVariantKey('/400w/q80/a/b.jpg', ladder).kind).toBe('invalid');
    expect(parseVariantKey('/400w/q70/a/b.jpg', open)).toEqual({
      kind: 'variant',
      variant: variant('a/b.jpg', { width: 400, quality: 70 }),
    });
    expect(parseVariantKey('/400w/default/a/../secret.jpg', open).kind).toBe('invalid');
    for (const uri of ['/img.jpg', '/default/default/img.jpg', '/400w/sepia/img.jpg', '/400w/default/readme.txt']) {
      expect(parseVariantKey(uri, open).kind).toBe('not-variant');
    }
  });

  it('accepts every ladder step and only those', () => {
    for (let size = 1; size <= 2100; size++) {
      const kind = parseVariantKey(`/${size}w/default/img.jpg`, ladder).kind;
      expect(kind).toBe(DEFAULT_LADDER.includes(size) ? 'variant' : 'invalid');
    }
  });

  it('in exact mode accepts every size up to the cap', () => {
    expect(parseVariantKey('/333w/default/img.jpg', exact).kind).toBe('variant');
    expect(parseVariantKey('/3000w/default/img.jpg', exact).kind).toBe('variant');
    expect(parseVariantKey('/3001w/default/img.jpg', exact).kind).toBe('invalid');
  });

  it('accepts image extensions in any case', () => {
    for (const ext of ['jpg', 'JPG', 'jpeg', 'Jpeg', 'png', 'webp', 'gif', 'avif', 'tif', 'TIFF']) {
      expect(parseVariantKey(`/400w/default/img.${ext}`, ladder).kind).toBe('variant');
    }
  });
});

describe('round trip', () => {
  for (const [name, config] of [
    ['ladder', ladder],
    ['exact', exact],
  ] as const) {
    it(`parse(format(v)) equals v for random variants (${name} policy)`, () => {
      fc.assert(
        fc.property(variants(config), (v) => {
          expect(parseVariantKey(formatVariantKey(v, config), config)).toEqual({ kind: 'variant', variant: v });
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
      );
    });
  }

  it('different variants never share a key', () => {
    fc.assert(
      fc.property(variants(ladder), variants(ladder), (a, b) => {
        const same = a.path === b.path && sameOptions(a.options, b.options);
        expect(formatVariantKey(a, ladder) === formatVariantKey(b, ladder)).toBe(same);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });
});

describe('no variant of a variant', () => {
  it.each([
    '/200w/default/400w/default/grey.jpg',
    '/2000h2000w-fill/avif-q100/64w/default/grey.jpg',
    '/400w/default/default/default/grey.jpg',
    '/400w/default/333w/q35/grey.jpg',
    `/400w/default/${'400w/default/'.repeat(40)}grey.jpg`,
  ])('%s is refused with a reason', (uri) => {
    expect(parseVariantKey(uri, ladder)).toEqual({ kind: 'invalid', reason: 'a variant of a variant is never made' });
  });

  it('an original at a path shaped like a key is still itself: only its variants are refused', () => {
    expect(parseVariantKey('/400w/default/x.jpg', ladder).kind).toBe('variant');
    expect(parseVariantKey('/default/default/x.jpg', ladder).kind).toBe('not-variant');
    expect(originalPathProblem('400w/default/x.jpg', ladder)).toBe('a variant of a variant is never made');
    expect(originalPathProblem('photos/400w/default/x.jpg', ladder)).toBeUndefined();
  });

  it('no valid key, nested under any valid key, is ever accepted for generation', () => {
    fc.assert(
      fc.property(variants(ladder), variants(ladder), (inner, outer) => {
        const nested = formatVariantKey(
          { options: outer.options, path: formatVariantKey(inner, ladder).slice(1) },
          ladder,
        );
        expect(parseVariantKey(nested, ladder)).toEqual({
          kind: 'invalid',
          reason: 'a variant of a variant is never made',
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });

  it('refuses a path not in canonical percent-encoding (the viewer rewrites it first)', () => {
    expect(parseVariantKey('/400w/default/%67rey.jpg', ladder).kind).toBe('invalid');
    expect(parseVariantKey('/400w/default/a+b.jpg', ladder).kind).toBe('invalid');
    expect(parseVariantKey('/400w/default/a%20b.jpg', ladder).kind).toBe('variant');
  });
});
