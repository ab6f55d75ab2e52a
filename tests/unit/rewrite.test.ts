/**
 * Property-based tests over random option sets and viewers: no input makes the viewer-request throw, every
 * rewrite is a key that parses back to the options the query meant, rewriting is idempotent, and two
 * requests share a key only when their options (and original) are the same.
 */
import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { hasImageExtension } from '../../shared/image-path';
import { setLogSink } from '../../shared/log';
import { FITS, OUTPUT_FORMATS, POSITIONS, sameOptions } from '../../shared/options';
import { parseQueryOptions } from '../../viewer-request/query-fold';
import { formatVariantKey, originalPathProblem, parseVariantKey } from '../../shared/variant-key';
import { variants } from '../helpers/variants';
import { createViewerRequestHandler } from '../../viewer-request/handler';
import { viewerHints } from '../../viewer-request/viewer-hints';
import { viewerRequestEvent } from '../helpers/events';

setLogSink(() => {});
const config = resolveConfig();
const handler = createViewerRequestHandler(config);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

const param = fc.oneof(
  fc.tuple(
    fc.constantFrom('width', 'height', 'WIDTH'),
    fc.oneof(fc.integer({ min: 1, max: 5000 }).map(String), fc.string()),
  ),
  fc.tuple(fc.constant('dpr'), fc.constantFrom('1', '1.5', '2', '2.25', '3', '4', 'x')),
  fc.tuple(fc.constant('fit'), fc.constantFrom('inside', ...FITS, 'crop')),
  fc.tuple(fc.constant('position'), fc.constantFrom('centre', 'center', ...POSITIONS, 'top')),
  fc.tuple(fc.constant('background'), fc.constantFrom('ff0000', 'F00', '%23abcdef', 'red')),
  fc.tuple(fc.constant('style'), fc.constantFrom('bw', 'blur', 'grayscale,blur', 'default', 'sepia')),
  fc.tuple(fc.constant('format'), fc.constantFrom(...OUTPUT_FORMATS, 'jpg', 'auto', 'gif')),
  fc.tuple(fc.constant('quality'), fc.oneof(fc.integer({ min: 0, max: 120 }).map(String), fc.constant('hi'))),
  fc.tuple(
    fc.constant('dimensions'),
    fc.constantFrom('twitter-card', 'open-graph', 'square-thumbnail', 'banner', 'icon', 'poster'),
  ),
  fc.tuple(fc.constant('device-type'), fc.constantFrom('mobile', 'tablet', 'desktop', 'tv')),
  fc.tuple(fc.constantFrom('utm_source', 'x'), fc.string()),
);
const querystring = fc.array(param, { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const path = fc.constantFrom(
  '/img.jpg',
  '/a/b/photo.PNG',
  '/x.webp',
  '/anim.gif',
  '/my%20cat.jpeg',
  '/doc.pdf',
  '/t.tiff',
);
const headers = fc.record({
  Accept: fc.constantFrom('*/*', 'image/webp,*/*', 'image/avif,image/webp,*/*;q=0.8', 'text/html'),
  'User-Agent': fc.constantFrom(
    'curl/8',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148',
    'Mozilla/5.0 (iPad; CPU OS 16_6)',
  ),
  'Save-Data': fc.constantFrom('on', 'off'),
});

async function run(event: CloudFrontRequestEvent) {
  return (await handler(event)) as CloudFrontRequest | CloudFrontResultResponse;
}

describe('viewer-request over random requests', () => {
  it('never throws, and every rewrite is a canonical key meaning what the query meant', async () => {
    await fc.assert(
      fc.asyncProperty(path, querystring, headers, async (uri, qs, h) => {
        const event = viewerRequestEvent(uri, qs, h);
        const result = await run(event);
        if ('status' in result) {
          expect(result.status).toBe('400');
          expect(result.body).toMatch(/^[^\n]+\n$/);
          return;
        }
        if (result.uri === uri) return;
        const expected = parseQueryOptions(
          qs,
          uri.slice(1),
          config,
          viewerHints(event.Records[0]!.cf.request.headers, config),
        );
        const key = parseVariantKey(result.uri, config);
        expect(key).toEqual({
          kind: 'variant',
          variant: { path: uri.slice(1), options: expected.kind === 'options' ? expected.options : null },
        });
        expect(result.querystring).toBe('');
        expect(result.uri).not.toContain('..');
        // Idempotent: the key passes through unchanged, whoever asks.
        const again = await run(viewerRequestEvent(result.uri, '', h));
        expect('uri' in again && again.uri).toBe(result.uri);
      }),
      { numRuns: RUNS },
    );
  });

  // decide() does not parse its own key again (it runs on every request): this is the proof that it need not, under
  // configurations that stress each rule the parser checks (ladder and exact sizes, presets off the ladder, any
  // background, negotiation and devices off, other quality steps and defaults).
  const configs = [
    config,
    resolveConfig({ sizes: { mode: 'exact', max: 1500 }, backgrounds: 'any' }),
    resolveConfig({
      sizes: { mode: 'ladder', steps: [50, 333, 999] },
      presets: { banner: { width: 970, height: 250 }, icon: { width: 48, height: 48 } },
    }),
    resolveConfig({
      autoFormats: [],
      devices: { enabled: false, mobile: 800, tablet: 1200 },
      qualitySteps: [35, 65, 95],
      quality: { jpeg: 65, webp: 95, avif: 35, tiff: 80 },
    }),
  ];
  it('every folded option set formats to a key that parses back to it, under any configuration', () => {
    // decide() folds a query only for a path with an image extension that passes pathProblem (all of these do).
    const imagePath = path.filter(hasImageExtension);
    fc.assert(
      fc.property(fc.constantFrom(...configs), imagePath, querystring, headers, (cfg, uri, qs, h) => {
        const hints = viewerHints(viewerRequestEvent(uri, qs, h).Records[0]!.cf.request.headers, cfg);
        const query = parseQueryOptions(qs, uri.slice(1), cfg, hints);
        if (query.kind !== 'options') return;
        const key = formatVariantKey({ options: query.options, path: uri.slice(1) }, cfg);
        expect(parseVariantKey(key, cfg)).toEqual({
          kind: 'variant',
          variant: { options: query.options, path: uri.slice(1) },
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('never rewrites to a nested key, whatever key-shaped path and spelling is asked with any query', async () => {
    const keyShaped = fc
      .tuple(variants(config), fc.constantFrom('', '%34%30%30w/default/', 'default/default/', 'a+b/'))
      .map(([v, prefix]) => `/${prefix}${formatVariantKey(v, config).slice(1)}`);
    await fc.assert(
      fc.asyncProperty(keyShaped, querystring, headers, async (uri, qs, h) => {
        const result = await run(viewerRequestEvent(uri, qs, h));
        if ('status' in result || result.uri === uri) return;
        const key = parseVariantKey(result.uri, config);
        expect(key.kind).toBe('variant');
        if (key.kind === 'variant') expect(originalPathProblem(key.variant.path, config)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('two requests share a key exactly when they mean the same options', async () => {
    await fc.assert(
      fc.asyncProperty(querystring, querystring, headers, async (qa, qb, h) => {
        const event = viewerRequestEvent('/img.jpg', qa, h);
        const hints = viewerHints(event.Records[0]!.cf.request.headers, config);
        const [a, b] = await Promise.all([run(event), run(viewerRequestEvent('/img.jpg', qb, h))]);
        const [oa, ob] = [
          parseQueryOptions(qa, 'img.jpg', config, hints),
          parseQueryOptions(qb, 'img.jpg', config, hints),
        ];
        if (oa.kind !== 'options' || ob.kind !== 'options' || !('uri' in a) || !('uri' in b)) return;
        expect(a.uri === b.uri).toBe(sameOptions(oa.options, ob.options));
      }),
      { numRuns: RUNS },
    );
  });
});
