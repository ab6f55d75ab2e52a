/**
 * How many distinct variant keys the key grammar (shared/variant-key.ts) and a configuration accept for one
 * original, per original format, built from the grammar's parts and the policy: every key is a dims segment times
 * a style segment, less the one spelling of the original itself. tests/unit/key-space.test.ts holds the result to
 * a brute-force count of the keys `parseVariantKey` accepts, so the two cannot drift apart. Tooling only: no
 * function bundle imports it.
 */
import { canonicalize } from '../shared/canonical';
import type { EdgeConfig, SizePolicy } from '../shared/config';
import {
  DEFAULT_BACKGROUND,
  FITS,
  isIdentity,
  OUTPUT_FORMATS,
  POSITIONS,
  STYLES,
  takesQuality,
  type Fit,
  type SourceFormat,
} from '../shared/options';
import { nearestStep, negotiableFormats } from '../shared/policy';
import { alignColumns } from './text-table';

export type KeySpaceConfig = Pick<EdgeConfig, 'sizes' | 'presets' | 'backgrounds' | 'qualitySteps' | 'quality'>;

/** The original formats, by the extension that names them, in the order reports list them. */
export const SOURCE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const satisfies readonly SourceFormat[];

export interface DimsCount {
  /** Allowed sizes on one side. */
  sizes: number;
  /** Spellings of a two-sided box: `inside` plus each fit with its positions or backgrounds. */
  perBox: number;
  /** Preset boxes off the size policy, each with the `cover` positions only. */
  presetBoxes: number;
  /** `default` + width only + height only + two-sided boxes + preset boxes. */
  total: number;
}

export interface KeySpace {
  format: SourceFormat;
  dims: DimsCount;
  /** Subsets of the styles. */
  styles: number;
  /** Output format and quality pairs: the original's own format first. */
  outputs: number;
  /** dims x styles x outputs, less `default/default` (the original itself, never a key). */
  keys: number;
}

/** Keys per original for each original format. */
export function keySpace(config: KeySpaceConfig): KeySpace[] {
  const dims = dimsCount(config);
  const styles = 2 ** STYLES.length;
  return SOURCE_FORMATS.map((format) => {
    const outputs = outputCount(format, config);
    return { format, dims, styles, outputs, keys: dims.total * styles * outputs - 1 };
  });
}

export function dimsCount(config: KeySpaceConfig): DimsCount {
  const sizes = config.sizes.mode === 'ladder' ? new Set(config.sizes.steps).size : config.sizes.max;
  const perBox = 1 + FITS.reduce((sum, fit) => sum + fitSpellings(fit, config), 0);
  // A preset's exact size is a key only with `cover`; one whose sides are both allowed is already a box above.
  const offPolicy = new Set(
    Object.values(config.presets)
      .filter((p) => !allowedSize(p.width, config.sizes) || !allowedSize(p.height, config.sizes))
      .map((p) => `${p.height}h${p.width}w`),
  );
  const presetBoxes = offPolicy.size;
  const total = 1 + 2 * sizes + sizes * sizes * perBox + presetBoxes * fitSpellings('cover', config);
  return { sizes, perBox, presetBoxes, total };
}

/** Spellings of one fit for a box: its default modifier plus each other allowed one. */
function fitSpellings(fit: Fit, config: KeySpaceConfig): number {
  switch (fit) {
    case 'cover':
      return 1 + POSITIONS.length;
    case 'contain':
      return 1 + backgroundsBesidesDefault(config);
    case 'fill':
      return 1;
  }
}

function backgroundsBesidesDefault(config: KeySpaceConfig): number {
  if (config.backgrounds === 'any') return 16 ** 6 - 1;
  return new Set(config.backgrounds.filter((colour) => colour !== DEFAULT_BACKGROUND)).size;
}

/** Output format and quality pairs for an original: its own format, or any other output format. */
export function outputCount(source: SourceFormat, config: KeySpaceConfig): number {
  const outputs = new Set<SourceFormat>([source, ...OUTPUT_FORMATS]);
  let count = 0;
  for (const output of outputs) {
    // The format's default quality has no `q` token; every other allowed step has one.
    count += takesQuality(output) ? 1 + config.qualitySteps.filter((q) => q !== config.quality[output]).length : 1;
  }
  return count;
}

function allowedSize(size: number, sizes: SizePolicy): boolean {
  if (sizes.mode === 'ladder') return sizes.steps.includes(size);
  return Number.isInteger(size) && size >= 1 && size <= sizes.max;
}

