import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { createViewerRequestHandler } from '../../viewer-request/handler';
import { sign } from '../../viewer-request/signature';
import { contractViolations } from '../../local/cloudfront-rules';
import { viewerRequestEvent } from '../helpers/events';

type Handler = (event: CloudFrontRequestEvent) => Promise<unknown>;

const logs: string[] = [];
setLogSink((line) => logs.push(line));

// The source handler, and the bundle `npm run build` made, which is what gets deployed.
const built = createRequire(import.meta.url)('../../dist/viewer-request/index.js') as { handler: Handler };
const handlers: [string, Handler][] = [
  ['source', createViewerRequestHandler(resolveConfig())],
  ['dist bundle', built.handler],
];

describe.each(handlers)('viewer-request (%s)', (_name, handler) => {
  async function run(uri: string, querystring = ''): Promise<CloudFrontRequest | CloudFrontResultResponse> {
    return (await handler(viewerRequestEvent(uri, querystring))) as CloudFrontRequest | CloudFrontResultResponse;
  }
  async function rewritten(uri: string, querystring = ''): Promise<CloudFrontRequest> {
    const result = await run(uri, querystring);
    expect(result).toHaveProperty('uri');
    return result as CloudFrontRequest;
  }

  it.each([
    ['/img.jpg', 'width=200&height=400&style=bw', '/400h200w/bw/img.jpg'],
    ['/img.jpg', 'style=bw&height=400&width=200', '/400h200w/bw/img.jpg'],
    ['/img.jpg', 'width=400', '/400w/default/img.jpg'],
    ['/img.jpg', 'style=bw', '/default/bw/img.jpg'],
    ['/img.jpg', 'style=grayscale', '/default/bw/img.jpg'],
    ['/photos/2019/img.jpg', 'width=400', '/400w/default/photos/2019/img.jpg'],
    ['/photos/IMG.JPEG', 'width=350&utm_source=news', '/400w/default/photos/IMG.JPEG'],
    ['/my%20cat%20%C3%A9t%C3%A9.png', 'height=100', '/100h/default/my%20cat%20%C3%A9t%C3%A9.png'],
    ['/a.tiff', 'width=5000', '/2000w/default/a.tiff'],
  ])('%s?%s becomes %s with the query emptied', async (uri, qs, key) => {
    const request = await rewritten(uri, qs);
    expect(request.uri).toBe(key);
    expect(request.querystring).toBe('');
    // Idempotent: the canonical URI passes through unchanged.
    const again = await rewritten(key, '');
    expect(again.uri).toBe(key);
    expect(again.querystring).toBe('');
  });

  it.each([
    ['/img.jpg', ''],
    ['/img.jpg', 'utm_source=news'],
    ['/img.jpg', 'style=default'],
    ['/doc.pdf', 'width=200'],
    ['/index.html', 'width=200'],
    ['/img', 'width=200'],
    ['/', ''],
    ['/400w/default/img.jpg', 'utm_source=news'],
  ])('%s?%s is left alone', async (uri, qs) => {
    const request = await rewritten(uri, qs);
    expect(request.uri).toBe(uri);
    expect(request.querystring).toBe(qs);
  });

  it.each([
    ['/img.jpg', 'width=abc', 'width must be a whole number of pixels, got "abc"'],
    ['/img.jpg', 'width=-5', 'width must be a whole number of pixels, got "-5"'],
    ['/img.jpg', 'width=1e3', 'width must be a whole number of pixels, got "1e3"'],
    ['/img.jpg', 'width=0x20', 'width must be a whole number of pixels, got "0x20"'],
    ['/img.jpg', 'style=sepia', 'style must be bw, greyscale, grayscale, blur or default, got "sepia"'],
    ['/img.jpg', 'width=200&width=300', 'width is given twice with different values'],
    ['/a/../img.jpg', 'width=200', 'the path has a dot segment'],
    ['/a/%2E/img.jpg', 'width=200', 'the path has a dot segment'],
    ['/a//img.jpg', 'width=200', 'the path has an empty segment'],
    ['/bad%E0.jpg', 'width=200', 'the path has broken percent-encoding'],
    ['/a%2F..%2Fb.jpg', 'width=200', 'the path has an encoded slash or backslash'],
    ['/333w/default/img.jpg', '', 'width 333 is not an allowed size'],
    ['/400w/default/img.jpg', 'width=200', 'options cannot be added to a resized image URI'],
    [`/${'a'.repeat(8200)}.jpg`, 'width=200', 'the URI is too long'],
  ])('%s?%s answers 400: %s', async (uri, qs, reason) => {
    const response = (await run(uri, qs)) as CloudFrontResultResponse;
    expect(response.status).toBe('400');
    expect(response.body).toBe(`${reason}\n`);
    expect(response.headers?.['content-type']?.[0]?.value).toBe('text/plain; charset=utf-8');
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('public, max-age=60');
    expect(contractViolations(response, 'viewer-request')).toEqual([]);
  });

  it('gives every spelling of one variant one key, in the encoding S3 reads the same way', async () => {
    const spellings: [string, string][] = [
      ['/400w/default/%67rey.jpg', ''],
      ['/400w/default/g%72ey.jpg', ''],
      ['/%67%72ey.jpg', 'width=400'],
      ['/grey.jpg', 'width=400'],
      ['/400w/default/grey.jpg', ''],
    ];
    const keys = await Promise.all(spellings.map(async ([uri, qs]) => (await rewritten(uri, qs)).uri));
    expect(new Set(keys)).toEqual(new Set(['/400w/default/grey.jpg']));
    // S3 reads `+` in a path as a space: the key is the one S3 looks up for the URL, a literal plus stays `%2B`.
    expect((await rewritten('/a+b.jpg', 'width=400')).uri).toBe('/400w/default/a%20b.jpg');
    expect((await rewritten('/400w/default/a+b.jpg')).uri).toBe('/400w/default/a%20b.jpg');
    expect((await rewritten('/a%2bb.jpg', 'width=400')).uri).toBe('/400w/default/a%2Bb.jpg');
    // Originals pass as they came: S3 serves them whatever the spelling, and no function runs.
    expect((await rewritten('/%67rey.jpg')).uri).toBe('/%67rey.jpg');
  });

  it.each([
    ['/200w/default/400w/default/grey.jpg', ''],
    ['/2000h2000w-fill/avif-q100/64w/default/grey.jpg', ''],
    ['/200w/default/%34%30%30w/default/grey.jpg', ''],
    ['/default/default/grey.jpg', 'width=400'],
    ['/400w/default/grey.jpg', 'width=200'],
  ])('never asks for a variant of a variant: %s?%s answers 400', async (uri, qs) => {
    const response = (await run(uri, qs)) as CloudFrontResultResponse;
    expect(response.status).toBe('400');
    expect(response.body).toMatch(
      /^(a variant of a variant is never made|options cannot be added to a resized image URI)\n$/,
    );
  });

  it('never lets a key contain ..', async () => {
    for (const uri of ['/../x.jpg', '/a/..%2Fx.jpg', '/%2e%2E/x.jpg', '/a/.%2e/x.jpg']) {
      const result = await run(uri, 'width=200');
      expect(JSON.stringify(result)).not.toMatch(/"uri":"[^"]*\.\./);
      expect((result as CloudFrontResultResponse).status).toBe('400');
    }
  });

  it('answers a valid response to a malformed event instead of throwing', async () => {
    const result = (await handler({ Records: [] })) as CloudFrontResultResponse;
    expect(result.status).toBe('500');
    expect(contractViolations(result, 'viewer-request')).toEqual([]);
  });
});

