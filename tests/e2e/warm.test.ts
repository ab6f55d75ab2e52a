/**
 * `npm run warm` as users run it (the built commands, in a child process), against s3rver
 * through the SDK's standard environment.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

let s3: TestS3;
let out: string;

beforeAll(async () => {
  s3 = await startTestS3('photos');
  out = mkdtempSync(join(tmpdir(), 'edge-resize-batch-'));
  for (const key of [
    'products/a b.jpg',
    'products/x,y+z.png',
    'products/notes.txt',
    'other/c.jpg',
    '200w/default/products/a b.jpg',
    'cat.jpg',
  ]) {
    await s3.put(key, Buffer.from('x'));
  }
});

afterAll(async () => {
  await s3.stop();
  rmSync(out, { recursive: true, force: true });
});

/** Asynchronously: s3rver answers from this very process. */
const run = async (script: string, args: string[]) =>
  (await promisify(execFile)(process.execPath, [`dist/refresh/${script}.mjs`, ...args], { encoding: 'utf8' })).stdout;

it('warm writes a CSV manifest of the originals under the prefix and the create-job request', async () => {
  await run('warm', [
    '--bucket',
    'photos',
    '--prefix',
    'products/',
    '--out',
    out,
    '--upload',
    '--function-arn',
    'arn:aws:lambda:eu-west-1:123456789012:function:f',
  ]);
  const csv = readFileSync(join(out, 'manifest.csv'), 'utf8');
  expect(csv).toBe('photos,products/a%20b.jpg\nphotos,products/x%2Cy%2Bz.png\n');
  const request = JSON.parse(readFileSync(join(out, 'create-job.json'), 'utf8')) as {
    Operation: { LambdaInvoke: unknown };
    Manifest: { Spec: unknown; Location: { ObjectArn: string; ETag: string } };
  };
  expect(request.Operation.LambdaInvoke).toEqual({
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
    InvocationSchemaVersion: '2.0',
    UserArguments: { action: 'warm' },
  });
  expect(request.Manifest.Spec).toEqual({ Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] });
  const manifestKey = request.Manifest.Location.ObjectArn.replace('arn:aws:s3:::photos/', '');
  const uploaded = await s3.client.send(new HeadObjectCommand({ Bucket: 'photos', Key: manifestKey }));
  expect(`"${request.Manifest.Location.ETag}"`).toBe(uploaded.ETag);
});
