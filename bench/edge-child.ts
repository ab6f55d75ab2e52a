/**
 * A fresh Node process running the built bundles as Lambda runs them (`dist/…/index.js`, loaded with require),
 * for the parts of the benchmark that need a process of their own: a cold start, peak memory, and the functions'
 * own log lines on stdout (which the parent reads for the miss's stages, as CloudWatch would get them).
 * Told what to do by one JSON argument; answers once (answerParent).
 */
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { originResponseEvent, viewerRequestEvent } from '../tests/helpers/events';
import { answerParent, BUCKET, type ChildJob, type ChildResult, type ChildStep } from './child-protocol';

/**
 * This process's own peak RSS: Linux's VmHWM. Not getrusage's maxrss, which Linux carries over execve from the
 * forked copy of the parent, so a child of a large parent would report the parent's size.
 */
function peakRssBytes(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS * 1024;
}

type Handler = (event: unknown) => Promise<{ status?: string } | undefined>;

async function bareClient() {
  const sdk = await import('@aws-sdk/client-s3');
  return { sdk, client: new sdk.S3Client({ forcePathStyle: true }) };
}

/**
 * Loads a CommonJS bundle as Node's own loader would (the same wrapper function, a require rooted at the bundle),
 * but compiled by a `vm.Script` that can be handed V8's code cache and can produce one.
 */
function loadPrecompiled(bundle: string, cache: string | undefined) {
  const cachedData = cache === undefined ? undefined : readFileSync(cache);
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
  const script = new Script(source, { filename: bundle, cachedData });
  const module = { exports: {} as { handler: Handler } };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(bundle),
    module,
    bundle,
    dirname(bundle),
  );
  return {
    handler: module.exports.handler,
    script,
    cacheRejected: cachedData ? script.cachedDataRejected === true : undefined,
  };
}

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
const requireHere = createRequire(import.meta.url);
// What Lambda's runtime has done by the time it loads a function: its client for the Runtime API requires
// node:http and makes a keep-alive Agent, before it loads the handler (aws-lambda-nodejs-runtime-interface-client,
// index.mjs and RAPIDClient). So a function finds http loaded, and every process here starts that way, the floor's
// too; what is left to load is the function's own, as on Lambda.
const { Agent } = requireHere('node:http') as typeof import('node:http');
new Agent({ keepAlive: true, maxSockets: 1 });
if (job.mode === 's3-levers') throw new Error('edge-child: s3-levers jobs run in s3-child.ts');
type Sharp = typeof import('sharp').default;
// sharp for the ideal steps, loaded before the bundle, never after: the bundle holds a copy of sharp's JavaScript
// of its own, and loading a copy sets libvips's process-wide thread count (sharp's utility module does, on load),
// which would undo what the handler set when it was created. Jobs with ideal steps time no cold start.
const idealSharp =
  job.mode === 'origin' && job.steps.some((s) => s.kind === 'ideal') ? (requireHere('sharp') as Sharp) : undefined;
const loadStarted = performance.now();
// A cache is written only by a run that compiled without one, so it holds what that run compiled, nothing stale.
const precompiled =
  job.mode === 'origin-precompiled' ? loadPrecompiled(job.bundle, job.write ? undefined : job.cache) : undefined;
const { handler } = (job.mode === 'floor' ? { handler: undefined } : (precompiled ?? requireHere(job.bundle))) as {
  handler: Handler;
};
// The floor loads sharp as the bundle holds it: bundled, its addon from node_modules (bench/sharp-only.ts).
if (job.mode === 'floor') requireHere('./sharp-only.js');
const loadMs = performance.now() - loadStarted;

