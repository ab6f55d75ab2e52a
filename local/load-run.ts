/**
 * One load run against the local stack, in this process: ten originals made from the shipped photos in a
 * fresh bucket, the planned requests (`load-plan.ts`) sent with plain `fetch` over HTTP at a fixed concurrency,
 * each answer classified from the emulator's headers and request record, RSS sampled throughout, then every
 * stored variant decoded and the whole judged (`load-report.ts`). `npm run load` and `tests/e2e/load.test.ts`
 * both call `runLoad`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import userConfig from '../edge-resize.config';
import { resolveConfig } from '../shared/config';
import type { RequestRecord } from './cloudfront-emulator';
import type { PixelSize } from './expected-size';
import { planLoad, type PlannedRequest } from './load-plan';
import { answerKind, summarize, type Answer, type LoadReport, type LoadSettings } from './load-report';
import { SAMPLE_PHOTOS } from './paths';
import { startRssSampler } from './rss-sampler';
import { keyToUri } from './seed';
import { startLocalStack, type LocalStack } from './stack';
import { checkStoredVariants } from './stored-variants';

export const DEFAULT_SETTINGS: LoadSettings = { requests: 2000, concurrency: 32, maxSeconds: 300, seed: 1 };

/**
 * The shipped photos the originals are copied from, cycled over ten keys. animated.gif is left out: encoding
 * its many frames is slow enough that the run would measure GIF encoding rather than the stack.
 */
const PHOTOS = ['medium-2mp.jpg', 'grey.jpg', 'orient6.jpg', 'alpha-photo.png'];
const ORIGINALS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface LoadOptions extends Partial<LoadSettings> {
  /** Each of the stack's request lines (JSON); dropped by default. */
  log?: (line: string) => void;
  /** After each answer: how many have come back of how many planned. */
  onAnswer?: (answered: number, planned: number) => void;
  /** Stops the run early (Ctrl-C): no new request is sent, the stack is stopped, the folders removed. */
  signal?: AbortSignal;
}

export async function runLoad(options: LoadOptions = {}): Promise<LoadReport> {
  const settings: LoadSettings = {
    requests: options.requests ?? DEFAULT_SETTINGS.requests,
    concurrency: options.concurrency ?? DEFAULT_SETTINGS.concurrency,
    maxSeconds: options.maxSeconds ?? DEFAULT_SETTINGS.maxSeconds,
    seed: options.seed ?? DEFAULT_SETTINGS.seed,
  };
  if (!(settings.maxSeconds > 0)) throw new RangeError(`maxSeconds must be above 0, got ${settings.maxSeconds}`);
  const config = resolveConfig(userConfig);
  const originals = originalKeys();
  // Planned before anything starts, so bad settings fail at once.
  const plan = planLoad({ ...settings, originals, config });

  const images = originalsFolder(originals);
  const dataDir = mkdtempSync(join(tmpdir(), 'edge-resize-load-data-'));
  let stack: LocalStack | undefined;
  try {
    const sizes = await shownSizes(images, originals);
    stack = await startLocalStack({ port: 0, dataDir, images, log: options.log ?? (() => {}) });
    const running = stack;
    // Subscribed after seeding: from here on, every object created is a variant written by the origin-response.
    const writes = new Map<string, number>();
    const unsubscribe = running.s3.onObjectCreated((key) => {
      const uri = keyToUri(key);
      writes.set(uri, (writes.get(uri) ?? 0) + 1);
    });

    const answers: Answer[] = [];
    const deadline = AbortSignal.timeout(settings.maxSeconds * 1000);
    const stop = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    const sampler = startRssSampler(() => answers.length);
    const started = performance.now();
    for (const phase of plan.phases) {
      if (stop.aborted) break;
      if (phase.clearCacheFirst) running.clearCache();
      await inParallel(phase.requests, settings.concurrency, stop, async (request) => {
        answers.push(await send(running, request, stop));
        options.onAnswer?.(answers.length, settings.requests);
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const interrupted = options.signal?.aborted ?? false;
    const timedOut = deadline.aborted && !interrupted;
    const rss = sampler.stop();
    unsubscribe();

    return summarize({
      settings,
      races: plan.races,
      newKeys: plan.newKeys,
      answers,
      seconds,
      timedOut,
      interrupted,
      rss,
      writes,
      stored: await checkStoredVariants(running.s3, config, sizes),
      generationsByEmulator: running.stats.originResponseReplaced,
    });
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(images, { recursive: true, force: true });
  }
}

/** `load/01-medium-2mp.jpg` … `load/10-grey.jpg`. */
function originalKeys(): string[] {
  return Array.from(
    { length: ORIGINALS },
    (_, i) => `load/${String(i + 1).padStart(2, '0')}-${PHOTOS[i % PHOTOS.length]}`,
  );
}

/** A temporary images folder holding each original under its key, for the stack to seed. */
function originalsFolder(keys: readonly string[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'edge-resize-load-images-'));
  mkdirSync(join(folder, 'load'));
  for (const key of keys) copyFileSync(join(SAMPLE_PHOTOS, key.replace(/^load\/\d\d-/, '')), join(folder, key));
  return folder;
}

/** Each original's size as shown, EXIF orientation applied: what the transform resizes. */
async function shownSizes(folder: string, keys: readonly string[]): Promise<Map<string, PixelSize>> {
  const sizes = new Map<string, PixelSize>();
  for (const key of keys) sizes.set(key, (await sharp(join(folder, key)).metadata()).autoOrient);
  return sizes;
}

/**
 * Runs `work` over `items` with `concurrency` workers. Every worker takes its first item in the same tick, so
 * a phase's opening races really are in flight together. No new item is started once `stop` has fired.
 */
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  stop: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * One viewer request over HTTP. A variant too large to inline comes as a redirect to its own key; the client
 * follows it as a browser would, and the answer keeps the first request's kind (that is where it was made).
 */
async function send(stack: LocalStack, request: PlannedRequest, signal: AbortSignal): Promise<Answer> {
  const started = performance.now();
  const planned = {
    url: request.url,
    intent: request.intent,
    plannedKey: request.key,
    expectedStatus: request.expectedStatus,
  };
  try {
    const first = await fetch(new URL(request.url, stack.url), { redirect: 'manual', signal });
    // The emulator records a request before its answer leaves, so the record is there once the headers are.
    const record = findRecord(stack.records, first.headers.get('x-amz-cf-id'));
    await first.arrayBuffer();
    let final = first;
    const location = first.headers.get('location');
    if (REDIRECTS.has(first.status) && location) {
      final = await fetch(new URL(location, stack.url), { redirect: 'manual', signal });
      await final.arrayBuffer();
    }
    return {
      ...planned,
      status: final.status,
      kind: answerKind(first.headers.get('x-cache'), record?.originResponse, final.status),
      key: record?.key,
      redirected: final !== first,
      ms: performance.now() - started,
      ...(record
        ? record.error
          ? { error: record.error }
          : {}
        : { error: 'the emulator kept no record of this request' }),
    };
  } catch (error) {
    const reason = signal.aborted
      ? 'the run was stopped (--max-seconds or Ctrl-C)'
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
    return {
      ...planned,
      status: 0,
      kind: 'other',
      key: undefined,
      redirected: false,
      ms: performance.now() - started,
      error: reason,
    };
  }
}

/** Newest first: the record of an answer just received is among the last few. */
function findRecord(records: readonly RequestRecord[], requestId: string | null): RequestRecord | undefined {
  if (!requestId) return undefined;
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.requestId === requestId) return records[i];
  return undefined;
}
