/**
 * What a load run found, and whether it passed: pure functions from the run's raw facts (every answer, RSS
 * samples, the writes s3rver saw, the stored variants checked) to one report object, and that report as the
 * table `npm run load` prints.
 *
 * The pass rule, all of it:
 *   - every planned request answered within --max-seconds, each with the status the plan expects
 *     (200 for images, 400 for bad queries, 404 for the missing original), each for the key the plan expects;
 *   - hits, stored and generated answers all occurred (or the run did not test what it claims);
 *   - every variant in S3 decodes to the size and format its key names, and is one the plan asked for;
 *   - every new variant generated exactly once and written to S3 exactly once (see GENERATION_BOUND);
 *   - peak RSS under MEMORY_CEILING, and RSS growth over the second half of the run within
 *     max(GROWTH_FLOOR, GROWTH_SHARE x the first half's growth).
 */
import type { Intent, PlannedRace } from './load-plan';
import { alignColumns } from './text-table';

/**
 * How an image answer was served, from the emulator: `X-Cache: Hit` is a `hit`; a `Miss` whose origin-response
 * passed S3's answer on is `stored` (S3 had the variant); a `Miss` it replaced is `generated`. Answers that are
 * not images (400, 404, failures) are `other`, so their latency does not blur the three that matter.
 */
export type AnswerKind = 'hit' | 'stored' | 'generated' | 'other';
export const KINDS: readonly AnswerKind[] = ['hit', 'stored', 'generated', 'other'];

/**
 * Each new variant is generated exactly once per run, not merely once per cache lifetime: the first miss
 * generates it and waits for its PutObject before answering; simultaneous misses for the key are collapsed
 * into that one origin fetch (the stack's default, as CloudFront does); and once the edge cache is emptied,
 * the next miss finds it in S3. Without collapsing, a race of N clients could generate it up to N times.
 */
export const GENERATION_BOUND = 1;
export const MEMORY_CEILING = 1.5 * 1024 ** 3;
/**
 * Growth below this is noise, not a leak: RSS keeps rising for a while with no leak at all, as glibc gives
 * libvips' threads their own arenas and sharp's operation cache fills, and it rarely shrinks. A leak of one
 * decoded photo per generation crosses it within a few dozen generations.
 */
export const GROWTH_FLOOR = 128 * 1024 ** 2;
export const GROWTH_SHARE = 0.5;

export interface Answer {
  url: string;
  intent: Intent;
  /** The key the plan expects the viewer-request to rewrite `url` to. */
  plannedKey: string | undefined;
  expectedStatus: number;
  /** The final status (after following a large variant's redirect); 0 when no answer came. */
  status: number;
  kind: AnswerKind;
  /** The cache key from the emulator's record of the (first) request. */
  key: string | undefined;
  /** A variant too large to inline came through the origin-response's redirect to itself. */
  redirected: boolean;
  /** From sending the request to the last byte of the (final) body. */
  ms: number;
  /** Why there was no answer, or why CloudFront answered an error itself (the emulator's record). */
  error?: string;
}

export function answerKind(
  xCache: string | null,
  originResponse: 'passed' | 'replaced' | undefined,
  status: number,
): AnswerKind {
  if (status !== 200) return 'other';
  if (xCache === 'Hit from cloudfront') return 'hit';
  if (xCache === 'Miss from cloudfront' && originResponse === 'replaced') return 'generated';
  if (xCache === 'Miss from cloudfront' && originResponse === 'passed') return 'stored';
  return 'other';
}

export interface RssSample {
  /** Answers received when the sample was taken. */
  answered: number;
  bytes: number;
}

/** One object in the bucket under a variant key, decoded. */
export interface StoredCheck {
  key: string;
  format?: string;
  width?: number;
  height?: number;
  problem?: string;
}

export interface LoadSettings {
  requests: number;
  concurrency: number;
  maxSeconds: number;
  seed: number;
}

