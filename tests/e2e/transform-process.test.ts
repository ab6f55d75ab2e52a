/**
 * The transform's child process, through the origin-response: heavy work runs in it and is killed with it at the
 * deadline; light work stays in the function's own process.
 */
import type { CloudFrontResultResponse } from 'aws-lambda';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { DEFAULT_CONFIG, resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { originResponseEvent } from '../helpers/events';
import { colourPatch, heavyPng, photo } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

setLogSink(() => {});
/** The built origin-response bundle (npm test builds first): its own file is the transform's child process. */
const BUNDLE = fileURLToPath(new URL('../../dist/origin-response/index.js', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3('photos');
  await s3.put('p3.jpg', (await colourPatch([200, 120, 60])).p3Jpeg);
  await s3.put('anim.webp', await sharp(photo('animated.gif'), { animated: true }).webp().toBuffer());
  await s3.put('heavy.png', await heavyPng());
});
afterAll(() => s3.stop());

describe('the transform in its own process', () => {
  it('a transform process that ends without answering: 503, not cached, nothing stored, said at ERROR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-resize-crash-'));
    const script = join(dir, 'crash.cjs');
    // What an out-of-memory kill looks like from the parent: the child is gone before it answers.
    writeFileSync(script, "process.on('message', () => process.exit(137));\n");
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    try {
      const config = resolveConfig({ workBudget: { ...DEFAULT_CONFIG.workBudget, inProcessMegapixels: 0 } });
      const handler = createOriginResponseHandler(config, { transformScript: script });
      const event = originResponseEvent('/64w/default/p3.jpg', { status: '404' });
      const response = (await handler(event)) as CloudFrontResultResponse;
      expect([response.status, response.headers?.['cache-control']?.[0]?.value]).toEqual(['503', 'no-store']);
      expect(await s3.exists('64w/default/p3.jpg')).toBe(false);
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.find((line) => line.message === 'transform process ended')).toMatchObject({
        level: 'ERROR',
        outcome: 'error',
        error: 'the transform process ended without an answer (exit code 137)',
      });
    } finally {
      setLogSink(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a transform past its deadline is killed with its process: 503, not cached, nothing stored', async () => {
    // A budget large enough to accept a slow encode, and the shortest deadline: only the deadline can stop it.
    const config = resolveConfig({
      transformTimeoutSeconds: 1,
      workBudget: { ...DEFAULT_CONFIG.workBudget, megapixels: 1e6 },
    });
    const killed: (number | undefined)[] = [];
    const handler = createOriginResponseHandler(config, {
      transformScript: BUNDLE,
      onKilled: (pid) => killed.push(pid),
    });
    const response = (await handler(
      originResponseEvent('/default/webp/heavy.png', { status: '404' }),
    )) as CloudFrontResultResponse;
    expect([response.status, response.body]).toEqual(['503', 'the image took longer than 1 s to generate\n']);
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('no-store');
    expect(killed).toHaveLength(1);
    // The work itself stopped: the process that ran it is gone, not left encoding.
    await expect.poll(() => alive(killed[0]!), { timeout: 5000 }).toBe(false);
    expect(await s3.exists('default/webp/heavy.png')).toBe(false);
  });

  it('runs a variant in the child process and answers it as in-process', async () => {
    const config = resolveConfig({ workBudget: { ...DEFAULT_CONFIG.workBudget, inProcessMegapixels: 0 } });
    const handler = createOriginResponseHandler(config, { transformScript: BUNDLE });
    const response = (await handler(
      originResponseEvent('/64w/default/anim.webp', { status: '404' }),
    )) as CloudFrontResultResponse;
    expect(response.status).toBe('200');
    const meta = await sharp(Buffer.from(response.body!, 'base64')).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 64]);
    expect(meta.pages).toBeGreaterThan(1);
  });

  it('runs light work in its own process: a child that could not start is never asked', async () => {
    const handler = createOriginResponseHandler(resolveConfig(), { transformScript: '/nonexistent/transform.js' });
    const response = (await handler(
      originResponseEvent('/64w/default/p3.jpg', { status: '404' }),
    )) as CloudFrontResultResponse;
    expect(response.status).toBe('200');
    expect((await sharp(Buffer.from(response.body!, 'base64')).metadata()).width).toBe(64);
  });
});
