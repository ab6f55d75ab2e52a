/**
 * Every option end to end through the pair: the viewer-request rewrites a query URL (with the viewer's
 * headers), then the origin-response generates that key from a real original in s3rver.
 */
import type { CloudFrontRequest, CloudFrontResultResponse } from 'aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { transform } from '../../origin-response/transform';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { createViewerRequestHandler } from '../../viewer-request/handler';
import { contractViolations } from '../../local/cloudfront-rules';
import { originResponseEvent, viewerRequestEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

setLogSink(() => {});
const config = resolveConfig();
const viewer = createViewerRequestHandler(config);
const origin = createOriginResponseHandler(config);
const CHROME_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Version/17.5 Mobile/15E148 Safari/604.1';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3('photos');
  await s3.put('medium.jpg', photo('medium-2mp.jpg'));
  await s3.put('alpha.png', photo('alpha-photo.png'));
  await s3.put('portrait.jpg', photo('orient6.jpg'));
  await s3.put('anim.gif', photo('animated.gif'));
});
afterAll(() => s3.stop());

/**
 * The chroma subsampling an AVIF file declares in its AV1 codec configuration box (av1C): after the marker and
 * version byte and the profile and level byte, one byte of tier, bit depth, monochrome, then subsampling x and y.
 */
function avifChroma(bytes: Buffer): string {
  const box = bytes.indexOf('av1C');
  if (box < 0) throw new Error('no av1C box');
  const flags = bytes[box + 4 + 2]!;
  const [x, y] = [(flags >> 3) & 1, (flags >> 2) & 1];
  return x && y ? '4:2:0' : x ? '4:2:2' : '4:4:4';
}

/** Viewer-request, then origin-response on S3's 404 for the rewritten key. */
async function request(uri: string, querystring: string, viewerHeaders: Record<string, string> = {}) {
  const rewritten = (await viewer(viewerRequestEvent(uri, querystring, viewerHeaders))) as CloudFrontRequest;
  expect(rewritten.querystring).toBe('');
  const event = originResponseEvent(rewritten.uri, { status: '404' });
  const response = (await origin(event)) as CloudFrontResultResponse;
  expect(contractViolations(response, 'origin-response', event.Records[0]!.cf.response.headers)).toEqual([]);
  expect(response.status).toBe('200');
  const bytes = Buffer.from(response.body!, 'base64');
  const header = (name: string) => response.headers?.[name]?.[0]?.value;
  return {
    key: rewritten.uri,
    bytes,
    meta: await sharp(bytes).metadata(),
    header,
    stored: await s3.get(rewritten.uri.slice(1)),
  };
}

describe('format', () => {
  it('converts on request, with a Content-Type that matches the bytes', async () => {
    for (const [format, type, decoded] of [
      ['webp', 'image/webp', 'webp'],
      ['avif', 'image/avif', 'heif'],
      ['png', 'image/png', 'png'],
    ]) {
      const r = await request('/medium.jpg', `width=400&format=${format}`);
      expect(r.key).toBe(`/400w/${format}/medium.jpg`);
      expect([r.header('content-type'), r.meta.format, r.meta.width]).toEqual([type, decoded, 400]);
      expect(r.stored).toEqual(r.bytes);
    }
  });

  it('negotiates AVIF from a browser Accept and says Vary: Accept', async () => {
    const r = await request('/medium.jpg', 'width=800', { Accept: CHROME_ACCEPT });
    expect(r.key).toBe('/800w/avif/medium.jpg');
    expect([r.header('content-type'), r.meta.format, r.meta.width]).toEqual(['image/avif', 'heif', 800]);
    expect(r.header('vary')).toBe('Accept');
  });

  it('encodes AVIF colour at 4:2:0, as the JPEG and WebP outputs, and at 4:4:4 when configured', async () => {
    const r = await request('/medium.jpg', 'width=400&format=avif');
    expect(avifChroma(r.bytes)).toBe('4:2:0');
    const whole = await transform(
      photo('medium-2mp.jpg'),
      { width: 400, styles: [], format: 'avif' },
      resolveConfig({ avifChromaSubsampling: '4:4:4' }),
    );
    expect([whole.contentType, avifChroma(whole.data)]).toEqual(['image/avif', '4:4:4']);
  });

  it('flattens PNG transparency onto white for JPEG', async () => {
    const r = await request('/alpha.png', 'width=400&format=jpeg');
    expect([r.meta.format, r.meta.hasAlpha, r.meta.channels]).toEqual(['jpeg', false, 3]);
    const { data } = await sharp(r.bytes)
      .extract({ left: 200, top: 0, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...data].every((v) => v > 245)).toBe(true);
  });

  it('keeps a GIF animated as WebP', async () => {
    const r = await request('/anim.gif', 'width=200&format=webp');
    expect([r.meta.format, r.meta.width]).toEqual(['webp', 200]);
    // 45 frames in; libwebp merges consecutive frames that come out identical, so a few fewer come out.
    expect(r.meta.pages).toBeGreaterThan(40);
    // The same key is what a browser's Accept negotiates for a GIF, so caches must key it by Accept.
    expect(r.header('vary')).toBe('Accept');
  });

  it('answers a GIF at 400 wide as animated WebP to a browser that accepts WebP, within the work budget', async () => {
    const r = await request('/anim.gif', 'width=400', { Accept: CHROME_ACCEPT });
    expect(r.key).toBe('/400w/webp/anim.gif');
    expect([r.meta.format, r.meta.width, r.header('content-type')]).toEqual(['webp', 400, 'image/webp']);
    expect(r.meta.pages).toBeGreaterThan(1);
  });

  it('answers a GIF at 400 wide as a GIF to a browser without WebP: over the GIF budget, its first frame', async () => {
    const r = await request('/anim.gif', 'width=400', { Accept: 'image/gif,image/*' });
    expect(r.key).toBe('/400w/default/anim.gif');
    expect([r.meta.format, r.meta.width, r.meta.pages ?? 1]).toEqual(['gif', 400, 1]);
  });
});