export interface RunFacts {
  settings: LoadSettings;
  races: readonly PlannedRace[];
  newKeys: readonly string[];
  answers: readonly Answer[];
  seconds: number;
  timedOut: boolean;
  /** Stopped from outside (Ctrl-C) before every request was sent. */
  interrupted: boolean;
  rss: { start: number; end: number; samples: readonly RssSample[] };
  /** PutObject requests that reached s3rver, by variant key (URI form, leading slash). */
  writes: ReadonlyMap<string, number>;
  stored: readonly StoredCheck[];
  /** The emulator's own count of origin-response runs that replaced S3's answer. */
  generationsByEmulator: number;
}

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface VariantCount {
  key: string;
  generated: number;
  written: number;
}

export interface LoadReport {
  passed: boolean;
  failures: string[];
  settings: LoadSettings;
  seconds: number;
  requests: {
    planned: number;
    answered: number;
    redirected: number;
    byStatus: Record<string, number>;
    /** Answers whose status is not the one planned, by status (`none`: no answer). */
    errors: Record<string, number>;
  };
  latencyMs: Record<AnswerKind, Latency>;
  memoryMiB: {
    ceiling: number;
    start: number;
    end: number;
    peak: number;
    firstHalfPeak: number;
    secondHalfPeak: number;
    /** First half's peak minus the start. */
    firstHalfGrowth: number;
    /** Second half's peak minus the first half's (0 when lower). */
    secondHalfGrowth: number;
    allowedSecondHalfGrowth: number;
  };
  variants: {
    new: number;
    /** How many new variants were generated 0, 1, 2… times, and written 0, 1, 2… times. */
    timesGenerated: Record<string, number>;
    timesWritten: Record<string, number>;
    perKey: VariantCount[];
    stored: { objects: number; matching: number; problems: StoredCheck[] };
  };
  races: (PlannedRace & { generated: number; written: number; kinds: Partial<Record<AnswerKind, number>> })[];
  generationsByEmulator: number;
}

const MiB = 1024 ** 2;
/** Examples given in a failure line, at most. */
const EXAMPLES = 3;

