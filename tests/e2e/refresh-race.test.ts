/**
 * The race a replacement can lose: a miss reads the old original, the new one lands, then the miss writes its
 * variant. A proxy in front of s3rver replaces the original at the exact moment the variant's PUT arrives, so the
 * race happens every run; nothing made from the old original may survive, in S3 or in a cacheable answer.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFrontResultResponse } from 'aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SOURCE_ETAG } from '../../origin-response/freshness';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { useS3Endpoint } from '../../local/s3-server';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { originResponseEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';
import { startS3Proxy, type S3Proxy } from '../helpers/s3-proxy';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

setLogSink(() => {});
const OLD = photo('orient6.jpg');
const NEW = photo('medium-2mp.jpg');
const KEY = '200w/default/cat.jpg';

let s3: TestS3;
let proxy: S3Proxy;
const config = resolveConfig();

beforeAll(async () => {
  s3 = await startTestS3('photos');
  proxy = await startS3Proxy(s3.endpoint);
  // The handler's client goes through the proxy; the test's own client talks to s3rver directly.
  useS3Endpoint(proxy.endpoint);
  await s3.put('cat.jpg', OLD, 'image/jpeg');
});

afterAll(async () => {
  await proxy.stop();
  await s3.stop();
});

async function head(key: string) {
  return s3.client.send(new HeadObjectCommand({ Bucket: 'photos', Key: key }));
}

async function miss(): Promise<CloudFrontResultResponse> {
  const handler = createOriginResponseHandler(config);
  const event = originResponseEvent(`/${KEY}`, { status: '404', domainName: 'photos.s3.us-east-1.amazonaws.com' });
  return (await handler(event)) as CloudFrontResultResponse;
}

it('a miss that read a replaced original deletes its write and answers no-store; the next is fresh', async () => {
  let raced = false;
  proxy.before = async (request) => {
    if (!raced && request.method === 'PUT' && request.url.startsWith(`/photos/${KEY}`)) {
      raced = true;
      await s3.put('cat.jpg', NEW, 'image/jpeg');
    }
  };
  const first = await miss();
  expect(raced).toBe(true);
  expect(first.status).toBe('200');
  expect(first.headers?.['cache-control']?.[0]?.value).toBe('no-store');
  // Made from the old original, and so gone from S3.
  const oldHeight = (await sharp(OLD).rotate().resize({ width: 200 }).toBuffer({ resolveWithObject: true })).info
    .height;
  expect((await sharp(Buffer.from(first.body!, 'base64')).metadata()).height).toBe(oldHeight);
  expect(await s3.exists(KEY)).toBe(false);

  proxy.before = undefined;
  const second = await miss();
  expect(second.headers?.['cache-control']?.[0]?.value).toBe(config.variantCacheControl);
  const newHeight = (await sharp(NEW).rotate().resize({ width: 200 }).toBuffer({ resolveWithObject: true })).info
    .height;
  expect(newHeight).not.toBe(oldHeight);
  expect((await sharp(Buffer.from(second.body!, 'base64')).metadata()).height).toBe(newHeight);
  const stored = await head(KEY);
  expect(stored.Metadata?.[SOURCE_ETAG]).toBe((await head('cat.jpg')).ETag);
});
