/**
 * What `npm run load` sends, decided before anything is sent: a fixed list of requests, the same for the same
 * seed, split into phases with the edge cache emptied between them.
 *
 *   phase 1          races, then new variants, repeats, a few bad queries and a missing original
 *   clear cache      what phase 1 generated is now only in S3
 *   phase 2..4       the same mix; the first repeat of an earlier variant is served by S3, later ones are hits
 *
 * Each phase opens with its races: `clients` identical requests for a variant nobody asked for yet, first in
 * the queue, so that many workers pick them up in the same tick and reach the emulator together. Repeats draw
 * from every image request made so far, so popular URLs get more popular, as on a real site. Every URL is a
 * query URL built with `imageUrl` (the front-end helper), and its key is what the viewer-request's own
 * `decide` makes of it; bad queries are checked to be refused by that same code.
 */
import type { EdgeConfig } from '../shared/config';
import { imageUrl, type ImageUrlOptions } from '../client/index';
import { sourceFormat, type Style } from '../shared/options';
import { decide } from '../viewer-request/rewrite';

export type Intent = 'new' | 'race' | 'repeat' | 'bad-query' | 'missing-original';

export interface PlannedRequest {
  /** Path and query, as a viewer sends it: `/load/01-medium-2mp.jpg?width=400&style=bw`. */
  url: string;
  /** The canonical key the viewer-request rewrites `url` to; `undefined` when it answers 400 itself. */
  key: string | undefined;
  intent: Intent;
  expectedStatus: number;
}

export interface PlannedPhase {
  /** Empty the edge cache before the phase starts (never during one, so every answer's kind is unambiguous). */
  clearCacheFirst: boolean;
  /** In sending order; the races come first. */
  requests: PlannedRequest[];
}

export interface PlannedRace {
  /** 0-based phase index. */
  phase: number;
  url: string;
  key: string;
  clients: number;
}

export interface LoadPlan {
  seed: number;
  phases: PlannedPhase[];
  races: PlannedRace[];
  /** Every variant key asked for the first time in the run (by a new request or a race), in plan order. */
  newKeys: string[];
}

export interface PlanOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** The originals' S3 keys, plain ASCII paths such as `load/01-medium-2mp.jpg`. */
  originals: readonly string[];
  config: EdgeConfig;
}

export const PHASES = 4;
/** Clients per race, at most the concurrency (they must all be in flight at once). */
export const RACE_CLIENTS = 8;
/** Share of a phase's other requests that ask for a variant nobody asked for yet. */
const NEW_SHARE = 0.1;
const BAD_SHARE = 0.01;
const MISSING_SHARE = 0.005;
/** An original that is not in the bucket: its variants must answer 404. */
export const MISSING_ORIGINAL = 'load/missing.jpg';
/** Queries the README lists as refused with 400, each on an original that exists. */
const BAD_QUERIES = [
  'width=abc',
  'width=-5',
  'width=200.5',
  'style=sepia',
  'quality=101',
  'fit=crop&width=200&height=200',
  'width=200&width=300',
  'dpr=4&width=200',
];
/** AVIF encodes slowly (1.6 s for 800 px wide on this machine, 0.1 s for 200): only small AVIF variants. */
const AVIF_MAX_SIDE = 400;
/** Letterbox colours to use when the configuration allows any. */
const SOME_BACKGROUNDS = ['000000', 'ff0000', 'f5f5f5'];

/** The fewest requests a plan can hold at this concurrency: every phase's races, a bad query and a 404. */
export function minimumRequests(concurrency: number): number {
  const { clients, racesPerPhase } = raceShape(concurrency);
  return PHASES * (clients * racesPerPhase + 2);
}

export function planLoad(options: PlanOptions): LoadPlan {
  const { requests, concurrency, seed, originals, config } = options;
  if (!Number.isInteger(concurrency) || concurrency < 2)
    throw new RangeError(
      `concurrency must be a whole number of at least 2 (a race needs two clients), got ${concurrency}`,
    );
  const minimum = minimumRequests(concurrency);
  if (!Number.isInteger(requests) || requests < minimum)
    throw new RangeError(
      `requests must be a whole number of at least ${minimum} at concurrency ${concurrency}, got ${requests}`,
    );
  if (originals.length === 0) throw new RangeError('a plan needs at least one original');

  const random = seededRandom(seed);
  const fresh = freshVariants(originals, config, random);
  const { clients, racesPerPhase } = raceShape(concurrency);
  const phases: PlannedPhase[] = [];
  const races: PlannedRace[] = [];
  const newKeys: string[] = [];
  /** Every image request so far: what repeats draw from. */
  const asked: PlannedRequest[] = [];
  let badQueries = 0;

  for (let phase = 0; phase < PHASES; phase++) {
    const size = Math.floor(requests / PHASES) + (phase < requests % PHASES ? 1 : 0);
    const list: PlannedRequest[] = [];
    for (let r = 0; r < racesPerPhase; r++) {
      const variant = fresh();
      newKeys.push(variant.key);
      races.push({ phase, url: variant.url, key: variant.key, clients });
      for (let c = 0; c < clients; c++) list.push({ ...variant, intent: 'race', expectedStatus: 200 });
    }
    asked.push(...list);

    const rest = size - list.length;
    const bad = Math.max(1, Math.round(rest * BAD_SHARE));
    const missing = Math.max(1, Math.round(rest * MISSING_SHARE));
    const slots = shuffle(
      [...repeat('bad', bad), ...repeat('missing', missing), ...repeat('image', rest - bad - missing)],
      random,
    );
    for (const slot of slots) {
      if (slot === 'bad') {
        const original = pick(originals, random);
        const query = BAD_QUERIES[badQueries++ % BAD_QUERIES.length]!;
        list.push({
          url: `/${original}?${query}`,
          key: refusedKey(original, query, config),
          intent: 'bad-query',
          expectedStatus: 400,
        });
      } else if (slot === 'missing') {
        const url = imageUrl(`/${MISSING_ORIGINAL}`, { width: pick(ladder(config), random) }, config);
        list.push({ url, key: keyOf(url, config), intent: 'missing-original', expectedStatus: 404 });
      } else if (random() < NEW_SHARE) {
        const variant = fresh();
        newKeys.push(variant.key);
        const request: PlannedRequest = { ...variant, intent: 'new', expectedStatus: 200 };
        list.push(request);
        asked.push(request);
      } else {
        const earlier = pick(asked, random);
        const request: PlannedRequest = { url: earlier.url, key: earlier.key, intent: 'repeat', expectedStatus: 200 };
        list.push(request);
        asked.push(request);
      }
    }
    phases.push({ clearCacheFirst: phase > 0, requests: list });
  }
  return { seed, phases, races, newKeys };
}

