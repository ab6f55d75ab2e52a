/**
 * `npm run load`, smaller: the same `runLoad` against the same local stack (built bundles, s3rver, the
 * CloudFront emulator, all over HTTP on loopback), 200 requests at 16 in flight. Latency is only reported,
 * never asserted: it depends on the machine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATION_BOUND, MEMORY_CEILING, type LoadReport } from '../../local/load-report';
import { runLoad } from '../../local/load-run';

let report: LoadReport;

beforeAll(async () => {
  // Bounded well inside the hook's timeout, so a hang fails as a report rather than a timeout.
  report = await runLoad({ requests: 200, concurrency: 16, seed: 1, maxSeconds: 45 });
  console.log(JSON.stringify({ seconds: report.seconds, latencyMs: report.latencyMs, memoryMiB: report.memoryMiB }));
});

describe('a load run against the local stack', () => {
  it('passes its own rule, and answers every request with the status the plan expects', () => {
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.requests.answered).toBe(200);
    expect(report.requests.errors).toEqual({});
    // The plan's bad queries and missing original were sent and answered as expected, not just the images.
    expect(report.requests.byStatus['400']).toBeGreaterThan(0);
    expect(report.requests.byStatus['404']).toBeGreaterThan(0);
  });

  it('saw all three kinds of image answer: edge cache hits, variants served by S3, variants generated', () => {
    for (const kind of ['hit', 'stored', 'generated'] as const) expect(report.latencyMs[kind].count).toBeGreaterThan(0);
    const images = report.latencyMs.hit.count + report.latencyMs.stored.count + report.latencyMs.generated.count;
    expect(images).toBe(report.requests.byStatus['200']);
  });

  it('stored every new variant in S3, each decoding to the size and format its key names', () => {
    const { stored } = report.variants;
    expect(stored.objects).toBe(report.variants.new);
    expect(stored.matching).toBe(stored.objects);
    expect(stored.problems).toEqual([]);
  });

  it(
    'generated each new variant once and wrote it once, ' + 'races included: collapsed clients share one generation',
    () => {
      expect(report.variants.timesGenerated).toEqual({ [GENERATION_BOUND]: report.variants.new });
      expect(report.variants.timesWritten).toEqual({ [GENERATION_BOUND]: report.variants.new });
      expect(report.generationsByEmulator).toBe(report.variants.new);
      expect(report.races.length).toBeGreaterThan(0);
      for (const race of report.races) {
        expect(race.clients).toBeGreaterThan(1);
        expect(race).toMatchObject({ generated: 1, written: 1 });
        // One client made it; every other one got that answer from the edge cache. (This seed's race variants
        // are all small enough to inline; one over 1 MB is answered by a redirect that is never cached, so its
        // collapsed clients would be served by S3 instead, still with one generation.)
        expect(race.kinds).toEqual({ generated: 1, hit: race.clients - 1 });
      }
    },
  );

  it('kept memory bounded: peak RSS under the ceiling, and the second half grew no more than allowed', () => {
    const memory = report.memoryMiB;
    expect(memory.peak).toBeLessThan(MEMORY_CEILING / 1024 ** 2);
    expect(memory.peak).toBeGreaterThanOrEqual(Math.max(memory.start, memory.end));
    expect(memory.secondHalfGrowth).toBeLessThanOrEqual(memory.allowedSecondHalfGrowth);
  });
});
