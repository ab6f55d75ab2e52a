import { describe, expect, it } from 'vitest';
import {
  minimumRequests,
  MISSING_ORIGINAL,
  PHASES,
  planLoad,
  RACE_CLIENTS,
  type PlanOptions,
} from '../../local/load-plan';
import { resolveConfig } from '../../shared/config';

const ORIGINALS = ['load/01-medium-2mp.jpg', 'load/02-grey.jpg', 'load/03-orient6.jpg', 'load/04-alpha-photo.png'];
const OPTIONS: PlanOptions = {
  requests: 2000,
  concurrency: 32,
  seed: 1,
  originals: ORIGINALS,
  config: resolveConfig({}),
};

describe('the load plan', () => {
  const plan = planLoad(OPTIONS);
  const all = plan.phases.flatMap((phase) => phase.requests);

  it('is the same for the same seed and differs for another', () => {
    expect(planLoad(OPTIONS)).toEqual(plan);
    expect(planLoad({ ...OPTIONS, seed: 2 }).phases[0]!.requests.map((r) => r.url)).not.toEqual(
      plan.phases[0]!.requests.map((r) => r.url),
    );
  });

  it('holds exactly the requests asked for, in phases with the cache emptied before all but the first', () => {
    expect(all).toHaveLength(2000);
    expect(plan.phases).toHaveLength(PHASES);
    expect(plan.phases.map((p) => p.clearCacheFirst)).toEqual([false, true, true, true]);
  });

  it('opens each phase with its races: the same new URL several times in a row, within the concurrency', () => {
    expect(plan.races).toHaveLength(PHASES * 2);
    plan.phases.forEach((phase, index) => {
      const races = plan.races.filter((race) => race.phase === index);
      const opening = phase.requests.slice(0, races.length * RACE_CLIENTS);
      expect(opening.map((r) => r.url)).toEqual(races.flatMap((race) => Array<string>(race.clients).fill(race.url)));
      expect(opening.every((r) => r.intent === 'race')).toBe(true);
      expect(opening.length).toBeLessThanOrEqual(OPTIONS.concurrency);
    });
  });

  it('asks for each new key first by a new request or a race, and repeats only keys asked for earlier', () => {
    const seen = new Set<string>();
    for (const request of all) {
      if (request.intent === 'new') expect(seen.has(request.key!)).toBe(false);
      if (request.intent === 'repeat') expect(seen.has(request.key!)).toBe(true);
      if (request.key && request.expectedStatus === 200) seen.add(request.key);
    }
    expect(new Set(plan.newKeys).size).toBe(plan.newKeys.length);
    expect([...seen].sort()).toEqual([...plan.newKeys].sort());
    const share = all.filter((r) => r.intent === 'new').length / all.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
  });

  it('puts bad queries (400) and a missing original (404) in every phase, everything else expecting 200', () => {
    for (const phase of plan.phases) {
      expect(
        phase.requests.some((r) => r.intent === 'bad-query' && r.expectedStatus === 400 && r.key === undefined),
      ).toBe(true);
      expect(
        phase.requests.some(
          (r) =>
            r.intent === 'missing-original' && r.expectedStatus === 404 && r.url.startsWith(`/${MISSING_ORIGINAL}?`),
        ),
      ).toBe(true);
    }
    for (const request of all.filter((r) => r.intent !== 'bad-query' && r.intent !== 'missing-original')) {
      expect(request.expectedStatus).toBe(200);
      expect(ORIGINALS.some((original) => request.url.startsWith(`/${original}?`))).toBe(true);
      expect(request.key).toMatch(/^\/[^/]+\/[^/]+\/load\/\d\d-/);
    }
  });

  it('refuses a plan too small for its races, or a concurrency with no room for a race', () => {
    expect(() => planLoad({ ...OPTIONS, requests: minimumRequests(32) - 1 })).toThrow(
      /requests must be a whole number of at least 72/,
    );
    expect(() => planLoad({ ...OPTIONS, concurrency: 1 })).toThrow(/concurrency must be/);
    expect(
      planLoad({ ...OPTIONS, requests: minimumRequests(2), concurrency: 2 }).phases.flatMap((p) => p.requests),
    ).toHaveLength(minimumRequests(2));
  });
});
