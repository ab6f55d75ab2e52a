/**
 * A hit through the local stack (`npm start`'s: the CloudFront emulator running both bundles over s3rver), over
 * HTTP like any viewer: from the edge cache, from S3 (cache emptied, variant stored), and a fresh miss.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropStdout } from '../local/drop-stdout';
import { startLocalStack } from '../local/stack';
import type { BenchInput } from './inputs';
import { median, ms, ratio } from './timing';
import type { Table } from './table';

export async function benchHit(input: BenchInput, runs: number): Promise<Table> {
  const images = mkdtempSync(join(tmpdir(), 'edge-resize-bench-images-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'edge-resize-bench-data-'));
  copyFileSync(input.path, join(images, input.file));
  const stack = await startLocalStack({ port: 0, dataDir, images, log: () => {} });
  const restoreStdout = dropStdout();
  const get = async (query: string) => {
    const started = performance.now();
    const answer = await fetch(new URL(`/${input.file}?${query}`, stack.url));
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`bench hit: ${query} answered ${answer.status}`);
    return { ms: performance.now() - started, cache: answer.headers.get('x-cache') ?? '' };
  };
  try {
    const widths = [64, 100, 200, 600, 800, 1000, 1200, 1600, 2000];
    const miss: number[] = [];
    for (const width of widths.slice(0, Math.min(runs, widths.length))) miss.push((await get(`width=${width}`)).ms);
    await get('width=400');
    const hit: number[] = [];
    const fromS3: number[] = [];
    for (let i = 0; i < runs; i++) {
      const answer = await get('width=400');
      if (!answer.cache.startsWith('Hit'))
        throw new Error(`bench hit: expected an edge cache hit, got ${answer.cache}`);
      hit.push(answer.ms);
    }
    for (let i = 0; i < runs; i++) {
      stack.clearCache();
      fromS3.push((await get('width=400')).ms);
    }
    const [h, s, m] = [median(hit), median(fromS3), median(miss)];
    return {
      title: `Through the local stack over HTTP (${input.label}, 400 wide; median ms of ${runs})`,
      note:
        'Edge cache hit: only the viewer-request runs. From S3: cache emptied, the stored variant served by S3 ' +
        'and passed through. Miss: a new width generated.',
      columns: ['edge cache hit', 'from S3', 'miss (generated)', 'miss / hit', 'from S3 / hit'],
      rows: [[ms(h), ms(s), ms(m), ratio(m, h), ratio(s, h)]],
    };
  } finally {
    restoreStdout();
    await stack.stop();
    rmSync(images, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