export function summarize(facts: RunFacts): LoadReport {
  const { settings, answers } = facts;
  const failures: string[] = [];

  const byStatus = countBy(answers, (a) => statusLabel(a.status));
  const unexpected = answers.filter((a) => a.status !== a.expectedStatus);
  const errors = countBy(unexpected, (a) => statusLabel(a.status));
  const answered = answers.filter((a) => a.status !== 0).length;
  if (facts.interrupted) failures.push(`interrupted with ${answered} of ${settings.requests} requests answered`);
  else if (facts.timedOut)
    failures.push(
      `stopped after ${settings.maxSeconds} s (--max-seconds) ` +
        `with ${answered} of ${settings.requests} requests answered`,
    );
  else if (answers.length < settings.requests)
    failures.push(`only ${answers.length} of ${settings.requests} requests were sent`);
  if (unexpected.length) {
    failures.push(
      `${count(unexpected.length, 'answer')} with an unexpected status (${describeCounts(errors)}), e.g. ` +
        examples(
          unexpected,
          (a) => `${statusLabel(a.status)} for ${a.url} (expected ${a.expectedStatus}${a.error ? `: ${a.error}` : ''})`,
        ),
    );
  }
  const offKey = answers.filter((a) => a.status !== 0 && a.key !== a.plannedKey);
  if (offKey.length)
    failures.push(
      `${count(offKey.length, 'answer')} for another key than planned, e.g. ` +
        examples(offKey, (a) => `${a.url} → ${a.key ?? 'no key'} (planned ${a.plannedKey ?? 'none'})`),
    );

  const latencyMs = Object.fromEntries(
    KINDS.map((kind) => [kind, latency(answers.filter((a) => a.kind === kind).map((a) => a.ms))]),
  ) as Record<AnswerKind, Latency>;
  for (const kind of ['hit', 'stored', 'generated'] as const) {
    if (latencyMs[kind].count === 0) failures.push(`no ${kind} answers: the run did not exercise that path`);
  }

  const generatedByKey = countBy(
    answers.filter((a) => a.kind === 'generated' && a.key),
    (a) => a.key!,
  );
  const newKeys = new Set(facts.newKeys);
  const perKey = facts.newKeys.map((key) => ({
    key,
    generated: generatedByKey[key] ?? 0,
    written: facts.writes.get(key) ?? 0,
  }));
  const unplanned = Object.keys(generatedByKey).filter((key) => !newKeys.has(key));
  const offBound = perKey.filter((v) => v.generated !== GENERATION_BOUND || v.written !== GENERATION_BOUND);
  if (offBound.length) {
    failures.push(
      `${count(offBound.length, 'new variant')} not generated and written exactly ${GENERATION_BOUND}x, e.g. ` +
        examples(offBound, (v) => `${v.key} generated ${v.generated}x, written ${v.written}x`),
    );
  }
  if (unplanned.length)
    failures.push(`variants generated that the plan never asked for: ${examples(unplanned, (k) => k)}`);
  const generatedSeen = Object.values(generatedByKey).reduce((sum, n) => sum + n, 0);
  if (generatedSeen !== facts.generationsByEmulator) {
    failures.push(
      `the emulator replaced S3's answer ${facts.generationsByEmulator} times ` +
        `but ${generatedSeen} answers say generated`,
    );
  }

  const problems = facts.stored.filter((s) => s.problem);
  const storedKeys = new Set(facts.stored.map((s) => s.key));
  if (problems.length)
    failures.push(
      `${problems.length} of ${count(facts.stored.length, 'stored variant')} do not match their key: ` +
        examples(problems, (s) => `${s.key} ${s.problem}`),
    );
  const absent = facts.newKeys.filter((key) => !storedKeys.has(key));
  if (absent.length)
    failures.push(`${count(absent.length, 'new variant')} not in S3, e.g. ${examples(absent, (k) => k)}`);
  const stray = [...storedKeys].filter((key) => !newKeys.has(key));
  if (stray.length)
    failures.push(
      `${count(stray.length, 'object')} in S3 under variant keys the plan never asked for, e.g. ` +
        examples(stray, (k) => k),
    );

  const memoryMiB = memory(facts.rss, answers.length);
  if (memoryMiB.peak > memoryMiB.ceiling)
    failures.push(`peak RSS ${memoryMiB.peak} MiB is over the ${memoryMiB.ceiling} MiB ceiling`);
  if (memoryMiB.secondHalfGrowth > memoryMiB.allowedSecondHalfGrowth) {
    failures.push(
      `RSS grew ${memoryMiB.secondHalfGrowth} MiB over the second half ` +
        `(allowed ${memoryMiB.allowedSecondHalfGrowth} MiB): memory is not bounded`,
    );
  }

  const races = facts.races.map((race) => ({
    ...race,
    generated: generatedByKey[race.key] ?? 0,
    written: facts.writes.get(race.key) ?? 0,
    kinds: countBy(
      answers.filter((a) => a.intent === 'race' && a.key === race.key),
      (a) => a.kind,
    ),
  }));

  return {
    passed: failures.length === 0,
    failures,
    settings,
    seconds: round(facts.seconds, 1),
    requests: {
      planned: settings.requests,
      answered,
      redirected: answers.filter((a) => a.redirected).length,
      byStatus,
      errors,
    },
    latencyMs,
    memoryMiB,
    variants: {
      new: perKey.length,
      timesGenerated: countBy(perKey, (v) => String(v.generated)),
      timesWritten: countBy(perKey, (v) => String(v.written)),
      perKey,
      stored: { objects: facts.stored.length, matching: facts.stored.length - problems.length, problems },
    },
    races,
    generationsByEmulator: facts.generationsByEmulator,
  };
}

