/**
 * `npm start`'s command itself (the built dist/local/start.mjs, as `npm start` runs it after building): it prints
 * the URL to open, serves the page, stops cleanly on Ctrl-C (SIGINT), and says clearly when the port is taken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SAMPLE_PHOTOS } from '../../local/paths';
import { imagesFolder, removeFolder, tempDataDir } from '../helpers/local-stack';

const folders: string[] = [];
afterAll(() => folders.forEach(removeFolder));

function start(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/local/start.mjs'), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start', () => {
  it('prints the URL, serves the gallery and images, and stops cleanly on Ctrl-C keeping the data', async () => {
    const dataDir = tempDataDir();
    const images = imagesFolder({ 'holiday/orient6.jpg': 'orient6.jpg' });
    folders.push(dataDir, images);
    const run = start(['--port', '0', '--data', dataDir, '--images', images]);
    const url = await waitFor(() => /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.stderr())?.[1], 'the URL');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/holiday/orient6.jpg?width=200"');
    const image = await fetch(new URL('/holiday/orient6.jpg?width=64', url));
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/jpeg']);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('stopped.');
    expect(existsSync(join(dataDir, 's3', 'edge-resize-local', '64w', 'default', 'holiday'))).toBe(true);
  });

  it('seeds the sample photos on a first start', async () => {
    const dataDir = tempDataDir();
    folders.push(dataDir);
    const run = start(['--port', '0', '--data', dataDir]);
    const url = await waitFor(() => /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.stderr())?.[1], 'the URL');
    expect(run.stderr()).toContain(`seeded        ${readdirSync(SAMPLE_PHOTOS).length} new, 0 already there`);
    expect((await fetch(new URL('/medium-2mp.jpg?width=64', url))).status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('says clearly that the port is in use, before starting or seeding anything', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const parent = tempDataDir();
    const dataDir = join(parent, 'never-created');
    folders.push(parent);
    try {
      const run = start(['--port', String(port), '--data', dataDir]);
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toContain(`edge-resize: port ${port} is already in use`);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
