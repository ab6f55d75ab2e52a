/**
 * Runs `edge-child.ts` (bundled to dist/bench/edge-child.mjs), or `s3-child.ts` for the S3 levers, and collects
 * its answer and its stdout lines.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../local/paths';
import { ANSWER_FD, type ChildJob, type ChildResult } from './child-protocol';
import { lambdaLikeEnv } from './lambda-node';

export interface ChildRun {
  result: ChildResult;
  /** Milliseconds from spawn to the answer arriving, as a cold start is felt from outside. */
  wallMs: number;
  /** The functions' JSON log lines (stdout), parsed; EMF lines included. */
  lines: Record<string, unknown>[];
}

/**
 * What becomes of the child's stdout: `keep` collects its lines; `drain` is a pipe read and dropped by another
 * process, as Lambda's own init process reads a runtime's stdout; `ignore` is /dev/null, a file, which Node writes
 * through a synchronous file stream rather than a pipe's.
 */
export type ChildStdout = 'keep' | 'drain' | 'ignore';

/** How the children that talk to S3 reach it, when not as this process does (set by `withS3`, bench/edge.ts). */
export interface ChildS3 {
  /** AWS_ENDPOINT_URL_S3 for them. */
  endpoint: string;
  /** The CA for them to trust beside Node's own roots (NODE_EXTRA_CA_CERTS). */
  caFile: string;
}

let childS3: ChildS3 | undefined;

/** From now on, children that talk to S3 reach it through `s3` (`undefined`: as this process does). */
export function childrenReachS3Through(s3: ChildS3 | undefined): void {
  childS3 = s3;
}

/**
 * The environment Lambda would give a child (lambdaLikeEnv), pointed at S3 as `childrenReachS3Through` said for
 * the jobs that talk to it. The others (the floor, the viewer) get no CA: Node would load it at start, and
 * Lambda's Node has none to load.
 */
function childEnv(job: ChildJob): NodeJS.ProcessEnv {
  const env = lambdaLikeEnv();
  const talksToS3 = job.mode === 'origin' || job.mode === 'origin-precompiled' || job.mode === 's3-levers';
  if (!talksToS3 || !childS3) return env;
  return { ...env, AWS_ENDPOINT_URL_S3: childS3.endpoint, NODE_EXTRA_CA_CERTS: childS3.caFile };
}

export function runChild(job: ChildJob, options: { stdout: ChildStdout; nodeFlags: string[] }): Promise<ChildRun> {
  // The drain is `cat` into /dev/null, a native reader as Lambda's is: this process's event loop would read the
  // pipe late and stall the child's writes on a full pipe.
  const drain = options.stdout === 'drain' ? spawn('cat', [], { stdio: ['pipe', 'ignore', 'inherit'] }) : undefined;
  const started = performance.now();
  // The S3 levers run in a script of their own: it loads the SDK, which edge-child.ts must not for a cold start.
  const script = job.mode === 's3-levers' ? 'dist/bench/s3-child.mjs' : 'dist/bench/edge-child.mjs';
  const child = spawn(process.execPath, [...options.nodeFlags, join(REPO_ROOT, script), JSON.stringify(job)], {
    stdio: ['ignore', drain ? drain.stdin : options.stdout === 'ignore' ? 'ignore' : 'pipe', 'inherit', 'pipe'],
    env: childEnv(job),
  });
  // Closed only once the child has exited: end() would shut the socket down for the child's writes too.
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let result: ChildResult | undefined;
    let wallMs = 0;
    let answer = '';
    child.stdio[ANSWER_FD]!.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      // Timed when the whole answer is in.
      if (!result && answer.endsWith('\n')) {
        result = JSON.parse(answer) as ChildResult;
        wallMs = performance.now() - started;
      }
    });
    child.on('error', (error) => {
      drain?.stdin?.destroy();
      reject(error);
    });
    child.on('close', (code) => {
      drain?.stdin?.destroy();
      if (!result) return reject(new Error(`bench child exited ${code} without an answer`));
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ result, wallMs, lines });
    });
  });
}
