/**
 * Variant keys under the behaviour's own prefix (`pathPattern: '/images/*'`): the grammar formats and parses
 * `/images/{dims}/{style}/{rest}` for the original `/images/{rest}`, the viewer-request rewrites under it and
 * leaves every URI outside it alone, signatures and the client helpers agree with it, and a pattern the grammar
 * cannot honour is refused when the configuration is resolved.
 */
import type { CloudFrontRequest } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageUrl, srcSet } from '../../client/index';
import { behaviourPrefix } from '../../shared/path-pattern';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { sameOptions } from '../../shared/options';
import {
  formatVariantKey,
  keyPrefix,
  originalPathProblem,
  parseVariantKey,
  type Variant,
} from '../../shared/variant-key';
import { createViewerRequestHandler } from '../../viewer-request/handler';
import { signedKeyOf } from '../../viewer-request/query-fold';
import { decide } from '../../viewer-request/rewrite';
import { viewerRequestEvent } from '../helpers/events';
import { variants } from '../helpers/variants';

setLogSink(() => {});
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const images = resolveConfig({ pathPattern: '/images/*' });
const nested = resolveConfig({
  pathPattern: 'media/photos/*',
  sizes: { mode: 'exact', max: 3000 },
  backgrounds: 'any',
});
const root = resolveConfig();
const viewer = createViewerRequestHandler(images);

function variant(path: string, width: number): Variant {
  return { path, options: { width, styles: [] } };
}

async function rewrite(uri: string, querystring = ''): Promise<CloudFrontRequest | { status: string }> {
  return (await viewer(viewerRequestEvent(uri, querystring))) as CloudFrontRequest | { status: string };
}

