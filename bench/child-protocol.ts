/** What the benchmark tells a fresh process (`edge-child.ts`) to do, and what it answers. */
import { writeSync } from 'node:fs';

/** The bucket the events' origin names (`photos.s3.us-east-1.amazonaws.com`, tests/helpers/events.ts). */
export const BUCKET = 'photos';

export type ChildStep =
  /** An origin-response on S3's 404 for this variant URI. */
  | { kind: 'miss'; uri: string }
  /** The ideal sharp call alone (`sharp(input).resize(width).jpeg()`), on a file read once. */
  | { kind: 'ideal'; file: string; width: number; quality: number }
  /** A bare SDK GetObject of `key`, body read whole: what any miss must pay to S3 before its transform. */
  | { kind: 'get'; key: string }
  /** A bare SDK PutObject of the last ideal output under `key`: what any miss must pay to S3 after it. */
  | { kind: 'put'; key: string };

export type ChildJob =
  | { mode: 'origin'; bundle: string; steps: ChildStep[] }
  /**
   * The origin-response bundle compiled through V8's code cache (`vm.Script` with `cachedData`, from `cache`), or
   * without one when `cache` is absent; `write` saves the cache to that path after the steps, with every function
   * they ran compiled in it. Not how Lambda loads a function: the bench's lower bound for compiling our code.
   */
  | { mode: 'origin-precompiled'; bundle: string; cache?: string; write?: boolean; steps: ChildStep[] }
  /** Load sharp and answer: what any process that resizes with sharp pays before its first request. */
  | { mode: 'floor' }
  /** `calls` viewer-requests, `batch` events parsed and alive at a time. */
  | {
      mode: 'viewer';
      bundle: string;
      requests: { uri: string; querystring: string; headers: Record<string, string> }[];
      calls: number;
      batch: number;
    }
  /**
   * GETs of `key` by our S3 client, by the SDK's defaults handed `checksum` as S3 would send it, without our client's
   * reuse, and in ranges (s3-levers.ts).
   */
  | { mode: 's3-levers'; key: string; checksum: string; runs: number; first: 'ours' | 'defaults' };

export interface ChildResult {
  /** Milliseconds to require the bundle. */
  loadMs: number;
  /** Each step's wall time, ms, in order. */
  stepMs: number[];
  /** Each miss's answer status, in order of the misses. */
  statuses: string[];
  /** Microseconds per viewer-request call. */
  usPerCall?: number;
  /** Microseconds per call of a handler that only writes its JSON log line and returns the request. */
  floorUsPerCall?: number;
  /**
   * The s3-levers job's answer, ms: the process's first GET, then each client's median GET (ours against the
   * defaults; then ours again against a new connection and a new client for every GET, in rounds of their own;
   * then ours again against the object read in two and in four ranged GETs at once).
   */
  levers?: {
    firstMs: number;
    oursMs: number;
    defaultsMs: number;
    keptMs: number;
    newConnectionMs: number;
    newClientMs: number;
    wholeMs: number;
    twoRangesMs: number;
    fourRangesMs: number;
  };
  /** origin-precompiled: whether V8 refused the code cache it was handed (then it compiled as usual). */
  cacheRejected?: boolean;
  /** Peak resident set size of this process, bytes (VmHWM on Linux). */
  maxRssBytes: number;
}

/**
 * The child's answer goes to the parent as one JSON line on this file descriptor, a plain pipe. Not Node's IPC
 * channel: a process started with one loads `node:child_process` (and what it needs) while it boots, before any
 * of our code, which Lambda's runtime does not; a cold start timed that way would not pay for loading it.
 */
export const ANSWER_FD = 3;

/** Writes the answer to the parent and exits. */
export function answerParent(answer: ChildResult): never {
  const bytes = Buffer.from(`${JSON.stringify(answer)}\n`);
  for (let at = 0; at < bytes.length;) {
    try {
      at += writeSync(ANSWER_FD, bytes, at);
    } catch (error) {
      // The pipe is full: the parent reads it as it goes.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
  process.exit(0);
}