async function origin(steps: ChildStep[]): Promise<Omit<ChildResult, 'loadMs' | 'maxRssBytes'>> {
  const stepMs: number[] = [];
  const statuses: string[] = [];
  const files = new Map<string, Buffer>();
  let output = Buffer.alloc(0);
  // The same SDK and environment the bundle uses (endpoint, credentials, region from the standard chain).
  const s3 = steps.some((s) => s.kind === 'get' || s.kind === 'put') ? await bareClient() : undefined;
  for (const step of steps) {
    const started = performance.now();
    if (step.kind === 'miss') {
      const answer = await handler(originResponseEvent(step.uri, { status: '404' }));
      statuses.push(answer?.status ?? 'none');
    } else if (step.kind === 'ideal') {
      if (!files.has(step.file)) files.set(step.file, readFileSync(step.file));
      output = await idealSharp!(files.get(step.file))
        .resize({ width: step.width, withoutEnlargement: true })
        .jpeg({ quality: step.quality })
        .toBuffer();
    } else if (step.kind === 'get') {
      const answer = await s3!.client.send(new s3!.sdk.GetObjectCommand({ Bucket: BUCKET, Key: step.key }));
      await answer.Body!.transformToByteArray();
    } else {
      await s3!.client.send(
        new s3!.sdk.PutObjectCommand({ Bucket: BUCKET, Key: step.key, Body: output, ContentType: 'image/jpeg' }),
      );
    }
    stepMs.push(performance.now() - started);
  }
  return { stepMs, statuses };
}

async function viewer(requests: Extract<ChildJob, { mode: 'viewer' }>['requests'], calls: number, batch: number) {
  type Event = ReturnType<typeof viewerRequestEvent>;
  const events = requests.map((r) => JSON.stringify(viewerRequestEvent(r.uri, r.querystring, r.headers)));
  // The floor: what any viewer-request that logs one JSON line per event pays, doing nothing else.
  // eslint-disable-next-line @typescript-eslint/require-await -- async like the handler it is measured against
  const floor = async (event: Event) => {
    const { request, config } = event.Records[0]!.cf;
    const line = {
      level: 'INFO',
      message: 'pass',
      timestamp: new Date().toISOString(),
      service: 'floor',
      requestId: config.requestId,
      uri: request.uri,
      querystring: request.querystring,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return request;
  };
  // Each call gets its own event parsed from JSON, as Lambda's runtime parses each invocation's, a batch at a time
  // before the batch is timed. The batch is how many events are alive while the calls run: every young-generation
  // collection the calls cause copies them, which a Lambda, holding one event, does not pay (see the table).
  // Ours and the floor alternate batch by batch, so a machine slowing down mid-run slows both alike.
  let next = 0;
  const timeBatch = async (f: (event: Event) => Promise<unknown>) => {
    const timed = Array.from({ length: batch }, () => JSON.parse(events[next++ % events.length]!) as Event);
    const started = performance.now();
    for (const event of timed) await f(event);
    const elapsed = performance.now() - started;
    // Untimed: a pipe Node writes to asynchronously queues what the reader has not taken yet. A Lambda writes one
    // line per invocation, onto a queue long emptied; back to back, the queue would grow for the whole run (past
    // the heap Lambda gives a 128 MB function) and every write would be a push onto it, not a write.
    if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    return elapsed;
  };
  const batches = Math.ceil(calls / batch);
  for (let i = 0; i < batches; i++) {
    await timeBatch(handler);
    await timeBatch(floor);
  } // warm-up: the JIT settles
  let ours = 0;
  let floorMs = 0;
  for (let i = 0; i < batches; i++) {
    ours += await timeBatch(handler);
    floorMs += await timeBatch(floor);
  }
  const total = batch * batches;
  return { stepMs: [ours], statuses: [], usPerCall: (ours * 1000) / total, floorUsPerCall: (floorMs * 1000) / total };
}

const nothing = { stepMs: [], statuses: [] };
const result =
  job.mode === 'origin' || job.mode === 'origin-precompiled'
    ? await origin(job.steps)
    : job.mode === 'viewer'
      ? await viewer(job.requests, job.calls, job.batch)
      : nothing;
if (job.mode === 'origin-precompiled' && job.write) {
  if (job.cache === undefined) throw new Error('edge-child: write needs a cache path');
  writeFileSync(job.cache, precompiled!.script.createCachedData());
}
const answer: ChildResult = {
  loadMs,
  maxRssBytes: peakRssBytes(),
  cacheRejected: precompiled?.cacheRejected,
  ...result,
};
answerParent(answer);
