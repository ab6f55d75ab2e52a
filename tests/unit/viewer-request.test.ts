import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { createViewerRequestHandler } from '../../viewer-request/handler';
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
    expect(ok).toMatchObject({ level: 'INFO', service: 'edge-resize-viewer-request', outcome: 'rewrite', key: '/200w/default/img.jpg' });
    expect(bad).toMatchObject({ level: 'INFO', outcome: 'rejected', reason: 'width must be a whole number of pixels, got "oops"' });
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