/** Format names as SECURITY.md's table writes them. */
const FORMAT_NAMES: Readonly<Record<SourceFormat, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  avif: 'AVIF',
  gif: 'GIF',
  tiff: 'TIFF',
};

/** The Markdown table of keys per original, as SECURITY.md holds it for the default configuration. */
export function keySpaceTable(config: KeySpaceConfig): string {
  const rows = keySpace(config).map((k) => {
    const cells = [FORMAT_NAMES[k.format], thousands(k.dims.total), k.styles, k.outputs, `**${thousands(k.keys)}**`];
    return `| ${cells.join(' | ')} |`;
  });
  const header = '| original | dims spellings | style sets | format × quality | keys per original |';
  return [header, '|---|---|---|---|---|', ...rows].join('\n');
}

/**
 * Keys an unsigned URL may name per original under a list `allowList` (`undefined` for `'any'`): each entry in
 * canonical form, with every format negotiation may pick and the Save-Data quality where the entry leaves those to
 * the viewer's headers. Signed URLs may still name any key the grammar accepts.
 */
export function allowListKeys(source: SourceFormat, config: EdgeConfig): number | undefined {
  if (config.allowList === 'any') return undefined;
  const saveData = nearestStep(config.saveDataQuality, config.qualitySteps);
  const keys = new Set<string>();
  for (const entry of config.allowList) {
    const formats = entry.format === undefined ? [undefined, ...negotiableFormats(source, config)] : [entry.format];
    for (const format of formats) {
      const output = format ?? source;
      const lower = takesQuality(output) && saveData < config.quality[output];
      const qualities = entry.quality === undefined ? (lower ? [undefined, saveData] : [undefined]) : [entry.quality];
      for (const quality of qualities) {
        const options = canonicalize({ ...entry, styles: entry.styles ?? [], format, quality }, source, config);
        if (!isIdentity(options)) keys.add(JSON.stringify(options));
      }
    }
  }
  return keys.size;
}