function raceShape(concurrency: number): { clients: number; racesPerPhase: number } {
  const clients = Math.min(RACE_CLIENTS, concurrency);
  // Races take at most half the workers when there are enough, so other requests run beside them.
  return { clients, racesPerPhase: Math.max(1, Math.floor(concurrency / (2 * clients))) };
}

/** Draws variants whose keys nobody asked for yet, round-robin over the originals. */
function freshVariants(
  originals: readonly string[],
  config: EdgeConfig,
  random: () => number,
): () => { url: string; key: string } {
  const used = new Set<string>();
  let turn = 0;
  return () => {
    const original = originals[turn++ % originals.length]!;
    for (let attempt = 0; attempt < 1000; attempt++) {
      const url = imageUrl(`/${original}`, variantOptions(original, config, random), config);
      const key = keyOf(url, config);
      if (used.has(key)) continue;
      used.add(key);
      return { url, key };
    }
    throw new Error(`no fresh variant of ${original} left after 1000 draws`);
  };
}

/** One variant's query options: mostly a width, sometimes a height or a box, some styles, some formats. */
function variantOptions(original: string, config: EdgeConfig, random: () => number): ImageUrlOptions {
  const sizes = ladder(config);
  const side = pick(sizes, random);
  const shape = random();
  const options: ImageUrlOptions =
    shape < 0.6
      ? { width: side }
      : shape < 0.75
        ? { height: side }
        : shape < 0.85
          ? { width: side, height: pick(sizes, random), fit: 'cover' }
          : shape < 0.92
            ? {
                width: side,
                height: pick(sizes, random),
                fit: 'contain',
                background: pick(backgrounds(config), random),
              }
            : { width: side, height: pick(sizes, random) };
  const style = random();
  const styles: Style[] = style < 0.55 ? [] : style < 0.75 ? ['bw'] : style < 0.9 ? ['blur'] : ['bw', 'blur'];
  if (styles.length) options.style = styles;
  const source = sourceFormat(original);
  const format = random();
  const largest = Math.max(options.width ?? 0, options.height ?? 0);
  if (format < 0.25) options.format = 'webp';
  else if (format < 0.35 && largest <= AVIF_MAX_SIDE) options.format = 'avif';
  else if (format < 0.4) options.format = source === 'png' ? 'jpeg' : 'png';
  else if (source === 'jpeg' && format < 0.5) options.quality = pick([60, 90], random);
  return options;
}

function ladder(config: EdgeConfig): readonly number[] {
  if (config.sizes.mode !== 'ladder')
    throw new Error('the load plan asks for sizes on the ladder; this configuration has none');
  return config.sizes.steps;
}

function backgrounds(config: EdgeConfig): readonly string[] {
  const allowed =
    config.backgrounds === 'any' ? SOME_BACKGROUNDS : config.backgrounds.filter((colour) => colour !== 'ffffff');
  return allowed.length ? allowed : ['ffffff'];
}

/** The key the viewer-request rewrites a query URL to, with a desktop viewer's headers (no format hints). */
function keyOf(url: string, config: EdgeConfig): string {
  const [uri = '', querystring = ''] = url.split('?');
  const decision = decide({ uri, querystring, headers: {} }, config);
  if (decision.action !== 'rewrite')
    throw new Error(`the plan's URL ${url} is not rewritten to a variant key (${decision.action})`);
  return decision.uri;
}

/** A bad query is answered by the viewer-request itself: no key. Checked here so the 400 is really expected. */
function refusedKey(original: string, query: string, config: EdgeConfig): undefined {
  const decision = decide({ uri: `/${original}`, querystring: query, headers: {} }, config);
  if (decision.action !== 'reject') throw new Error(`the bad query ${query} is not refused (${decision.action})`);
  return undefined;
}

function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: count }, () => value);
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

/** Fisher-Yates with the seeded generator. */
function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same plan on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
