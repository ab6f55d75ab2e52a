/**
 * The lifecycle against the local stack: replacing or deleting an original through the S3 API raises s3rver's
 * object events, which the local stack hands to the refresh function in S3's notification shape; its
 * invalidations go to the mock CloudFront API and from there to the edge cache. Then, through the distribution:
 * the same URL shows the new picture, or 404, and S3 holds nothing made from the old original.
 */
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from '../../local/s3-objects';
import { SOURCE_ETAG } from '../../origin-response/freshness';
import { createRefreshHandler, settingsFromEnv } from '../../refresh/handler';
import { resolveConfig } from '../../shared/config';
import { photo } from '../helpers/fixtures';
import { startSeededStack, type SeededStack, type TestStack } from '../helpers/local-stack';

const OLD = 'orient6.jpg';
const NEW = 'medium-2mp.jpg';

async function height(body: Buffer) {
  return (await sharp(body).metadata()).height;
}

async function expectedHeight(name: string, width: number) {
  return (await sharp(photo(name)).rotate().resize({ width }).toBuffer({ resolveWithObject: true })).info.height;
}

/** Every stored variant of `original` (S3 keys), and whether each was made from its current bytes. */
async function variantsOf(stack: TestStack, original: string) {
  const keys = (await listKeys(stack.s3.client, stack.s3.bucket)).filter(
    (key) => key.endsWith(`/${original}`) && key !== original,
  );
  let current: string | undefined;
  try {
    current = (await stack.s3.client.send(new HeadObjectCommand({ Bucket: stack.s3.bucket, Key: original }))).ETag;
  } catch {
    current = undefined;
  }
  const sources = await Promise.all(
    keys.map(
      async (key) =>
        (await stack.s3.client.send(new HeadObjectCommand({ Bucket: stack.s3.bucket, Key: key }))).Metadata?.[
          SOURCE_ETAG
        ],
    ),
  );
  return { keys, stale: keys.filter((_, i) => sources[i] !== current) };
}

function invalidatedPaths(stack: TestStack): string[] {
  return stack.refresh.api
    .distribution(stack.refresh.distributionId)
    .invalidations.flatMap((i) => i.paths)
    .sort();
}

describe('replace and delete', () => {
  let stack: SeededStack;

  beforeAll(async () => {
    stack = await startSeededStack({ 'cat.jpg': OLD, 'dog.jpg': OLD, 'shop/my cat+1.jpg': OLD });
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('serves the new picture at the same URLs, nothing stale in S3, exactly its variants invalidated', async () => {
    const urls = ['/cat.jpg?width=200', '/cat.jpg?width=400&style=blur', '/dog.jpg?width=200'];
    for (const url of urls) expect((await stack.request(url)).status).toBe(200);
    expect((await stack.request(urls[0]!)).headers.get('x-cache')).toMatch(/^Hit/);
    await stack.s3.client.send(
      new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'cat.jpg', Body: photo(NEW), ContentType: 'image/jpeg' }),
    );
    await stack.refresh.idle();

    expect(invalidatedPaths(stack)).toEqual(['/200w/default/cat.jpg', '/400w/blur/cat.jpg']);
    expect((await variantsOf(stack, 'cat.jpg')).keys).toEqual([]);
    const again = await stack.request(urls[0]!);
    expect(again.headers.get('x-cache')).toMatch(/^Miss/);
    expect(await height(again.body)).toBe(await expectedHeight(NEW, 200));
    expect(await height((await stack.request(urls[1]!)).body)).toBe(await expectedHeight(NEW, 400));
    expect((await variantsOf(stack, 'cat.jpg')).stale).toEqual([]);
    // Another original's variant is untouched, still served from the edge.
    expect((await stack.request(urls[2]!)).headers.get('x-cache')).toMatch(/^Hit/);
    expect(
      await stack.s3.client.send(new HeadObjectCommand({ Bucket: stack.s3.bucket, Key: '200w/default/dog.jpg' })),
    ).toBeTruthy();
    expect(stack.refresh.failures).toEqual([]);
  });

  it('decodes event keys as S3 spells them: a space as +, a plus as %2B', async () => {
    const url = '/shop/my%20cat%2B1.jpg?width=200';
    expect((await stack.request(url)).status).toBe(200);
    const before = invalidatedPaths(stack).length;
    await stack.s3.client.send(
      new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'shop/my cat+1.jpg', Body: photo(NEW) }),
    );
    await stack.refresh.idle();
    const paths = stack.refresh.api.distribution(stack.refresh.distributionId).invalidations.flatMap((i) => i.paths);
    expect(paths.slice(before)).toEqual(['/200w/default/shop/my%20cat%2B1.jpg']);
    expect(await height((await stack.request(url)).body)).toBe(await expectedHeight(NEW, 200));
  });

  it('deletes every variant of a deleted original; its URLs then answer 404', async () => {
    expect((await stack.request('/dog.jpg?width=400')).status).toBe(200);
    const before = invalidatedPaths(stack).length;
    await stack.s3.client.send(new DeleteObjectCommand({ Bucket: stack.s3.bucket, Key: 'dog.jpg' }));
    await stack.refresh.idle();
    const paths = stack.refresh.api.distribution(stack.refresh.distributionId).invalidations.flatMap((i) => i.paths);
    expect(paths.slice(before).sort()).toEqual(['/200w/default/dog.jpg', '/400w/default/dog.jpg']);
    expect((await variantsOf(stack, 'dog.jpg')).keys).toEqual([]);
    expect((await stack.request('/dog.jpg?width=200')).status).toBe(404);
    expect((await stack.request('/dog.jpg')).status).toBe(404);
  });
});

describe('pre-generation', () => {
  let stack: SeededStack;
  const config = resolveConfig({ pregenerate: [{ width: 200 }, { width: 400, format: 'webp' }] });

  beforeAll(async () => {
    stack = await startSeededStack(
      { 'seeded.jpg': OLD },
      { refreshHandler: () => createRefreshHandler(config, settingsFromEnv(process.env)) },
    );
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('makes the configured variants when an original is written, before the first request', async () => {
    await stack.s3.client.send(
      new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'new.jpg', Body: photo(NEW), ContentType: 'image/jpeg' }),
    );
    await stack.refresh.idle();
    const stored = (await listKeys(stack.s3.client, stack.s3.bucket)).filter((key) => key.endsWith('/new.jpg')).sort();
    // The plain entry in every format negotiation may pick, as browsers' requests are rewritten.
    expect(stored).toEqual(['200w/avif/new.jpg', '200w/default/new.jpg', '200w/webp/new.jpg', '400w/webp/new.jpg']);
    expect((await variantsOf(stack, 'new.jpg')).stale).toEqual([]);
    const first = await stack.request('/new.jpg?width=200');
    expect(first.status).toBe(200);
    const record = stack.records.at(-1)!;
    expect([record.originStatus, record.originResponse]).toEqual([200, 'passed']);
    expect(await height(first.body)).toBe(await expectedHeight(NEW, 200));
  });
});
