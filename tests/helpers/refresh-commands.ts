/**
 * The built refresh commands (`npm run warm`, `npm run purge`) as users run them, in a child process, against
 * s3rver through the SDK's standard environment: a bucket of originals, a non-image and one variant.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { startTestS3, type TestS3 } from './s3-stack';

export interface RefreshCommands {
  /** The bucket the commands run on (inside the suite's tests). */
  readonly s3: TestS3;
  /** A fresh folder for the commands' output files. */
  readonly out: string;
  /** Runs dist/refresh/<script>.mjs with `args`; what it printed. */
  run(script: string, args: string[]): Promise<string>;
}

/** Starts the bucket and the output folder before the suite's tests and removes both after them. */
export function useRefreshCommands(): RefreshCommands {
  let s3: TestS3 | undefined;
  let out: string | undefined;
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
    await s3?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });
  return {
    get s3() {
      if (!s3) throw new Error('the bucket is there only inside the suite');
      return s3;
    },
    get out() {
      if (!out) throw new Error('the output folder is there only inside the suite');
      return out;
    },
    /** Asynchronously: s3rver answers from this very process. */
    run: async (script, args) =>
      (await promisify(execFile)(process.execPath, [`dist/refresh/${script}.mjs`, ...args], { encoding: 'utf8' }))
        .stdout,
  };
}
