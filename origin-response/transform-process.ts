/**
 * The transform in a child process, so that the deadline really stops it. sharp's `timeout()` only marks the
 * image killed when libvips next reports progress, which an encoder in full flight does not, and a terminated
 * worker_thread waits for its native work to finish; a killed process frees its CPU and memory at once.
 *
 * The child is the origin-response bundle itself, started with `CHILD_ROLE_ENV` set (index.ts), so nothing else
 * ships. One idle child is kept for the next miss; a child past its deadline is killed and the next miss forks
 * a new one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { EdgeConfig } from '../shared/config';
import type { VariantOptions } from '../shared/options';
import { configureSharp, transform, UnprocessableImage, type RefusalCode, type TransformResult } from './transform';

/** Set in the child's environment: the bundle then serves transforms instead of only exporting the handler. */
export const CHILD_ROLE_ENV = 'EDGE_RESIZE_TRANSFORM_CHILD';

export interface Job {
  input: Uint8Array;
  options: VariantOptions;
  config: EdgeConfig;
}

export type Reply =
  | { kind: 'done'; data: Uint8Array; contentType: string; width: number; height: number }
  | { kind: 'refused'; code: RefusalCode; reason: string }
  | { kind: 'failed'; message: string };

/** The child ended without answering (out of memory, a crash): a transient failure, not the original's fault. */
export class TransformCrashed extends Error {
  constructor(readonly exit: string) {
    super(`the transform process ended without an answer (${exit})`);
    this.name = 'TransformCrashed';
  }
}

export interface Stopped {
  pid: number | undefined;
  signal: NodeJS.Signals;
}

export class TransformProcesses {
  private idle: ChildProcess | undefined;
  /** Called with each child killed at its deadline. */
  onKilled: (stopped: Stopped) => void = () => {};

  constructor(private readonly script: string) {}

  async run(input: Buffer, options: VariantOptions, config: EdgeConfig): Promise<TransformResult> {
    const child = this.idle && this.idle.connected ? this.idle : this.spawn();
    this.idle = undefined;
    child.ref();
    const reply = await this.exchange(child, { input, options, config }, config.transformTimeoutSeconds);
    this.release(child);
    if (reply.kind === 'refused') throw new UnprocessableImage(reply.code, reply.reason);
    if (reply.kind === 'failed') throw new Error(reply.message);
    const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
    return { data, contentType: reply.contentType, width: reply.width, height: reply.height };
  }

  /** Kills the idle child; in-flight ones end at their deadline. */
  close(): void {
    this.idle?.kill('SIGKILL');
    this.idle = undefined;
  }

  private spawn(): ChildProcess {
    const child = fork(this.script, [], {
      serialization: 'advanced',
      env: { ...process.env, [CHILD_ROLE_ENV]: '1' },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // A stray error (a send to a child that just died) is seen through `exit`; it must not crash the handler.
    child.on('error', () => {});
    return child;
  }

  /** Keeps one idle child, not holding this process open. */
  private release(child: ChildProcess): void {
    if (this.idle || !child.connected) {
      child.kill('SIGKILL');
      return;
    }
    child.unref();
    child.channel?.unref();
    this.idle = child;
  }

  private exchange(child: ChildProcess, job: Job, seconds: number): Promise<Reply> {
    child.channel?.ref();
    return new Promise<Reply>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (reply: Reply) => {
        finish();
        resolve(reply);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        finish();
        reject(new TransformCrashed(signal ?? `exit code ${String(code)}`));
      };
      const timer = setTimeout(() => {
        finish();
        child.kill('SIGKILL');
        this.onKilled({ pid: child.pid, signal: 'SIGKILL' });
        reject(new UnprocessableImage('timeout', `the image took longer than ${seconds} s to generate`));
      }, seconds * 1000);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(job);
    });
  }
}

/** The child's side: answer each job with the transform's result or its refusal; end with the parent. */
export function serveTransforms(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (job: Job) => {
    void answer(job).then((reply) => process.send?.(reply));
  });
}

async function answer(job: Job): Promise<Reply> {
  try {
    configureSharp(job.config);
    const input = Buffer.from(job.input.buffer, job.input.byteOffset, job.input.byteLength);
    const result = await transform(input, job.options, job.config);
    return { kind: 'done', ...result };
  } catch (error) {
    if (error instanceof UnprocessableImage) return { kind: 'refused', code: error.code, reason: error.reason };
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
