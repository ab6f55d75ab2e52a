import type { CloudFrontResponseEvent, CloudFrontResultResponse } from 'aws-lambda';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { contractViolations } from '../../local/cloudfront-rules';
import { originResponseEvent } from '../helpers/events';
import { hostile, photo, SVG_WITH_SCRIPT, TEXT_NAMED_JPG, truncated } from '../helpers/fixtures';
import { sha256, startTestS3, type TestS3 } from '../helpers/s3-stack';

type Handler = (event: CloudFrontResponseEvent) => Promise<unknown>;

const logs: Record<string, unknown>[] = [];
setLogSink((line) => logs.push(JSON.parse(line) as Record<string, unknown>));

let s3: TestS3;
const handler = createOriginResponseHandler(resolveConfig()) as Handler;

const ORIGINALS: Record<string, Buffer> = {
  'orient6.jpg': photo('orient6.jpg'),
  'photos/2019/medium-2mp.jpg': photo('medium-2mp.jpg'),
  'alpha-photo.png': photo('alpha-photo.png'),
  'grey.jpg': photo('grey.jpg'),
  'animated.gif': photo('animated.gif'),
  'my cat été.jpg': photo('orient6.jpg'),
  'private/orient6.jpg': photo('orient6.jpg'),
  'images/nested/orient6.jpg': photo('orient6.jpg'),
  'broken/truncated.jpg': truncated('medium-2mp.jpg'),
  'broken/truncated.png': truncated('alpha-photo.png'),
  'broken/text.jpg': TEXT_NAMED_JPG,
  'broken/empty.jpg': Buffer.alloc(0),
  'broken/drawing.png': SVG_WITH_SCRIPT,
  'broken/bomb.png': hostile('bomb-30000x30000.png'),
};

beforeAll(async () => {
  s3 = await startTestS3('photos');
  for (const [key, body] of Object.entries(ORIGINALS)) await s3.put(key, body);
});

afterAll(async () => {
  // Whatever ran, every original is byte for byte what was put there.
  for (const [key, body] of Object.entries(ORIGINALS)) expect(sha256((await s3.get(key))!)).toBe(sha256(body));
  await s3.stop();
});

async function miss(uri: string, status = '404', options: { originPath?: string; via?: Handler } = {}) {
  const event = originResponseEvent(uri, { status, domainName: 'photos.s3.us-east-1.amazonaws.com', ...options });
  const originHeaders = event.Records[0]!.cf.response.headers;
  const response = (await (options.via ?? handler)(event)) as CloudFrontResultResponse;
  expect(contractViolations(response, 'origin-response', originHeaders)).toEqual([]);
  return response;
}

async function decoded(response: CloudFrontResultResponse) {
  expect(response.status).toBe('200');
  expect(response.bodyEncoding).toBe('base64');
  const bytes = Buffer.from(response.body!, 'base64');
  return { bytes, meta: await sharp(bytes).metadata() };
}