describe('quality', () => {
  it('lower quality, fewer bytes; Save-Data lowers the default', async () => {
    const normal = await request('/medium.jpg', 'width=800');
    const low = await request('/medium.jpg', 'width=800&quality=30');
    const saving = await request('/medium.jpg', 'width=800', { 'Save-Data': 'on' });
    expect([low.key, saving.key]).toEqual(['/800w/q30/medium.jpg', '/800w/q40/medium.jpg']);
    expect(low.bytes.length).toBeLessThan(saving.bytes.length);
    expect(saving.bytes.length).toBeLessThan(normal.bytes.length * 0.8);
  });
});

describe('fit', () => {
  it('cover crops to the exact box, from the anchor asked for', async () => {
    const centre = await request('/medium.jpg', 'width=400&height=400&fit=cover');
    const west = await request('/medium.jpg', 'width=400&height=400&fit=cover&position=west');
    const smart = await request('/medium.jpg', 'width=400&height=400&fit=cover&position=attention');
    for (const r of [centre, west, smart]) expect([r.meta.width, r.meta.height]).toEqual([400, 400]);
    expect(west.key).toBe('/400h400w-cover-west/default/medium.jpg');
    expect(Buffer.compare(centre.bytes, west.bytes)).not.toBe(0);
  });

  it('contain letterboxes with the background colour', async () => {
    const r = await request('/medium.jpg', 'width=400&height=400&fit=contain&background=ff0000');
    expect([r.key, r.meta.width, r.meta.height]).toEqual(['/400h400w-contain-ff0000/default/medium.jpg', 400, 400]);
    const { data } = await sharp(r.bytes)
      .extract({ left: 200, top: 2, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(230);
    expect(data[1]).toBeLessThan(30);
  });

  it('fill stretches to the box', async () => {
    const r = await request('/portrait.jpg', 'width=400&height=200&fit=fill');
    expect([r.meta.width, r.meta.height]).toEqual([400, 200]);
  });
});

describe('presets, dpr, styles, devices', () => {
  it('twitter-card is exactly 1200 x 628', async () => {
    const r = await request('/medium.jpg', 'dimensions=twitter-card');
    expect([r.key, r.meta.width, r.meta.height]).toEqual(['/628h1200w-cover/default/medium.jpg', 1200, 628]);
  });

  it('dpr=2 shares the stored object of twice the width', async () => {
    const r = await request('/medium.jpg', 'width=100&dpr=2');
    expect([r.key, r.meta.width]).toEqual(['/200w/default/medium.jpg', 200]);
  });

  it('blur softens the picture', async () => {
    const sharpImage = await request('/medium.jpg', 'width=400');
    const blurred = await request('/medium.jpg', 'width=400&style=blur');
    const [a, b] = await Promise.all([sharp(sharpImage.bytes).stats(), sharp(blurred.bytes).stats()]);
    expect(b.sharpness).toBeLessThan(a.sharpness / 2);
    const both = await request('/medium.jpg', 'width=400&style=blur,bw');
    expect([both.key, both.meta.channels]).toEqual(['/400w/bw-blur/medium.jpg', 1]);
  });

  it('an iPhone asking the plain URL gets the mobile width', async () => {
    const r = await request('/medium.jpg', '', { 'User-Agent': IPHONE, Accept: 'image/webp,*/*' });
    expect([r.key, r.meta.format, r.meta.width]).toEqual(['/800w/webp/medium.jpg', 'webp', 800]);
  });

  it('a desktop asking the plain URL gets the original', async () => {
    const passed = (await viewer(
      viewerRequestEvent('/medium.jpg', '', { Accept: CHROME_ACCEPT }),
    )) as CloudFrontRequest;
    expect(passed.uri).toBe('/medium.jpg');
  });
});
