/**
 * Timing for the benchmarks: medians over repeated runs after warm-up, with the contenders of one comparison
 * interleaved round by round, so a noisy neighbour on a shared 2-core machine slows all of them alike and the
 * ratios between them stay meaningful even when the absolute figures do not.
 */

export interface Contender {
  name: string;
  /** One run: the work to time. Returns when the output is complete (written, encoded, answered). */
  run: () => Promise<unknown>;
}

export interface Timing {
  name: string;
  /** Median wall time of the timed runs, milliseconds. */
  medianMs: number;
  minMs: number;
  runs: number;
}

export interface RoundOptions {
  /** Untimed runs of each contender first (JIT, caches, page cache, libvips's own warm-up). */
  warmup: number;
  /** Timed runs of each contender. */
  runs: number;
}

/** Times every contender `runs` times, round-robin, rotating who goes first each round. */
export async function compare(contenders: readonly Contender[], { warmup, runs }: RoundOptions): Promise<Timing[]> {
  for (let i = 0; i < warmup; i++) for (const c of contenders) await c.run();
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const started = performance.now();
      await contenders[index]!.run();
      samples[index]!.push(performance.now() - started);
    }
  }
  return contenders.map((c, i) => ({
    name: c.name,
    medianMs: median(samples[i]!),
    minMs: Math.min(...samples[i]!),
    runs,
  }));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `a / b` for printing: `1.07x`; `n/a` when either side is missing. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}x`;
}

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