describe('origin-response on a miss', () => {
  it('resizes a 404 miss, answers it inline and stores it at the key', async () => {
    const response = await miss('/400w/default/photos/2019/medium-2mp.jpg');
    const { bytes, meta } = await decoded(response);
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 400, 267]);
    expect(response.headers?.['content-type']?.[0]?.value).toBe('image/jpeg');
    expect(response.headers?.['cache-control']?.[0]?.value).toBe(resolveConfig().variantCacheControl);
    expect(await s3.get('400w/default/photos/2019/medium-2mp.jpg')).toEqual(bytes);
    const log = logs.at(-1)!;
    expect(log).toMatchObject({ level: 'INFO', outcome: 'generated', stored: 'stored', width: 400, height: 267 });
    expect(log.transformMs).toEqual(expect.any(Number));
  });

  it("passes S3's 403 on untouched by default: CloudFront may not read that key, nothing is made", async () => {
    const domainName = 'photos.s3.us-east-1.amazonaws.com';
    const event = originResponseEvent('/200h/bw/private/orient6.jpg', { status: '403', domainName });
    const before = structuredClone(event.Records[0]!.cf.response);
    expect(await handler(event)).toEqual(before);
    expect(await s3.exists('200h/bw/private/orient6.jpg')).toBe(false);
  });

  it('treats a 403 (private bucket, no ListBucket) as a miss with treat403AsMiss', async () => {
    const via = createOriginResponseHandler(resolveConfig({ treat403AsMiss: true })) as Handler;
    const { meta } = await decoded(await miss('/200h/bw/private/orient6.jpg', '403', { via }));
    // EXIF orientation 6 applied: the stored 640x428 shows as 428x640, so 200 high is 134 wide.
    expect([meta.width, meta.height, meta.channels, meta.orientation]).toEqual([134, 200, 1, undefined]);
    expect(await s3.exists('200h/bw/private/orient6.jpg')).toBe(true);
  });

  it("never makes a variant of a variant: S3's answer for a nested key passes on, nothing is written", async () => {
    await decoded(await miss('/400w/default/grey.jpg'));
    for (const uri of ['/200w/default/400w/default/grey.jpg', '/2000h2000w-fill/avif-q100/400w/default/grey.jpg']) {
      const event = originResponseEvent(uri, { status: '404', domainName: 'photos.s3.us-east-1.amazonaws.com' });
      const before = structuredClone(event.Records[0]!.cf.response);
      expect(await handler(event)).toEqual(before);
      expect(await s3.exists(uri.slice(1))).toBe(false);
      expect(logs.at(-1)).toMatchObject({ outcome: 'refused', reason: 'a variant of a variant is never made' });
    }
  });

  it('fits inside both dimensions and never enlarges', async () => {
    const both = await decoded(await miss('/400h200w/bw/photos/2019/medium-2mp.jpg'));
    expect([both.meta.width, both.meta.height]).toEqual([200, 133]);
    const bigger = await decoded(await miss('/1000w/default/orient6.jpg'));
    expect([bigger.meta.width, bigger.meta.height]).toEqual([428, 640]);
  });

  it('strips metadata (EXIF, GPS) and applies orientation', async () => {
    const { meta } = await decoded(await miss('/400w/default/orient6.jpg'));
    expect([meta.width, meta.height]).toEqual([400, 598]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('decodes an encoded key (spaces, UTF-8) into the S3 key', async () => {
    await decoded(await miss('/64w/default/my%20cat%20%C3%A9t%C3%A9.jpg'));
    expect(await s3.exists('64w/default/my cat été.jpg')).toBe(true);
  });

  it('reads and writes under the origin path', async () => {
    await decoded(await miss('/100w/default/nested/orient6.jpg', '404', { originPath: '/images' }));
    expect(await s3.exists('images/100w/default/nested/orient6.jpg')).toBe(true);
  });

  it('keeps PNG alpha, and greyscale keeps it too', async () => {
    const colour = await decoded(await miss('/400w/default/alpha-photo.png'));
    expect([colour.meta.format, colour.meta.width, colour.meta.height, colour.meta.hasAlpha]).toEqual([
      'png',
      400,
      200,
      true,
    ]);
    const grey = await decoded(await miss('/400w/bw/alpha-photo.png'));
    expect([grey.meta.channels, grey.meta.hasAlpha]).toEqual([2, true]);
    // The sky is transparent in the original: it must stay transparent, not turn black.
    const { data } = await sharp(colour.bytes)
      .extract({ left: 200, top: 0, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
  });

  it('greyscale gives one channel of real grey', async () => {
    const { bytes, meta } = await decoded(await miss('/default/bw/photos/2019/medium-2mp.jpg'));
    expect([meta.width, meta.height, meta.channels]).toEqual([1920, 1280, 1]);
    const stats = await sharp(bytes).stats();
    expect(stats.channels).toHaveLength(1);
    expect(stats.entropy).toBeGreaterThan(4);
  });

  it('keeps a greyscale original one channel', async () => {
    const { meta } = await decoded(await miss('/400w/default/grey.jpg'));
    expect([meta.width, meta.height, meta.channels]).toEqual([400, 250, 1]);
  });

  it('keeps a GIF animated within the GIF budget', async () => {
    const response = await miss('/100w/default/animated.gif');
    const { meta } = await decoded(response);
    expect(response.headers?.['content-type']?.[0]?.value).toBe('image/gif');
    expect([meta.format, meta.width, meta.height, meta.pages]).toEqual(['gif', 100, 101, 45]);
  });

  it('stores an output over 1 MB and redirects to it, uncacheable', async () => {
    const response = await miss('/2000w/default/alpha-photo.png');
    expect(response.status).toBe('302');
    expect(response.headers?.location?.[0]?.value).toBe('/2000w/default/alpha-photo.png');
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('private, no-store');
    const stored = await s3.get('2000w/default/alpha-photo.png');
    expect(stored!.length * (4 / 3)).toBeGreaterThan(1_000_000);
    const meta = await sharp(stored).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 2000, 1000]);
  });

  it('passes a missing original through untouched and writes nothing', async () => {
    const event = originResponseEvent('/400w/default/nope.jpg', { status: '404' });
    const before = structuredClone(event.Records[0]!.cf.response);
    const response = await handler(event);
    expect(response).toEqual(before);
    expect(await s3.exists('400w/default/nope.jpg')).toBe(false);
    const forbidden = originResponseEvent('/400w/default/nope.jpg', { status: '403' });
    expect(await handler(forbidden)).toEqual(forbidden.Records[0]!.cf.response);
  });

  it.each([
    ['/400w/default/broken/truncated.jpg', 'broken/truncated.jpg', /could not be decoded/],
    ['/400w/default/broken/truncated.png', 'broken/truncated.png', /could not be decoded/],
    ['/400w/default/broken/text.jpg', 'broken/text.jpg', /^the original is not a JPEG, PNG, .* image\n$/],
    ['/400w/default/broken/empty.jpg', 'broken/empty.jpg', /^the original is empty\n$/],
    ['/400w/default/broken/drawing.png', 'broken/drawing.png', /SVG/],
    ['/400w/default/broken/bomb.png', 'broken/bomb.png', /^the original has more than 50000000 pixels\n$/],
  ])('refuses %s with a 422 and stores nothing', async (uri, _original, reason) => {
    const started = performance.now();
    const response = await miss(uri);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(response.status).toBe('422');
    expect(response.body).toMatch(reason);
    expect(response.body!.split('\n')).toHaveLength(2);
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('public, max-age=60');
    expect(await s3.exists(uri.slice(1))).toBe(false);
    expect(logs.at(-1)).toMatchObject({ outcome: 'refused' });
  });

  it('refuses an original over the byte limit before downloading it', async () => {
    const small = createOriginResponseHandler(resolveConfig({ maxInputBytes: 1000 })) as Handler;
    const response = await miss('/100w/default/orient6.jpg', '404', { via: small });
    expect(response.status).toBe('422');
    expect(response.body).toBe('the original is 191853 bytes, over the 1000-byte limit\n');
  });
});

describe('origin-response leaves alone', () => {
  it.each(['200', '304', '500', '503'])('a %s from S3 for a TIFF variant', async (status) => {
    const event = originResponseEvent('/200w/default/scan.tiff', { status });
    const before = structuredClone(event.Records[0]!.cf.response);
    expect(await handler(event)).toEqual(before);
  });

  it.each(['304', '500', '503'])('a %s from S3 for a JPEG variant', async (status) => {
    const event = originResponseEvent('/400w/default/orient6.jpg', { status });
    expect(await handler(event)).toEqual(structuredClone(event.Records[0]!.cf.response));
  });

  it.each(['/400w/default/orient6.jpg', '/400w/webp/animated.gif'])(
    'a 200 from S3 for %s, but for adding Vary: Accept (its query URL was negotiated)',
    async (uri) => {
      const event = originResponseEvent(uri, { status: '200' });
      const before = structuredClone(event.Records[0]!.cf.response);
      const response = (await handler(event)) as CloudFrontResultResponse;
      expect(response).toEqual({ ...before, headers: { ...before.headers, vary: [{ key: 'Vary', value: 'Accept' }] } });
      expect(contractViolations(response, 'origin-response', before.headers)).toEqual([]);
    },
  );

  it.each([
    '/orient6.jpg',
    '/333w/default/orient6.jpg',
    '/400w/sepia/orient6.jpg',
    '/400w/default/a/../orient6.jpg',
    '/default/default/orient6.jpg',
    '/400w/default/readme.txt',
  ])('a 404 for %s, which is not a key to generate', async (uri) => {
    const before = await s3.keys();
    const event = originResponseEvent(uri, { status: '404' });
    expect(await handler(event)).toEqual(structuredClone(event.Records[0]!.cf.response));
    expect(await s3.keys()).toEqual(before);
  });

  it('a custom origin with no configured bucket', async () => {
    const event = originResponseEvent('/400w/default/orient6.jpg', { status: '404' });
    (event.Records[0]!.cf.request as { origin: unknown }).origin = { custom: { domainName: 'example.org' } };
    expect(await handler(event)).toEqual(structuredClone(event.Records[0]!.cf.response));
  });
});

describe('origin-response when the write fails', () => {
  it('still serves the image, logs the failure, and the next miss regenerates', async () => {
    // A plain file where s3rver needs a folder: the PutObject fails inside the real server.
    const blocker = join(s3.directory, 'photos', '600w');
    writeFileSync(blocker, 'not a folder');
    const { meta } = await decoded(await miss('/600w/default/photos/2019/medium-2mp.jpg'));
    expect(meta.width).toBe(600);
    expect(logs.at(-1)).toMatchObject({ level: 'WARN', outcome: 'generated', stored: 'failed' });
    rmSync(blocker);
    expect(await s3.exists('600w/default/photos/2019/medium-2mp.jpg')).toBe(false);
    await decoded(await miss('/600w/default/photos/2019/medium-2mp.jpg'));
    expect(logs.at(-1)).toMatchObject({ level: 'INFO', outcome: 'generated', stored: 'stored' });
    expect(await s3.exists('600w/default/photos/2019/medium-2mp.jpg')).toBe(true);
  });

  it('answers 503, uncacheable, when an output too large to inline cannot be stored', async () => {
    const blocker = join(s3.directory, 'photos', '1600w');
    writeFileSync(blocker, 'not a folder');
    const response = await miss('/1600w/default/alpha-photo.png');
    expect(response.status).toBe('503');
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('no-store');
    rmSync(blocker);
  });
});

describe('the built bundle', () => {
  it('serves a real miss from dist/origin-response/index.js', async () => {
    const built = createRequire(import.meta.url)('../../dist/origin-response/index.js') as { handler: Handler };
    const { meta } = await decoded(
      await miss('/800w/default/photos/2019/medium-2mp.jpg', '404', { via: built.handler }),
    );
    expect([meta.width, meta.height]).toEqual([800, 533]);
    expect(await s3.exists('800w/default/photos/2019/medium-2mp.jpg')).toBe(true);
  });
});
