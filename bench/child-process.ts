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

export function runChild(job: ChildJob, options: { stdout: ChildStdout; nodeFlags: string[] }): Promise<ChildRun> {
  // The drain is `cat` into /dev/null, a native reader as Lambda's is: this process's event loop would read the
  // pipe late and stall the child's writes on a full pipe.
  const drain = options.stdout === 'drain' ? spawn('cat', [], { stdio: ['pipe', 'ignore', 'inherit'] }) : undefined;
  const started = performance.now();
  // The S3 levers run in a script of their own: it loads the SDK, which edge-child.ts must not for a cold start.
  const script = job.mode === 's3-levers' ? 'dist/bench/s3-child.mjs' : 'dist/bench/edge-child.mjs';
  const child = spawn(process.execPath, [...options.nodeFlags, join(REPO_ROOT, script), JSON.stringify(job)], {
    stdio: ['ignore', drain ? drain.stdin! : options.stdout === 'ignore' ? 'ignore' : 'pipe', 'inherit', 'pipe'],
    env: lambdaLikeEnv(),
  });
  // Closed only once the child has exited: end() would shut the socket down for the child's writes too.
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  return new Promise((resolve, reject) => {
    let result: ChildResult | undefined;
    let wallMs = 0;
    let answer = '';
    child.stdio[ANSWER_FD]!.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      // Timed when the whole answer is in.
      if (!result && answer.endsWith('\n')) { result = JSON.parse(answer) as ChildResult; wallMs = performance.now() - started; }
    });
    child.on('error', (error) => { drain?.stdin?.destroy(); reject(error); });
    child.on('close', (code) => {
      drain?.stdin?.destroy();
      if (!result) return reject(new Error(`bench child exited ${code} without an answer`));
      const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ result, wallMs, lines });
    });
  });
}
