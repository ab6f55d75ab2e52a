import { describe, expect, it } from 'vitest';
import {
  answerKind,
  formatReport,
  GROWTH_FLOOR,
  percentile,
  summarize,
  type Answer,
  type RunFacts,
} from '../../local/load-report';

const MiB = 1024 ** 2;
const KEY = '/400w/default/load/01-medium-2mp.jpg';
const URL = '/load/01-medium-2mp.jpg?width=400';

function answer(kind: Answer['kind'], ms: number, extra: Partial<Answer> = {}): Answer {
  return {
    url: URL,
    intent: 'repeat',
    plannedKey: KEY,
    expectedStatus: 200,
    status: 200,
    kind,
    key: KEY,
    redirected: false,
    ms,
    ...extra,
  };
}

/** A small run that passes: one race of two clients, a stored answer, a hit, a bad query. */
function facts(overrides: Partial<RunFacts> = {}): RunFacts {
  return {
    settings: { requests: 5, concurrency: 2, maxSeconds: 60, seed: 1 },
    races: [{ phase: 0, url: URL, key: KEY, clients: 2 }],
    newKeys: [KEY],
    answers: [
      answer('generated', 300, { intent: 'race' }),
      answer('hit', 250, { intent: 'race' }),
      answer('stored', 20),
      answer('hit', 2),
      {
        url: '/load/01-medium-2mp.jpg?width=abc',
        intent: 'bad-query',
        plannedKey: undefined,
        expectedStatus: 400,
        status: 400,
        kind: 'other',
        key: undefined,
        redirected: false,
        ms: 3,
      },
    ],
    seconds: 1.234,
    timedOut: false,
    interrupted: false,
    rss: {
      start: 100 * MiB,
      end: 150 * MiB,
      samples: [
        { answered: 1, bytes: 140 * MiB },
        { answered: 4, bytes: 160 * MiB },
      ],
    },
    writes: new Map([[KEY, 1]]),
    stored: [{ key: KEY, format: 'jpeg', width: 400, height: 267 }],
    generationsByEmulator: 1,
    ...overrides,
  };
}

describe('answer kinds', () => {
  it("come from X-Cache and whether the origin-response passed or replaced S3's answer", () => {
    expect(answerKind('Hit from cloudfront', undefined, 200)).toBe('hit');
    expect(answerKind('Miss from cloudfront', 'passed', 200)).toBe('stored');
    expect(answerKind('Miss from cloudfront', 'replaced', 200)).toBe('generated');
    expect(answerKind('Miss from cloudfront', 'passed', 404)).toBe('other');
    expect(answerKind('LambdaGeneratedResponse from cloudfront', undefined, 400)).toBe('other');
    expect(answerKind('Miss from cloudfront', undefined, 200)).toBe('other');
  });
});

describe('percentiles', () => {
  it('are nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99), percentile(values, 100)]).toEqual([
      50, 95, 99, 100,
    ]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('the report of a run', () => {
  it('passes a run that meets every rule, with latency per kind and memory in MiB', () => {
    const report = summarize(facts());
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.latencyMs.hit).toEqual({ count: 2, p50: 2, p95: 250, p99: 250, max: 250 });
    expect(report.requests).toMatchObject({ planned: 5, answered: 5, byStatus: { 200: 4, 400: 1 }, errors: {} });
    // Halves by answers: samples before the 3rd answer are the first half (peak 140), the rest the second (160).
    expect(report.memoryMiB).toMatchObject({
      start: 100,
      end: 150,
      peak: 160,
      firstHalfGrowth: 40,
      secondHalfGrowth: 20,
      allowedSecondHalfGrowth: GROWTH_FLOOR / MiB,
    });
    expect(report.races).toEqual([
      expect.objectContaining({ generated: 1, written: 1, kinds: { generated: 1, hit: 1 } }),
    ]);
    expect(formatReport(report)).toContain('1 race of 2 clients: generated 1x, written 1x');
  });

  it('fails on an unexpected status, saying which request and why', () => {
    const base = facts();
    const report = summarize(
      facts({
        answers: [
          ...base.answers.slice(0, 4),
          { ...base.answers[4]!, status: 503, error: 'origin-response failed: boom' },
        ],
      }),
    );
    expect(report.passed).toBe(false);
    expect(report.requests.errors).toEqual({ 503: 1 });
    expect(report.failures).toEqual([
      '1 answer with an unexpected status (503 x1), e.g. 503 for /load/01-medium-2mp.jpg?width=abc (expected ' +
        '400: origin-response failed: boom)',
    ]);
  });

  it('fails when a variant was generated or written more than once', () => {
    const base = facts();
    const report = summarize(
      facts({
        answers: [...base.answers, answer('generated', 100)],
        writes: new Map([[KEY, 2]]),
        generationsByEmulator: 2,
      }),
    );
    expect(report.failures).toContain(
      `1 new variant not generated and written exactly 1x, e.g. ${KEY} generated 2x, written 2x`,
    );
  });

  it('fails when a stored variant is not what its key names, or S3 holds a variant nobody planned', () => {
    const report = summarize(
      facts({
        stored: [
          { key: KEY, problem: 'is 400x300, expected 400x266..267' },
          { key: '/64w/default/load/01-medium-2mp.jpg' },
        ],
      }),
    );
    expect(report.failures).toEqual([
      `1 of 2 stored variants do not match their key: ${KEY} is 400x300, expected 400x266..267`,
      '1 object in S3 under variant keys the plan never asked for, e.g. /64w/default/load/01-medium-2mp.jpg',
    ]);
  });

  it('fails when a kind never occurred, when time ran out, and when memory runs away', () => {
    const base = facts();
    const report = summarize(
      facts({
        answers: base.answers.filter((a) => a.kind !== 'stored'),
        timedOut: true,
        rss: {
          start: 100 * MiB,
          end: 2000 * MiB,
          samples: [
            { answered: 0, bytes: 200 * MiB },
            { answered: 4, bytes: 1900 * MiB },
          ],
        },
      }),
    );
    expect(report.failures).toEqual(
      expect.arrayContaining([
        'stopped after 60 s (--max-seconds) with 4 of 5 requests answered',
        'no stored answers: the run did not exercise that path',
        'peak RSS 2000 MiB is over the 1536 MiB ceiling',
        'RSS grew 1800 MiB over the second half (allowed 128 MiB): memory is not bounded',
      ]),
    );
  });

  it('says so when the run was interrupted rather than out of time', () => {
    const base = facts();
    const report = summarize(facts({ answers: base.answers.slice(0, 2), interrupted: true }));
    expect(report.failures[0]).toBe('interrupted with 2 of 5 requests answered');
  });
});