describe('viewer-request logs', () => {
  it('writes one JSON object per event', async () => {
    logs.length = 0;
    const handler = createViewerRequestHandler(resolveConfig());
    await handler(viewerRequestEvent('/img.jpg', 'width=200'));
    await handler(viewerRequestEvent('/img.jpg', 'width=oops'));
    expect(logs).toHaveLength(2);
    const [ok, bad] = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ok).toMatchObject({
      level: 'INFO',
      service: 'edge-resize-viewer-request',
      outcome: 'rewrite',
      key: '/200w/default/img.jpg',
    });
    expect(bad).toMatchObject({
      level: 'INFO',
      outcome: 'rejected',
      reason: 'width must be a whole number of pixels, got "oops"',
    });
  });

  it('leaves out an empty query string, and the key of a request it did not rewrite', async () => {
    logs.length = 0;
    const handler = createViewerRequestHandler(resolveConfig());
    await handler(viewerRequestEvent('/index.html'));
    await handler(viewerRequestEvent('/index.html', 'v=2'));
    const [plain, query] = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(plain!)).toEqual(['level', 'message', 'timestamp', 'service', 'requestId', 'uri', 'outcome']);
    expect(plain).toMatchObject({ message: 'pass', uri: '/index.html', outcome: 'pass' });
    expect(query).toMatchObject({ uri: '/index.html', querystring: 'v=2', outcome: 'pass' });
    expect(query).not.toHaveProperty('key');
  });
});

