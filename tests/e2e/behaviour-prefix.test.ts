/**
 * The local stack with both functions built for `pathPattern: '/images/*'` (as `npm run package -- --param
 * pathPattern=/images/*` builds them): originals under `images/`, every variant generated, stored, redirected to
 * and read back under `images/`, and URIs outside the prefix left alone.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attach } from '../../deploy/attach';
import { main } from '../../deploy/cli';
import { listKeys, objectExists } from '../../local/s3-objects';
import { cloudFrontClient, DISTRIBUTION_ID, startSeededApi } from '../helpers/cloudfront-api';
import { imagesFolder, removeFolder, startTestStack, tempDataDir, type TestStack } from '../helpers/local-stack';
import { ROOT, runNode } from '../helpers/package-artifacts';

const PATTERN = '/images/*';
/** Inside the repository, so the origin-response bundle finds sharp's native packages as the built one does. */
const BUILD = join(ROOT, 'dist', 'e2e-behaviour-prefix');

let dataDir: string;
let images: string;
let stack: TestStack;

beforeAll(async () => {
  const build = await runNode(['scripts/build.mjs', '--path-pattern', PATTERN, '--out', BUILD], ROOT);
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stderr}`);
  dataDir = tempDataDir();
  images = imagesFolder({
    'cat.jpg': 'medium-2mp.jpg',
    'alpha-photo.png': 'alpha-photo.png',
    '2019/grey.jpg': 'grey.jpg',
  });
  stack = await startTestStack({
    dataDir,
    images,
    pathPattern: PATTERN,
    functions: {
      viewerRequest: join(BUILD, 'viewer-request', 'index.js'),
      originResponse: join(BUILD, 'origin-response', 'index.js'),
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  removeFolder(dataDir);
  removeFolder(images);
  rmSync(BUILD, { recursive: true, force: true });
});

const lastRecord = () => stack.records.at(-1)!;

describe('a /images/* build on the local stack', () => {
  it('seeds the originals under the prefix', async () => {
    expect(stack.seeded).toMatchObject({ uploaded: 3, ignored: [] });
    expect(await listKeys(stack.s3.client, stack.s3.bucket)).toEqual([
      'images/2019/grey.jpg',
      'images/alpha-photo.png',
      'images/cat.jpg',
    ]);
  });

  it('rewrites /images/cat.jpg?width=400 to /images/400w/default/cat.jpg and stores it under images/', async () => {
    const answer = await stack.request('/images/cat.jpg?width=400');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect((await sharp(answer.body).metadata()).width).toBe(400);
    expect(lastRecord()).toMatchObject({
      key: '/images/400w/default/cat.jpg',
      originStatus: 404,
      originResponse: 'replaced',
      status: 200,
    });
    expect(await objectExists(stack.s3.client, stack.s3.bucket, 'images/400w/default/cat.jpg')).toBe(true);
    // Nothing was written outside the prefix.
    expect((await listKeys(stack.s3.client, stack.s3.bucket)).filter((key) => !key.startsWith('images/'))).toEqual([]);

    const again = await stack.request('/images/cat.jpg?width=400');
    expect(again.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(again.body.equals(answer.body)).toBe(true);
  });

  it('reads a stored variant back from S3 once the edge cache is empty, without generating it again', async () => {
    stack.clearCache();
    const answer = await stack.request('/images/cat.jpg?width=400');
    expect(answer.status).toBe(200);
    expect(lastRecord()).toMatchObject({
      key: '/images/400w/default/cat.jpg',
      originStatus: 200,
      originResponse: 'passed',
    });
  });

  it('redirects an output over 1 MB to its key under the prefix', async () => {
    const answer = await stack.request('/images/alpha-photo.png?width=2000');
    expect(answer.status).toBe(200);
    expect(answer.redirected).toBe(true);
    expect((await sharp(answer.body).metadata()).width).toBe(2000);
    const [redirect, followed] = stack.records.slice(-2);
    expect(redirect).toMatchObject({
      url: '/images/alpha-photo.png?width=2000',
      status: 302,
      originResponse: 'replaced',
    });
    expect(followed).toMatchObject({ url: '/images/2000w/default/alpha-photo.png', status: 200, originStatus: 200 });
    expect(await objectExists(stack.s3.client, stack.s3.bucket, 'images/2000w/default/alpha-photo.png')).toBe(true);
  });

  it('keeps folders after the prefix, and refuses a variant of a variant there', async () => {
    const answer = await stack.request('/images/2019/grey.jpg?width=200&style=bw');
    expect(answer.status).toBe(200);
    expect(lastRecord()).toMatchObject({ key: '/images/200w/bw/2019/grey.jpg' });
    const nested = await stack.request('/images/400w/default/cat.jpg?width=200');
    expect(nested.status).toBe(400);
  });

  it('npm run verify on the /images/* behaviour finds the variant it asked for under images/', async () => {
    const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:edge-resize-dev-${name}:7`;
    const ours = { viewerRequest: arn('viewerRequest'), originResponse: arn('originResponse') };
    const api = await startSeededApi({ bucket: stack.s3.bucket });
    try {
      await attach({ client: cloudFrontClient(api), distributionId: DISTRIBUTION_ID, pathPattern: PATTERN }, ours);
      process.env.AWS_ENDPOINT_URL_CLOUDFRONT = api.endpoint;
      const out: string[] = [];
      const status = await main(
        [
          'verify',
          '--url',
          new URL('images/cat.jpg', stack.url).href,
          '--param',
          `distributionId=${DISTRIBUTION_ID}`,
          '--param',
          `bucket=${stack.s3.bucket}`,
          '--param',
          `pathPattern=${PATTERN}`,
          '--viewer-arn',
          ours.viewerRequest,
          '--origin-arn',
          ours.originResponse,
        ],
        { out: (line) => out.push(line), err: (line) => out.push(line) },
      );
      expect(status, out.join('\n')).toBe(0);
      expect(out.at(-1)).toMatch(
        new RegExp(`^ok +variant stored in S3 at s3://${stack.s3.bucket}/images/\\d+w/default/cat\\.jpg$`),
      );
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
      await api.stop();
    }
  });

  it('leaves a URI outside the prefix alone: no rewrite, nothing generated or stored', async () => {
    const before = await listKeys(stack.s3.client, stack.s3.bucket);
    const answer = await stack.request('/cat.jpg?width=400');
    expect(answer.status).toBe(404);
    expect(lastRecord()).toMatchObject({ key: '/cat.jpg', originStatus: 404, originResponse: 'passed' });
    const key = await stack.request('/400w/default/images/cat.jpg');
    expect(key.status).toBe(404);
    expect(lastRecord()).toMatchObject({ originResponse: 'passed' });
    expect(await listKeys(stack.s3.client, stack.s3.bucket)).toEqual(before);
  });
});
