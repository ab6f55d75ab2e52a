/** Runs `edge-child.ts` (bundled to dist/bench/edge-child.mjs) and collects its answer and its stdout lines. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../local/paths';
import type { ChildJob, ChildResult } from './child-protocol';

export interface ChildRun {
  result: ChildResult;
  /** Milliseconds from spawn to the answer arriving, as a cold start is felt from outside. */
  wallMs: number;
  /** The functions' JSON log lines (stdout), parsed; EMF lines included. */
  lines: Record<string, unknown>[];
}

export function runChild(job: ChildJob, options: { keepStdout: boolean }): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/bench/edge-child.mjs'), JSON.stringify(job)], {
    stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'inherit', 'ipc'],
    env: process.env,
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  return new Promise((resolve, reject) => {
    let result: ChildResult | undefined;
    let wallMs = 0;
    child.on('message', (message) => { result = message as ChildResult; wallMs = performance.now() - started; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!result) return reject(new Error(`bench child exited ${code} without an answer`));
      const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ result, wallMs, lines });
    });
  });
}