describe('configured policy', () => {
  it('exact mode keeps exact sizes up to the cap', async () => {
    const handler = createViewerRequestHandler(resolveConfig({ sizes: { mode: 'exact', max: 1500 } }));
    const a = (await handler(viewerRequestEvent('/img.jpg', 'width=333'))) as CloudFrontRequest;
    const b = (await handler(viewerRequestEvent('/img.jpg', 'width=9000'))) as CloudFrontRequest;
    expect([a.uri, b.uri]).toEqual(['/333w/default/img.jpg', '/1500w/default/img.jpg']);
  });
});

describe("owner's cost controls", () => {
  const KEY = 'k'.repeat(32);
  const OLD_KEY = 'o'.repeat(32);
  const allowList = [{ width: 400 }, { width: 800 }, { width: 1200 }, { width: 800, format: 'webp' as const }];
  const strict = createViewerRequestHandler(resolveConfig({ allowList }));
  const signing = createViewerRequestHandler(resolveConfig({ allowList, signingKeys: [KEY, OLD_KEY] }));
  async function answer(handler: Handler, uri: string, qs = '', headers: Record<string, string> = {}) {
    const result = (await handler(viewerRequestEvent(uri, qs, headers))) as CloudFrontRequest &
      CloudFrontResultResponse;
    return result.status ?? result.uri;
  }

  it('an allow-list admits its option sets (negotiated formats and devices included) and refuses others', async () => {
    expect(await answer(strict, '/img.jpg', 'width=350')).toBe('/400w/default/img.jpg');
    expect(await answer(strict, '/img.jpg', 'width=400', { Accept: 'image/avif,*/*' })).toBe('/400w/avif/img.jpg');
    expect(await answer(strict, '/img.jpg', 'width=800&format=webp')).toBe('/800w/webp/img.jpg');
    expect(await answer(strict, '/img.jpg', '', { 'User-Agent': 'Mozilla/5.0 (iPhone) Mobile' })).toBe(
      '/800w/default/img.jpg',
    );
    expect(await answer(strict, '/400w/default/img.jpg')).toBe('/400w/default/img.jpg');
    for (const [uri, qs] of [
      ['/img.jpg', 'width=200'],
      ['/img.jpg', 'width=400&format=png'],
      ['/img.jpg', 'width=400&style=bw'],
      ['/img.jpg', 'width=400&quality=90'],
      ['/200w/default/img.jpg', ''],
      ['/400w/png/img.jpg', ''],
    ] as const) {
      const response = (await strict(viewerRequestEvent(uri, qs))) as CloudFrontResultResponse;
      expect([response.status, response.body]).toEqual(['400', 'these options are not on the allow-list\n']);
    }
  });

  it('a signed URL may name any option set the policy allows, under any of the keys', async () => {
    for (const key of [KEY, OLD_KEY]) {
      const s = sign('/200w/bw/img.jpg', key);
      expect(await answer(signing, '/img.jpg', `width=200&style=bw&s=${s}`)).toBe('/200w/bw/img.jpg');
      expect(await answer(signing, '/200w/bw/img.jpg', `s=${s}`)).toBe('/200w/bw/img.jpg');
      // The signature is over the key the URL names before the viewer's headers choose a format.
      expect(await answer(signing, '/img.jpg', `style=bw&width=200&s=${s}`, { Accept: 'image/webp' })).toBe(
        '/200w/bw-webp/img.jpg',
      );
    }
  });

  it(
    'refuses a wrong, foreign-key or misplaced signature ' +
      'with 403, and an unsigned URL off the allow-list with 400',
    async () => {
      const s = sign('/200w/bw/img.jpg', KEY);
      expect(await answer(signing, '/img.jpg', `width=200&s=${s}`)).toBe('403');
      expect(await answer(signing, '/other.jpg', `width=200&style=bw&s=${s}`)).toBe('403');
      expect(
        await answer(signing, '/img.jpg', `width=200&style=bw&s=${sign('/200w/bw/img.jpg', 'x'.repeat(32))}`),
      ).toBe('403');
      expect(await answer(signing, '/img.jpg', `width=200&style=bw&s=${s.slice(1)}`)).toBe('403');
      expect(await answer(signing, '/img.jpg', 'width=200&style=bw&s=')).toBe('403');
      const unsigned = (await signing(
        viewerRequestEvent('/img.jpg', 'width=200&style=bw'),
      )) as CloudFrontResultResponse;
      expect([unsigned.status, unsigned.body]).toEqual(['400', 'these options are not on the allow-list\n']);
      expect(await answer(signing, '/img.jpg', 'width=400')).toBe('/400w/default/img.jpg');
      // Without signing keys a signature means nothing: the allow-list still holds.
      expect(await answer(strict, '/img.jpg', `width=200&style=bw&s=${s}`)).toBe('400');
    },
  );
});