describe('the grammar with a prefix', () => {
  it('derives the prefix from the pattern as the packaging check does', () => {
    for (const pathPattern of ['*', '/*', '/images/*', 'images/*', '/media/photos/*']) {
      const check = behaviourPrefix(pathPattern);
      expect(check.ok).toBe(true);
      if (check.ok) expect(keyPrefix({ pathPattern })).toBe(check.prefix);
    }
  });

  it.each([
    [variant('images/cat.jpg', 400), '/images/400w/default/cat.jpg'],
    [variant('images/2019/my%20cat.png', 200), '/images/200w/default/2019/my%20cat.png'],
    [variant('images/400w/default/x.jpg', 400), '/images/400w/default/400w/default/x.jpg'],
  ])('formats %j as %s and reads it back', (v, key) => {
    expect(formatVariantKey(v, images)).toBe(key);
  });

  it('reads back only what it formats: prefix kept in the path, a nested key refused', () => {
    expect(parseVariantKey('/images/400w/default/cat.jpg', images)).toEqual({
      kind: 'variant',
      variant: variant('images/cat.jpg', 400),
    });
    expect(parseVariantKey('/images/400w/default/400w/default/x.jpg', images)).toEqual({
      kind: 'invalid',
      reason: 'a variant of a variant is never made',
    });
    expect(originalPathProblem('images/400w/default/x.jpg', images)).toBe('a variant of a variant is never made');
    // A folder shaped like a key, but before the prefix ends, is part of the prefix's name.
    expect(originalPathProblem('images/cat.jpg', images)).toBeUndefined();
  });

  it.each([
    '/400w/default/cat.jpg',
    '/400w/default/images/cat.jpg',
    '/imagesx/400w/default/cat.jpg',
    '/image/400w/default/a.jpg',
    '/images',
    '/images/',
    '/images/400w',
    '/images/400w/default/',
    '/images/default/default/cat.jpg',
  ])('%s is no key of the /images/* behaviour', (uri) => {
    expect(parseVariantKey(uri, images).kind).toBe('not-variant');
  });

  it('refuses to format a path outside the prefix, and says why such a path has no variants', () => {
    expect(() => formatVariantKey(variant('cat.jpg', 400), images)).toThrow(/outside the behaviour's prefix images\//);
    expect(originalPathProblem('photos/cat.jpg', images)).toBe("the path is outside the behaviour's prefix images/");
  });

  for (const [name, config] of [
    ['/images/*', images],
    ['media/photos/*', nested],
  ] as const) {
    it(`parse(format(v)) equals v, and the key stays under the prefix, for random variants (${name})`, () => {
      const prefix = `/${keyPrefix(config)}`;
      fc.assert(
        fc.property(variants(config), (v) => {
          const key = formatVariantKey(v, config);
          expect(key.startsWith(prefix)).toBe(true);
          expect(parseVariantKey(key, config)).toEqual({ kind: 'variant', variant: v });
          // The same key means nothing to a deployment on another behaviour.
          expect(parseVariantKey(key.slice(prefix.length - 1), config).kind).not.toBe('variant');
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('different variants never share a key under a prefix', () => {
    fc.assert(
      fc.property(variants(images), variants(images), (a, b) => {
        const same = a.path === b.path && sameOptions(a.options, b.options);
        expect(formatVariantKey(a, images) === formatVariantKey(b, images)).toBe(same);
      }),
      { numRuns: RUNS },
    );
  });

  it('no key nested under another key is ever accepted for generation', () => {
    fc.assert(
      fc.property(variants(images), variants(images), (inner, outer) => {
        const path = formatVariantKey(inner, images).slice(1);
        const key = formatVariantKey({ options: outer.options, path }, images);
        expect(parseVariantKey(key, images)).toEqual({
          kind: 'invalid',
          reason: 'a variant of a variant is never made',
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the viewer-request under /images/*', () => {
  it('rewrites a query under the prefix, and passes the key itself on', async () => {
    const first = (await rewrite('/images/cat.jpg', 'width=400')) as CloudFrontRequest;
    expect([first.uri, first.querystring]).toEqual(['/images/400w/default/cat.jpg', '']);
    const again = (await rewrite(first.uri)) as CloudFrontRequest;
    expect(again.uri).toBe('/images/400w/default/cat.jpg');
    expect(((await rewrite('/images/2019/a+b.png', 'width=150&style=bw')) as CloudFrontRequest).uri).toBe(
      '/images/200w/bw/2019/a%20b.png',
    );
  });

  it.each([
    ['/cat.jpg', 'width=400'],
    ['/photos/cat.jpg', 'width=400'],
    ['/400w/default/cat.jpg', ''],
    ['/imagescat.jpg', 'width=400'],
    ['/cat.jpg', 'width=nonsense'],
  ])("passes %s?%s untouched: not this behaviour's", async (uri, querystring) => {
    const result = (await rewrite(uri, querystring)) as CloudFrontRequest;
    expect([result.uri, result.querystring]).toEqual([uri, querystring]);
    expect(decide({ uri, querystring, headers: {} }, images)).toEqual({ action: 'pass' });
  });

  it('still refuses bad queries, nested keys and options on a key under the prefix', async () => {
    expect(await rewrite('/images/cat.jpg', 'width=nonsense')).toMatchObject({ status: '400' });
    expect(await rewrite('/images/400w/default/cat.jpg', 'width=200')).toMatchObject({ status: '400' });
    expect(await rewrite('/images/400w/default/cat.jpg', 'style=bw')).toMatchObject({ status: '400' });
    expect(await rewrite('/images/200w/default/400w/default/cat.jpg')).toMatchObject({ status: '400' });
  });

  it('every rewrite of a random query is a key under the prefix that parses back', async () => {
    const query = fc
      .record({ width: fc.integer({ min: 1, max: 3000 }), style: fc.constantFrom('', 'bw', 'blur') })
      .map(({ width, style }) => `width=${width}${style && `&style=${style}`}`);
    const folders = fc.constantFrom('', '2019/', 'a%20b/', '400w/default/');
    await fc.assert(
      fc.asyncProperty(query, folders, async (qs, folder) => {
        const uri = `/images/${folder}cat.jpg`;
        const result = await rewrite(uri, qs);
        if ('status' in result) {
          // Only a key-shaped folder right after the prefix is refused: a variant of a variant.
          expect(folder).toBe('400w/default/');
          return;
        }
        const key = parseVariantKey(result.uri, images);
        expect(key.kind).toBe('variant');
        if (key.kind === 'variant') expect(key.variant.path).toBe(uri.slice(1));
      }),
      { numRuns: Math.min(RUNS, 500) },
    );
  });
});

describe('signatures and the client helpers under a prefix', () => {
  const KEY = 'k'.repeat(32);
  const devicesOff = { devices: { enabled: false, mobile: 800, tablet: 1200 } };
  const signing = { ...devicesOff, allowList: [], signingKeys: [KEY], pathPattern: '/images/*' };
  const signedViewer = createViewerRequestHandler(resolveConfig(signing));

  it('signs the key under the prefix, and nothing for a path outside it', () => {
    expect(signedKeyOf('images/cat.jpg', 'width=400', images)).toBe('/images/400w/default/cat.jpg');
    expect(signedKeyOf('cat.jpg', 'width=400', images)).toBeUndefined();
  });

  it('imageUrl and srcSet build the same plain URLs whatever the prefix, and land under it', async () => {
    expect(imageUrl('/images/cat.jpg', { width: 350 }, images)).toBe(imageUrl('/images/cat.jpg', { width: 350 }, root));
    for (const candidate of srcSet('/images/cat.jpg', [150, 500, 900], { style: ['bw'] }, images).split(', ')) {
      const [url = '', descriptor = ''] = candidate.split(' ');
      const [path = '', query = ''] = url.split('?');
      expect(((await rewrite(path, query)) as CloudFrontRequest).uri).toBe(`/images/${descriptor}/bw/cat.jpg`);
    }
  });

  it('a URL signed with the prefix configured is admitted by the viewer-request of that behaviour', async () => {
    const config = { ...resolveConfig(signing), signingKeys: [] };
    const signed = imageUrl('/images/cat.jpg', { width: 350, signingKey: KEY }, config);
    const answer = (await signedViewer(
      viewerRequestEvent(...(signed.split('?') as [string, string])),
    )) as CloudFrontRequest;
    expect(answer.uri).toBe('/images/400w/default/cat.jpg');
    // Signed without the prefix, the signature covers another key: refused.
    const unprefixed = imageUrl('/images/cat.jpg', { width: 350, signingKey: KEY }, { ...config, pathPattern: '*' });
    const refused = await signedViewer(viewerRequestEvent(...(unprefixed.split('?') as [string, string])));
    expect(refused).toMatchObject({ status: '403' });
  });
});

describe('patterns the grammar cannot honour', () => {
  it.each([
    ['/images/*.jpg', /must be "\*" or "\/prefix\/\*"/],
    ['/img?/*', /wildcard before its end/],
    ['/images*', /must be "\*" or "\/prefix\/\*"/],
    ["/it's/*", /spell differently/],
    ['/a+b/*', /spell differently/],
    ['/a/../b/*', /spell differently/],
  ])('%s is refused when the configuration is resolved, with a reason', (pathPattern, reason) => {
    expect(() => resolveConfig({ pathPattern })).toThrow(reason);
    const check = behaviourPrefix(pathPattern);
    expect(check.ok).toBe(false);
  });
});

describe('the pathPattern check made when packaging', () => {
  it('accepts "*" and "/prefix/*" and gives the key prefix of each', () => {
    expect(behaviourPrefix('*')).toEqual({ ok: true, prefix: '' });
    expect(behaviourPrefix('/images/*')).toEqual({ ok: true, prefix: 'images/' });
    expect(behaviourPrefix('images/*')).toEqual({ ok: true, prefix: 'images/' });
    expect(behaviourPrefix('/media/photos/*')).toEqual({ ok: true, prefix: 'media/photos/' });
  });

  it('refuses any other wildcard with a reason', () => {
    for (const pattern of [
      '*.jpg',
      '/images/*.jpg',
      '/img?/*',
      '/images*',
      '/images',
      '/*/thumbs/*',
      '//*',
      '/a b/*',
    ]) {
      const check = behaviourPrefix(pattern);
      expect(check.ok, pattern).toBe(false);
      if (!check.ok) expect(check.reason).toContain(`"${pattern}"`);
    }
  });
});
