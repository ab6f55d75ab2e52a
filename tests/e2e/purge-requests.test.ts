/**
 * What one purge costs in S3 requests, counted by a proxy in front of s3rver, for buckets of originals under a
 * folder with 20 variants each (10 widths x 2 styles). The count depends on the (dims, style) pairs in use, not
 * on how many originals the bucket holds: two buckets of different sizes must give the same count, and that
 * count must be the one the listing plan predicts (1 top-level listing, 1 per dims, 1 HeadObject per pair,
 * 1 DeleteObjects per 1,000 pairs, 1 HeadObject of the original).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, expect, it } from 'vitest';
import { createRefreshHandler } from '../../refresh/handler';
import { S3RVER_CREDENTIALS } from '../../local/s3-server';
import { DEFAULT_LADDER, resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { operation, startS3Proxy, type S3Proxy } from '../helpers/s3-proxy';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

setLogSink(() => {});
const config = resolveConfig();
const STYLES = ['default', 'bw'];
const PAIRS = DEFAULT_LADDER.flatMap((w) => STYLES.map((style) => `${w}w/${style}`));

let s3: TestS3 | undefined;
let proxy: S3Proxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  await s3?.stop();
});

async function countPurge(originals: number): Promise<Record<string, number>> {
  s3 = await startTestS3('photos');
  const put = (Key: string) => s3!.client.send(new PutObjectCommand({ Bucket: 'photos', Key, Body: Buffer.from('x') }));
  for (let i = 0; i < originals; i += 1) {
    const key = `products/item-${i}.jpg`;
    await Promise.all([put(key), ...PAIRS.map((pair) => put(`${pair}/${key}`))]);
  }
  proxy = await startS3Proxy(s3.endpoint);
  const client = new S3Client({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const handler = createRefreshHandler(config, { distributionId: undefined, keyPrefix: '', s3: client });
  const task = { taskId: 't', s3Key: 'products/item-0.jpg', s3Bucket: 'photos' };
  const answer = await handler({
    invocationSchemaVersion: '2.0',
    invocationId: 'i',
    job: { id: 'j', userArguments: { action: 'purge' } },
    tasks: [task],
  });
  expect(answer?.results[0]).toMatchObject({
    resultCode: 'Succeeded',
    resultString: `purged: ${PAIRS.length} variants purged`,
  });
  client.destroy();
  const counts: Record<string, number> = {};
  for (const request of proxy.requests) counts[operation(request)] = (counts[operation(request)] ?? 0) + 1;
  await proxy.stop();
  await s3.stop();
  proxy = undefined;
  s3 = undefined;
  return counts;
}

it('counts the same S3 requests per purge whatever the number of originals', async () => {
  const small = await countPurge(5);
  const large = await countPurge(25);
  expect(large).toEqual(small);
  const dims = new Set(PAIRS.map((pair) => pair.split('/')[0])).size;
  expect(small).toEqual({
    ListObjectsV2: 1 + dims,
    HeadObject: PAIRS.length + 1,
    DeleteObjects: Math.ceil(PAIRS.length / 1000),
  });
  console.log(`S3 requests per purge, ${PAIRS.length} variants per original: ${JSON.stringify(small)}`);
});
