/**
 * S3 Batch Operations' "Invoke AWS Lambda function" events, in both documented schema versions, run through the
 * built refresh function on the local stack; the answers must carry Batch Operations' result shape.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listKeys } from '../../local/s3-objects';
import { createRefreshHandler, settingsFromEnv } from '../../refresh/handler';
import { resolveConfig } from '../../shared/config';
import { photo } from '../helpers/fixtures';
import { startSeededStack, type SeededStack } from '../helpers/local-stack';

let stack: SeededStack;
const config = resolveConfig({ pregenerate: [{ width: 200 }] });

beforeAll(async () => {
  stack = await startSeededStack(
    { 'products/a b.jpg': 'orient6.jpg', 'products/c.png': 'alpha-photo.png' },
    { refreshHandler: () => createRefreshHandler(config, settingsFromEnv(process.env)) },
  );
});

afterAll(async () => {
  await stack.stop();
});

/** AWS's documented 1.0 event: the bucket as an ARN, one task. */
function eventV1(s3Key: string) {
  return {
    invocationSchemaVersion: '1.0',
    invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
    job: { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce' },
    tasks: [
      { taskId: 'dGFza2lkZ29lc2hlcmUK', s3Key, s3VersionId: '1', s3BucketArn: `arn:aws:s3:::${stack.s3.bucket}` },
    ],
  };
}

/** AWS's documented 2.0 event: the bucket by name, the job's user arguments. */
function eventV2(s3Key: string, userArguments: Record<string, string>) {
  return {
    invocationSchemaVersion: '2.0',
    invocationId: 'Zm9vYmFyYmF6cXV4',
    job: { id: 'a2ba8b1e-2c7d-4d2a-9d6b-0f5a9a1e8c11', userArguments },
    tasks: [{ taskId: 'dGFza2lkMg', s3Key, s3VersionId: null, s3Bucket: stack.s3.bucket }],
  };
}

const variantsOf = async (name: string) =>
  (await listKeys(stack.s3.client, stack.s3.bucket)).filter((key) => key.endsWith(`/products/${name}`)).sort();

it('1.0: warms one original (URL-encoded key) and answers the documented result shape', async () => {
  const answer = await stack.refresh.invoke(eventV1('products/a+b.jpg'));
  expect(answer).toEqual({
    invocationSchemaVersion: '1.0',
    treatMissingKeysAs: 'PermanentFailure',
    invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
    results: [
      {
        taskId: 'dGFza2lkZ29lc2hlcmUK',
        resultCode: 'Succeeded',
        resultString: expect.stringMatching(/^warmed/) as unknown,
      },
    ],
  });
  expect(await variantsOf('a b.jpg')).toEqual([
    '200w/avif/products/a b.jpg',
    '200w/default/products/a b.jpg',
    '200w/webp/products/a b.jpg',
  ]);
  // A second run finds them there and makes nothing.
  const again = (await stack.refresh.invoke(eventV1('products/a+b.jpg'))) as { results: { resultString: string }[] };
  expect(again.results[0]!.resultString).toBe('warmed: 0 made, 3 present');
});

it('2.0: purges with userArguments.action, invalidating exactly what existed', async () => {
  await stack.refresh.idle();
  const before = stack.refresh.api.distribution(stack.refresh.distributionId).invalidations.length;
  const answer = await stack.refresh.invoke(eventV2('products/a+b.jpg', { action: 'purge' }));
  expect(answer).toMatchObject({
    invocationSchemaVersion: '2.0',
    treatMissingKeysAs: 'PermanentFailure',
    invocationId: 'Zm9vYmFyYmF6cXV4',
    results: [{ taskId: 'dGFza2lkMg', resultCode: 'Succeeded' }],
  });
  expect(await variantsOf('a b.jpg')).toEqual([]);
  const paths = stack.refresh.api
    .distribution(stack.refresh.distributionId)
    .invalidations.slice(before)
    .flatMap((i) => i.paths);
  expect(paths.sort()).toEqual([
    '/200w/avif/products/a%20b.jpg',
    '/200w/default/products/a%20b.jpg',
    '/200w/webp/products/a%20b.jpg',
  ]);
});

it('answers PermanentFailure for a missing original, a bad key and an unknown action; nothing is thrown', async () => {
  const missing = (await stack.refresh.invoke(eventV1('products/none.jpg'))) as { results: { resultCode: string }[] };
  expect(missing.results[0]!.resultCode).toBe('PermanentFailure');
  const badKey = (await stack.refresh.invoke(eventV1('products/%E0%A4%A.jpg'))) as {
    results: { resultCode: string }[];
  };
  expect(badKey.results[0]!.resultCode).toBe('PermanentFailure');
  const badAction = (await stack.refresh.invoke(eventV2('products/c.png', { action: 'explode' }))) as {
    results: { resultString: string }[];
  };
  expect(badAction.results[0]).toMatchObject({
    resultCode: 'PermanentFailure',
    resultString: expect.stringMatching(/action/) as unknown,
  });
  // A PNG is negotiable too: warming it makes the plain variant and each negotiated format.
  await stack.s3.client.send(
    new PutObjectCommand({ Bucket: stack.s3.bucket, Key: 'products/c.png', Body: photo('alpha-photo.png') }),
  );
  await stack.refresh.idle();
  expect(await variantsOf('c.png')).toEqual([
    '200w/avif/products/c.png',
    '200w/default/products/c.png',
    '200w/webp/products/c.png',
  ]);
});
