/**
 * The work budget's worst cases: the most expensive requests the default policy accepts (and a few it turns into
 * a first frame or refuses), each transformed by the shipped bundle in a fresh child process, as the
 * origin-response runs it, with the time and the child's peak RSS beside the weighted megapixels the budget
 * counted. The goal: every accepted request within 10 s and 1 GB on one vCPU.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { REPO_ROOT } from '../local/paths';
import { planWork } from '../origin-response/budget';
import { CHILD_ROLE_ENV, type Job, type Reply } from '../origin-response/transform-process';
import type { EdgeConfig } from '../shared/config';
import { sourceFormat } from '../shared/options';
import { parseVariantKey } from '../shared/variant-key';
import type { Table } from './table';

const BUNDLE = join(REPO_ROOT, 'dist/origin-response/index.js');

/** Gaussian noise: the highest entropy, the slowest to encode. `frames` > 1 stacks them as an animation. */
async function noise(width: number, height: number, frames = 1): Promise<Sharp> {
  const create = {
    width,
    height: height * frames,
    channels: 3 as const,
    background: '#808080',
    noise: { type: 'gaussian' as const, mean: 128, sigma: 60 },
  };
  const raw = await sharp({ create }).raw().toBuffer();
  return sharp(raw, { raw: { width, height: height * frames, channels: 3, pageHeight: height } });
}

interface Case {
  label: string;
  original: () => Promise<Buffer>;
  key: string;
}

const CASES: readonly Case[] = [
  {
    label: '50 MP noise JPEG',
    original: async () => (await noise(8660, 5770)).jpeg({ quality: 95 }).toBuffer(),
    key: '/2000h2000w-fill/avif-q100/a.jpg',
  },
  {
    label: '4 MP noise PNG',
    original: async () => (await noise(2000, 2000)).png({ compressionLevel: 1 }).toBuffer(),
    key: '/2000h2000w-fill/webp-q100/a.png',
  },
  {
    label: '1 MP noise GIF (still)',
    original: async () => (await noise(1000, 1000)).gif().toBuffer(),
    key: '/1000w/default/a.gif',
  },
  {
    label: 'animated.gif (45 x 660 px)',
    original: () => Promise.resolve(readFileSync(join(REPO_ROOT, 'tests/fixtures/photos/animated.gif'))),
    key: '/400w/webp/a.gif',
  },
  {
    label: 'animated.gif (45 x 660 px)',
    original: () => Promise.resolve(readFileSync(join(REPO_ROOT, 'tests/fixtures/photos/animated.gif'))),
    key: '/100w/default/a.gif',
  },
  {
    label: 'animated.gif (45 x 660 px)',
    original: () => Promise.resolve(readFileSync(join(REPO_ROOT, 'tests/fixtures/photos/animated.gif'))),
    key: '/2000h2000w-fill/default/a.gif',
  },
  {
    label: '100 x 700 px noise GIF',
    original: async () => (await noise(700, 700, 100)).gif({ effort: 1 }).toBuffer(),
    key: '/200w/webp-q100/a.gif',
  },
  {
    label: '100 x 700 px noise GIF',
    original: async () => (await noise(700, 700, 100)).gif({ effort: 1 }).toBuffer(),
    key: '/2000h2000w-fill/blur-webp-q100/a.gif',
  },
];

interface Measured {
  reply: Reply;
  ms: number;
  peakMiB: number;
}

/** One transform in a fresh child of the shipped bundle; its peak RSS from the kernel (VmHWM) before it ends. */
function measure(job: Job): Promise<Measured> {
  const child = fork(BUNDLE, [], {
    serialization: 'advanced',
    env: { ...process.env, [CHILD_ROLE_ENV]: '1' },
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (reply: Reply) => {
      const ms = performance.now() - started;
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      child.kill('SIGKILL');
      resolve({ reply, ms, peakMiB: peakKiB / 1024 });
    });
    const started = performance.now();
    child.send(job);
  });
}

export async function benchBudget(config: EdgeConfig, log: (line: string) => void): Promise<Table> {
  const rows: string[][] = [];
  const originals = new Map<string, Buffer>();
  for (const c of CASES) {
    const parsed = parseVariantKey(c.key, config);
    if (parsed.kind !== 'variant') throw new Error(`bench budget: ${c.key} is not a variant key`);
    const original = originals.get(c.label) ?? (await c.original());
    originals.set(c.label, original);
    const options = parsed.variant.options;
    const header = await sharp(original).metadata();
    const output = options.format ?? sourceFormat(parsed.variant.path);
    const frames = output === 'gif' || output === 'webp' ? (header.pages ?? 1) : 1;
    const plan = planWork(
      { width: header.width, height: header.pageHeight ?? header.height, frames },
      options,
      output,
      config,
    );
    log(`budget: ${c.label} at ${c.key}`);
    const { reply, ms, peakMiB } = await measure({ input: original, options, config });
    const frameCount = plan.kind === 'accepted' && plan.animated ? `, ${frames} frames` : ', one frame';
    const answer =
      reply.kind === 'done'
        ? `${reply.contentType.slice(6)} ${reply.width}x${reply.height}${frameCount}`
        : reply.kind === 'refused'
          ? `refused (${reply.code})`
          : `failed: ${reply.message}`;
    rows.push([
      `${c.label}, ${(original.length / 1e6).toFixed(1)} MB`,
      c.key,
      String(Math.round(plan.megapixels)),
      answer,
      (ms / 1000).toFixed(2),
      String(Math.round(peakMiB)),
    ]);
  }
  return {
    title:
      `The work budget's worst cases (budget ${config.workBudget.megapixels} weighted megapixels, ` +
      `deadline ${config.transformTimeoutSeconds} s; one run each, a fresh process)`,
    note:
      'Each original transformed by the shipped bundle in a fresh child process as the origin-response runs it ' +
      "(S3 excluded); peak RSS is that process's (Node, sharp and the work). " +
      'Goal: every accepted request within 10 s and 1 GB on one vCPU.',
    columns: ['original', 'key', 'weighted MP', 'answer', 's', 'peak RSS MiB'],
    rows,
  };
}
