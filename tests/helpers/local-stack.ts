/**
 * The local stack (`npm start`'s) for tests: a fresh data folder, an images folder made of shipped photos under
 * the keys a test names, the request log captured. Requests go over HTTP like any viewer's.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { PHOTOS } from './fixtures';

export interface TestStack extends LocalStack {
  /** Every request line the stack logged, parsed. */
  lines: Record<string, unknown>[];
  /** GET (or another method) over HTTP; the body read whole. */
  request(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; headers: Headers; body: Buffer; redirected: boolean }>;
}

/** A temporary folder holding `{ key: fixture photo name }`, e.g. `{ 'photos/2019/a.jpg': 'medium-2mp.jpg' }`. */
export function imagesFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'edge-resize-images-'));
  for (const [key, name] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, key)), { recursive: true });
    copyFileSync(join(PHOTOS, name), join(folder, key));
  }
  return folder;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'edge-resize-data-'));
}

export async function startTestStack(options: LocalStackOptions & { dataDir: string }): Promise<TestStack> {
  const lines: Record<string, unknown>[] = [];
  const stack = await startLocalStack({
    port: 0,
    log: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    ...options,
  });
  return Object.assign(stack, {
    lines,
    async request(path: string, init?: RequestInit) {
      const answer = await fetch(new URL(path, stack.url), init);
      return {
        status: answer.status,
        headers: answer.headers,
        body: Buffer.from(await answer.arrayBuffer()),
        redirected: answer.redirected,
      };
    },
  });
}

export function removeFolder(folder: string | undefined): void {
  if (folder) rmSync(folder, { recursive: true, force: true });
}

/** A stack that owns its data folder: `stop` removes it, `restart` starts again on it. */
export interface SeededStack extends TestStack {
  /** Stops the stack, keeping its data, and starts a new one on that data with `options`. */
  restart(options?: LocalStackOptions): Promise<SeededStack>;
}

/** A stack on a fresh data folder seeded with `files` (as `imagesFolder` takes them), read once at start. */
export async function startSeededStack(
  files: Record<string, string>,
  options: LocalStackOptions = {},
): Promise<SeededStack> {
  const dataDir = tempDataDir();
  const images = imagesFolder(files);
  try {
    return await ownData(dataDir, { images, ...options });
  } catch (error) {
    removeFolder(dataDir);
    throw error;
  } finally {
    removeFolder(images);
  }
}

async function ownData(dataDir: string, options: LocalStackOptions): Promise<SeededStack> {
  const stack = await startTestStack({ dataDir, ...options });
  const stopRunning = stack.stop.bind(stack);
  return Object.assign(stack, {
    async stop() {
      await stopRunning();
      removeFolder(dataDir);
    },
    async restart(next: LocalStackOptions = {}) {
      await stopRunning();
      return ownData(dataDir, next);
    },
  });
}