/** Nearest-rank percentile of ascending `sorted` (the smallest value with at least p% of values at or below it). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p));
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: Math.round(sorted.at(-1) ?? 0) };
}

/** Halves by answers received: a leak grows with the work done, so the second half's peak must not run away. */
function memory(rss: RunFacts['rss'], answered: number): LoadReport['memoryMiB'] {
  const half = answered / 2;
  const first = [rss.start, ...rss.samples.filter((s) => s.answered < half).map((s) => s.bytes)];
  const second = [...rss.samples.filter((s) => s.answered >= half).map((s) => s.bytes), rss.end];
  const firstHalfPeak = Math.max(...first);
  const secondHalfPeak = Math.max(...second);
  const firstHalfGrowth = firstHalfPeak - rss.start;
  const secondHalfGrowth = Math.max(0, secondHalfPeak - firstHalfPeak);
  const mib = (bytes: number) => Math.round(bytes / MiB);
  return {
    ceiling: mib(MEMORY_CEILING),
    start: mib(rss.start),
    end: mib(rss.end),
    peak: mib(Math.max(firstHalfPeak, secondHalfPeak)),
    firstHalfPeak: mib(firstHalfPeak),
    secondHalfPeak: mib(secondHalfPeak),
    firstHalfGrowth: mib(firstHalfGrowth),
    secondHalfGrowth: mib(secondHalfGrowth),
    allowedSecondHalfGrowth: mib(Math.max(GROWTH_FLOOR, GROWTH_SHARE * firstHalfGrowth)),
  };
}

/** The report as the terminal table `npm run load` prints. */
export function formatReport(report: LoadReport): string {
  const { settings, requests, latencyMs, memoryMiB: m, variants } = report;
  const unexpected = Object.keys(requests.errors).length ? describeCounts(requests.errors) : 'none';
  const lines = [
    `edge-resize load: ${settings.requests} requests, concurrency ${settings.concurrency}, seed ${settings.seed}: ` +
      `${report.passed ? 'PASS' : 'FAIL'} in ${report.seconds} s`,
    '',
    alignColumns([
      ['kind', 'answers', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      ...KINDS.map((kind) => [
        kind,
        ...[
          latencyMs[kind].count,
          latencyMs[kind].p50,
          latencyMs[kind].p95,
          latencyMs[kind].p99,
          latencyMs[kind].max,
        ].map(String),
      ]),
    ]),
    '',
    `statuses      ${describeCounts(requests.byStatus)}; unexpected: ${unexpected}; ` +
      `${requests.redirected} large variants through the redirect`,
    `memory (RSS)  start ${m.start} MiB, end ${m.end} MiB, peak ${m.peak} MiB (ceiling ${m.ceiling} MiB)`,
    `              growth: first half +${m.firstHalfGrowth} MiB, second half +${m.secondHalfGrowth} MiB ` +
      `(allowed ${m.allowedSecondHalfGrowth} MiB)`,
    `new variants  ${variants.new}: generated ${describeTimes(variants.timesGenerated)}, ` +
      `written to S3 ${describeTimes(variants.timesWritten)}`,
    `in S3         ${variants.stored.objects} variants, ` +
      `${variants.stored.matching} decode to their key's size and format`,
    `races         ${describeRaces(report.races)}`,
  ];
  if (report.failures.length) lines.push('', 'FAILED:', ...report.failures.map((f) => `  - ${f}`));
  return lines.join('\n');
}

/** `8 races of 8 clients: generated 1x, written 1x each`, one group per distinct outcome. */
function describeRaces(races: LoadReport['races']): string {
  const groups = countBy(races, (r) => `${r.clients} clients: generated ${r.generated}x, written ${r.written}x`);
  return Object.entries(groups)
    .map(([outcome, n]) => `${n} race${n === 1 ? '' : 's'} of ${outcome}${n === 1 ? '' : ' each'}`)
    .join('; ');
}

/** `1 answer`, `2 answers`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function statusLabel(status: number): string {
  return status === 0 ? 'none' : String(status);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} x${n}`)
    .join(', ');
}

/** `{ '1': 199, '2': 1 }` → `1x for 199, 2x for 1`. */
function describeTimes(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([times, n]) => `${times}x for ${n}`)
    .join(', ');
}

function examples<T>(items: readonly T[], describe: (item: T) => string): string {
  return (
    items.slice(0, EXAMPLES).map(describe).join('; ') +
    (items.length > EXAMPLES ? `; and ${items.length - EXAMPLES} more` : '')
  );
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