/** The allow-list's keys per original format, for a config whose `allowList` is a list. */
export function allowListTable(config: EdgeConfig): string {
  const rows = SOURCE_FORMATS.map((format) => `| ${FORMAT_NAMES[format]} | ${allowListKeys(format, config) ?? '-'} |`);
  return ['| original | keys an unsigned URL may name |', '|---|---|', ...rows].join('\n');
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** List prices (us-east-1) the cost estimate uses. */
export const PRICES = {
  lambdaEdgePerMillionRequests: 0.6,
  lambdaEdgePerGbSecond: 0.00005001,
  s3PutPerThousand: 0.005,
  s3StoragePerGbMonth: 0.023,
} as const;

export interface CostAssumptions {
  /** The origin-response's memory (serverless.yml). */
  originMemoryMb: number;
  /** Seconds one miss runs the origin-response. */
  secondsPerMiss: number;
  /** The viewer-request's memory (serverless.yml) and seconds per request. */
  viewerMemoryMb: number;
  viewerSecondsPerRequest: number;
  /** Average size of a stored variant, in KB (1,000 bytes). */
  averageVariantKb: number;
}

export interface Cost {
  requests: number;
  originDuration: number;
  viewerDuration: number;
  puts: number;
  storagePerMonth: number;
  /** Everything but storage, which recurs every month. */
  once: number;
}

/** What `keys` distinct variant keys cost when each is a miss: two function runs, one PUT, the stored bytes. */
export function costOf(keys: number, a: CostAssumptions): Cost {
  const requests = ((2 * keys) / 1e6) * PRICES.lambdaEdgePerMillionRequests;
  const originDuration = keys * (a.originMemoryMb / 1024) * a.secondsPerMiss * PRICES.lambdaEdgePerGbSecond;
  const viewerDuration = keys * (a.viewerMemoryMb / 1024) * a.viewerSecondsPerRequest * PRICES.lambdaEdgePerGbSecond;
  const puts = (keys / 1000) * PRICES.s3PutPerThousand;
  const storagePerMonth = ((keys * a.averageVariantKb * 1000) / 1024 ** 3) * PRICES.s3StoragePerGbMonth;
  const once = requests + originDuration + viewerDuration + puts;
  return { requests, originDuration, viewerDuration, puts, storagePerMonth, once };
}

/** `memorySize` and `timeout` of each function in serverless.yml (a plain reading of its `functions:` block). */
export function functionSettings(serverlessYml: string): Record<string, { memorySize?: number; timeout?: number }> {
  const settings: Record<string, { memorySize?: number; timeout?: number }> = {};
  const block = serverlessYml.split(/^functions:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  let current: { memorySize?: number; timeout?: number } | undefined;
  for (const line of block.split('\n')) {
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)?.[1];
    if (name) settings[name] = current = {};
    const setting = /^ {4}(memorySize|timeout):\s*(\d+)\s*$/.exec(line);
    if (setting && current) current[setting[1] as 'memorySize' | 'timeout'] = Number(setting[2]);
  }
  return settings;
}

export interface ReportOptions {
  /** Seconds one miss runs; default: the deadlines' sum within the origin-response's timeout, the worst case. */
  secondsPerMiss?: number;
  averageVariantKb?: number;
  viewerSecondsPerRequest?: number;
}

/** The default average stored variant and viewer-request run, stated in the report. */
export const DEFAULT_VARIANT_KB = 100;
export const DEFAULT_VIEWER_SECONDS = 0.005;
const MILLION = 1_000_000;

/** `npm run keyspace`'s text: keys per original for `config`, then the cost of a million distinct keys. */
/**
 * The longest a miss can run: the transform's deadline plus one S3 deadline for each call (GET of the original,
 * PUT of the variant, HEAD of the original after it), within the function's timeout.
 */
export function worstSecondsPerMiss(
  config: Pick<EdgeConfig, 'transformTimeoutSeconds' | 's3DeadlineMs'>,
  timeout: number,
): number {
  return Math.min(timeout, config.transformTimeoutSeconds + (3 * config.s3DeadlineMs) / 1000);
}

export function keySpaceReport(config: EdgeConfig, serverlessYml: string, options: ReportOptions = {}): string {
  const functions = functionSettings(serverlessYml);
  const origin = functions.originResponse ?? {};
  const viewer = functions.viewerRequest ?? {};
  if (!origin.memorySize || !origin.timeout || !viewer.memorySize) {
    throw new Error('serverless.yml must give memorySize and timeout for originResponse, memorySize for viewerRequest');
  }
  const assumptions: CostAssumptions = {
    originMemoryMb: origin.memorySize,
    secondsPerMiss: options.secondsPerMiss ?? worstSecondsPerMiss(config, origin.timeout),
    viewerMemoryMb: viewer.memorySize,
    viewerSecondsPerRequest: options.viewerSecondsPerRequest ?? DEFAULT_VIEWER_SECONDS,
    averageVariantKb: options.averageVariantKb ?? DEFAULT_VARIANT_KB,
  };
  const cost = costOf(MILLION, assumptions);
  const worst =
    options.secondsPerMiss === undefined ? ' (the transform deadline and three S3 deadlines: the worst case)' : '';
  return [
    'Distinct variant keys per original under edge-resize.config.ts:',
    '',
    keySpaceTable(config),
    '',
    ...(config.allowList === 'any'
      ? ['allowList is "any": an unsigned URL may name any of them.']
      : [`With allowList${config.signingKeys.length ? ' (signed URLs excepted)' : ''}:`, '', allowListTable(config)]),
    '',
    `What ${thousands(MILLION)} distinct keys cost when each is a miss (us-east-1 list prices):`,
    `  origin-response at ${assumptions.originMemoryMb} MB for ${assumptions.secondsPerMiss} s a miss${worst};`,
    `  viewer-request at ${assumptions.viewerMemoryMb} MB for ${assumptions.viewerSecondsPerRequest} s;`,
    `  ${assumptions.averageVariantKb} KB a stored variant on average.`,
    '',
    alignColumns([
      ['Lambda@Edge requests, 2 a key ($0.60 per million)', dollars(cost.requests)],
      ['origin-response duration ($0.00005001 per GB-second)', dollars(cost.originDuration)],
      ['viewer-request duration', dollars(cost.viewerDuration)],
      ['S3 PUT ($0.005 per 1,000)', dollars(cost.puts)],
      ['total, once', dollars(cost.once)],
      ['S3 storage ($0.023 per GB-month), every month', dollars(cost.storagePerMonth)],
    ]),
    '',
    'Options: --seconds-per-miss=N, --variant-kb=N, --viewer-seconds=N.',
  ].join('\n');
}

function dollars(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
