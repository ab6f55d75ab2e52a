/**
 * The emulator's own CloudFront behaviour, with functions that misbehave on purpose: an answer breaking
 * CloudFront's rules becomes a 502 (logged with why, never cached), a function that throws a 503.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesFolder, removeFolder, startTestStack, tempDataDir, type TestStack } from '../helpers/local-stack';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/functions/${name}`, import.meta.url));

let stack: TestStack;
let dataDir: string;
let images: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  images = imagesFolder({ 'orient6.jpg': 'orient6.jpg' });
  stack = await startTestStack({
    dataDir,
    images,
    functions: {
      viewerRequest: fixture('misbehaving-viewer-request.cjs'),
      originResponse: fixture('misbehaving-origin-response.cjs'),
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  removeFolder(dataDir);
  removeFolder(images);
});

describe('CloudFront rules in the emulator', () => {
  it.each([
    ['/forbidden-header.jpg', /header x-cache is forbidden/],
    ['/numeric-status.jpg', /status 200 is not a 3-digit string/],
    ['/too-large.jpg', /generated response is 10666\d\d bytes, over 1000000/],
    ['/header-shape.jpg', /header key Content-Type is not lower-case/],
  ])('answers 502 for an origin-response that breaks a rule (%s), logs why, caches nothing', async (uri, why) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const fetches = stack.stats.originFetches;
      const answer = await stack.request(uri);
      expect(answer.status).toBe(502);
      expect(answer.headers.get('x-cache')).toBe('LambdaValidationError from cloudfront');
      expect(stack.stats.originFetches).toBe(fetches + 1);
      const line = stack.lines.at(-1)!;
      expect(line).toMatchObject({ level: 'WARN', url: uri, status: 502, originStatus: 404 });
      expect(line.error).toMatch(why);
    }
  });

  it('answers 502 for a viewer-request generated response over 40 KB', async () => {
    const answer = await stack.request('/too-large-for-viewer.jpg');
    expect(answer.status).toBe(502);
    expect(stack.lines.at(-1)!.error).toContain('over 40000');
    expect(stack.lines.at(-1)!.originStatus).toBeUndefined();
  });

  it('answers 503 when a function throws', async () => {
    const answer = await stack.request('/throws.jpg');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('x-cache')).toBe('LambdaExecutionError from cloudfront');
    expect(stack.lines.at(-1)!.error).toBe('origin-response failed: Error: boom');
  });

  it("passes what the functions pass, S3's answer included", async () => {
    const original = await stack.request('/orient6.jpg');
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.body.length).toBe(191853);
    expect((await stack.request('/orient6.jpg')).headers.get('x-cache')).toBe('Hit from cloudfront');
    expect((await stack.request('/missing.jpg')).status).toBe(404);
  });
});
