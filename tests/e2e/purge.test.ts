/**
 * `npm run purge` as users run it (the built commands, in a child process), against s3rver
 * through the SDK's standard environment.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

it("purge deletes an original's variants and leaves the original", async () => {
  await s3.put('400w/bw/cat.jpg', Buffer.from('x'));
  const printed = await run('purge', ['--bucket', 'photos', 'cat.jpg']);
  expect(printed).toMatch(/^cat\.jpg: Succeeded: purged: 1 variants purged$/m);
  expect(await s3.exists('400w/bw/cat.jpg')).toBe(false);
  expect(await s3.exists('cat.jpg')).toBe(true);
  expect(await s3.exists('200w/default/products/a b.jpg')).toBe(true);
});
