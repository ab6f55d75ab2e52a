/**
 * The process's resident set size, sampled every ~100 ms while a load run is in flight. The local stack (the
 * emulator, both functions with sharp and libvips, s3rver) runs in this process, so this is the whole stack's
 * memory, native buffers included, which `heapUsed` would miss.
 */
import type { RssSample } from './load-report';

export const SAMPLE_INTERVAL_MS = 100;

export interface RssSampler {
  /** Stops sampling; returns the first and last readings and every sample between. */
  stop(): { start: number; end: number; samples: RssSample[] };
}

/** `answered` tells each sample how far the run had got, so the report can split it into halves. */
export function startRssSampler(answered: () => number, intervalMs = SAMPLE_INTERVAL_MS): RssSampler {
  // process.memoryUsage.rss() reads the same figure as process.memoryUsage().rss without walking the V8 heap.
  const start = process.memoryUsage.rss();
  const samples: RssSample[] = [];
  const timer = setInterval(() => samples.push({ answered: answered(), bytes: process.memoryUsage.rss() }), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { start, end: process.memoryUsage.rss(), samples };
    },
  };
}
