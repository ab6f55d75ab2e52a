/**
 * Build-time configuration.
 *
 * Lambda@Edge has no environment variables, so every setting is baked into the bundles when `npm run build`
 * runs: the user's `edge-resize.config.ts` (at the repository root) is merged over `DEFAULT_CONFIG` and validated
 * here, once. Handlers receive the resulting `EdgeConfig` and trust it.
 */

/** Which sizes a client may ask for. Every new size costs a function run and an S3 object. */
export type SizePolicy =
  /**
   * Round each requested dimension up to the next step of `steps`; anything above the last step becomes the
   * last step. A variant key whose size is not a step is refused.
   */
  | { mode: 'ladder'; steps: readonly number[] }
  /** Any whole number of pixels from 1 to `max`; anything above becomes `max`. */
  | { mode: 'exact'; max: number };

import {
  FITS,
  isIdentity,
  OUTPUT_FORMATS,
  POSITIONS,
  STYLES,
  type Fit,
  type OutputFormat,
  type Position,
  type SourceFormat,
  type Style,
  type VariantOptions,
} from './options';
import { allowListProblem, NEGOTIABLE_FORMATS, policyProblem, snapSize } from './policy';
import { behaviourPrefix } from './path-pattern';

/**
 * One variant to make ahead of the first viewer, as options (`{ width: 800 }`, `{ width: 400, format: 'webp' }`):
 * `styles` may be left out. Each is put into canonical form per original, so `format` equal to the original's own is
 * the plain variant.
 */
export type PregenerateOptions = Partial<VariantOptions>;

/** An exact output size, cropped to fill (`fit: cover`), asked for by name with `dimensions=`. */
export interface Preset {
  width: number;
  height: number;
}

/** See `EdgeConfig.workBudget`. */
export interface WorkBudget {
  /** Weighted megapixels one variant may cost. */
  megapixels: number;
  /**
   * Work up to this many weighted megapixels runs in the function's own process, bounded by the budget; more runs
   * in a child process killed at the deadline. The child costs a second load of sharp on its first use.
   */
  inProcessMegapixels: number;
  /** Weight of one decoded input pixel. */
  decodeCost: number;
  /** Weight of one encoded output pixel, per output format. */
  encodeCost: Readonly<Record<SourceFormat, number>>;
}

/** Automatic mobile variants: the width a device's plain URL is rewritten to, and its cap on explicit widths. */
export interface DeviceWidths {
  /** When false, devices are neither detected nor honoured (`device-type=` is still accepted and ignored). */
  enabled: boolean;
  mobile: number;
  tablet: number;
}

/**
 * One option set of `allowList`, as a variant key holds it: a field left out is its default (no fit is `inside`,
 * no style, the original's format, the format's default quality). See `allowList` for what else an entry allows.
 */
export interface AllowedVariant {
  width?: number;
  height?: number;
  fit?: Fit;
  position?: Position;
  background?: string;
  styles?: readonly Style[];
  format?: OutputFormat;
  quality?: number;
}

export interface EdgeConfig {
  /**
   * The cache behaviour's path pattern: `*` (the default behaviour) or `/prefix/*`. Under `/images/*`,
   * `/images/cat.jpg?width=400` becomes `/images/400w/default/cat.jpg`, so variants and their redirects stay
   * inside the behaviour and its bucket folder. `npm run deploy -- --param pathPattern=...` sets it for the build
   * when this file leaves it out; set it here too for `npm start` and the client's signed URLs.
   */
  pathPattern: string;
  /** Size policy applied to width and height alike. */
  sizes: SizePolicy;
  /**
   * The bucket holding originals and variants. `undefined` (the default) reads it from the event's
   * `request.origin.s3.domainName`, which is right for an S3 origin; set it for anything else.
   */
  bucket: string | undefined;
  /**
   * Refuse originals with more pixels than this (width x height x frames), read from the header before any
   * decode. sharp's own default is 268 MP; 50 MP covers today's phone cameras with room to spare.
   */
  maxInputPixels: number;
  /** Refuse originals larger than this many bytes (from S3's Content-Length, before downloading). */
  maxInputBytes: number;
  /** Animated GIF/WebP keep their animation up to this many frames; longer ones keep the first frame only. */
  maxFrames: number;
  /**
   * Encoder quality per lossy output format when the request names none, 1 to 100. AVIF's scale is lower than
   * JPEG's for the same look, hence its lower default (`npm run bench` compares them).
   */
  quality: { jpeg: number; webp: number; avif: number; tiff: number };
  /**
   * AVIF encoder effort, 0 (fastest) to 9 (smallest). Each step up costs encode time on every AVIF miss for a
   * few percent of bytes; `npm run bench` measures both.
   */
  avifEffort: number;
  /**
   * AVIF chroma resolution: `4:2:0` keeps colour at half the resolution in each direction, as the JPEG and WebP
   * outputs do, and encodes faster and smaller for photos; `4:4:4` keeps it whole, for fine coloured edges.
   */
  avifChromaSubsampling: '4:2:0' | '4:4:4';
  /**
   * Threads libvips may use for one image (sharp.concurrency). Match it to the vCPUs the origin-response's memory
   * buys (Lambda's documented memory-to-vCPU ratio): more threads than vCPUs only contend.
   */
  libvipsThreads: number;
  /** The qualities a request may name: `quality=` is snapped to the nearest of these. */
  qualitySteps: readonly number[];
  /** With `Save-Data: on` and no `quality=`, lossy outputs use this quality when it is below the default. */
  saveDataQuality: number;
  /**
   * Formats picked automatically for JPEG and PNG originals when the viewer's `Accept` lists them, in order
   * of preference. `[]` turns negotiation off. AVIF saves the most bytes and encodes slowest (paid once a miss).
   * GIF originals negotiate `webp` only (when listed), which keeps an animation moving.
   */
  autoFormats: readonly OutputFormat[];
  /** Named exact sizes for `dimensions=`; these sizes are allowed even off the ladder, with `cover` only. */
  presets: Readonly<Record<string, Preset>>;
  /** Widths for automatic mobile and tablet variants. */
  devices: DeviceWidths;
  /** Gaussian blur strength (sigma, pixels) of `style=blur`. */
  blurSigma: number;
  /**
   * Letterbox colours `fit=contain` may use, as 6 lower-case hex digits, or `'any'`. Each colour is another
   * variant of every box, so `'any'` lets a client mint 16.7 million variants per size; a list bounds that.
   */
  backgrounds: readonly string[] | 'any';
  /**
   * `Cache-Control` stored on every variant in S3 and sent with a generated variant. The default lets browsers keep
   * a variant a day (`max-age`) and CloudFront a year (`s-maxage`): the refresh function purges S3 and invalidates
   * CloudFront when an original changes, but cannot reach browsers, so a day bounds how long one shows the old
   * picture. `public, max-age=31536000, immutable` suits originals that never change in place (docs/lifecycle.md).
   */
  variantCacheControl: string;
  /**
   * Variants the refresh function makes as soon as an original is written (and `npm run warm` for a catalogue),
   * so the first viewer never waits: e.g. `[{ width: 400 }, { width: 800 }]`. Each must sit on the policy.
   */
  pregenerate: readonly PregenerateOptions[];
  /** `Cache-Control` on generated error answers (bad query, broken original), so a fix shows up soon. */
  errorCacheControl: string;
  /**
   * Ceiling for a generated origin response, base64 body plus headers. CloudFront's documented limit is 1 MB;
   * above it CloudFront answers 502. Larger outputs are stored and answered with a redirect to themselves.
   */
  maxGeneratedResponseBytes: number;
  /**
   * The most work one variant may cost, decided from the original's header before any pixel is decoded, so that
   * every accepted request finishes well inside `transformTimeoutSeconds` on one vCPU. Work is in megapixels
   * weighted by cost: each decoded input pixel (times frames) counts `decodeCost`, each output pixel (times
   * frames) its output format's `encodeCost`, JPEG being 1. The weights come from high-entropy images, the
   * slowest to encode (`npm run bench -- --only budget`); GIF's quantiser makes its budget by far the tightest.
   * An animation over budget keeps its first frame only; a still over budget is refused (422, cached briefly).
   */
  workBudget: WorkBudget;
  /**
   * Seconds one transform may take before it is stopped: the transform runs in a child process, killed at this
   * deadline (503, not cached). The origin trigger's own limit is 30 s.
   */
  transformTimeoutSeconds: number;
  /**
   * Milliseconds one S3 call (GET of the original, PUT of the variant, retries included) may take before it is
   * abandoned. Together with the transform budget it must stay well inside the origin trigger's 30 s.
   */
  s3DeadlineMs: number;
  /**
   * Whether S3's 403 for a variant key counts as a miss (generate it) as well as its 404. Default `false`: a 403
   * also means CloudFront may not read that key (a bucket policy scoped to some prefixes, a KMS key not granted,
   * a private behaviour), and generating then would hand out, resized, what the CDN itself refuses. With `false`,
   * grant CloudFront `s3:ListBucket` on the bucket so a missing key answers 404 (without it S3 answers 403 for
   * every missing key, and nothing is generated). `true` keeps the older behaviour for buckets where CloudFront
   * may read everything the function may read.
   */
  treat403AsMiss: boolean;
  /**
   * The option sets an unsigned URL may name, or `'any'` (everything the size, quality and colour policy allows).
   * Anything else is refused with a 400, so the variants per original are at most these. An entry without
   * `format` also allows what negotiation picks (the original's format, or one of `autoFormats` for JPEG and
   * PNG), and one without `quality` also allows the Save-Data quality. With `devices.enabled`, the device widths
   * must be listed (`{ width: 800 }`), or every phone's plain URL would be refused.
   */
  allowList: readonly AllowedVariant[] | 'any';
  /**
   * Secrets for signed URLs, newest first; `[]` (the default) turns signing off. A request with `s=`, the first
   * 22 characters of the base64url HMAC-SHA256 of its variant key under any of these, may name any option set
   * the policy allows; a request without is held to `allowList`, which must then be a list (`[]`: sign every
   * variant). More than one key lets a key be rotated: add the new one, re-sign, then remove the old. At least
   * 32 characters each (`openssl rand -base64 32`). Baked into the viewer-request bundle only, never the client.
   */
  signingKeys: readonly string[];
}

/**
 * The settings the viewer-request reads. Its bundle carries only these (scripts/build.mjs), since it must stay
 * tiny; the functions it runs take a `ViewerConfig`, so the type checker refuses a read of any other setting there.
 */
export const VIEWER_SETTINGS = [
  'pathPattern',
  'sizes',
  'quality',
  'qualitySteps',
  'saveDataQuality',
  'autoFormats',
  'presets',
  'devices',
  'backgrounds',
  'errorCacheControl',
  'allowList',
  'signingKeys',
] as const satisfies readonly (keyof EdgeConfig)[];

export type ViewerConfig = Pick<EdgeConfig, (typeof VIEWER_SETTINGS)[number]>;

/** The 2019 design's ladder: every requested size rounds up to one of these. */
export const DEFAULT_LADDER: readonly number[] = [64, 100, 200, 400, 600, 800, 1000, 1200, 1600, 2000];

export const DEFAULT_CONFIG: EdgeConfig = {
  pathPattern: '*',
  sizes: { mode: 'ladder', steps: DEFAULT_LADDER },
  bucket: undefined,
  maxInputPixels: 50_000_000,
  maxInputBytes: 50 * 1024 * 1024,
  maxFrames: 100,
  quality: { jpeg: 80, webp: 80, avif: 65, tiff: 80 },
  avifEffort: 2,
  avifChromaSubsampling: '4:2:0',
  libvipsThreads: 1,
  qualitySteps: [30, 40, 50, 60, 70, 80, 90, 100],
  saveDataQuality: 40,
  autoFormats: ['avif', 'webp'],
  presets: {
    'twitter-card': { width: 1200, height: 628 },
    'open-graph': { width: 1200, height: 630 },
    'square-thumbnail': { width: 200, height: 200 },
  },
  devices: { enabled: true, mobile: 800, tablet: 1200 },
  blurSigma: 8,
  backgrounds: ['ffffff', '000000', 'ff0000', '00ff00', '0000ff', 'f5f5f5', '808080'],
  variantCacheControl: 'public, max-age=86400, s-maxage=31536000',
  pregenerate: [],
  errorCacheControl: 'public, max-age=60',
  maxGeneratedResponseBytes: 1_000_000,
  workBudget: {
    megapixels: 100,
    inProcessMegapixels: 10,
    decodeCost: 0.5,
    encodeCost: { jpeg: 1, png: 3, webp: 6, avif: 15, gif: 90, tiff: 1 },
  },
  transformTimeoutSeconds: 8,
  s3DeadlineMs: 5000,
  treat403AsMiss: false,
  allowList: 'any',
  signingKeys: [],
};

/** What a user writes in `edge-resize.config.ts`: any subset of the settings. */
export type UserConfig = Partial<EdgeConfig>;

/** Identity helper so `edge-resize.config.ts` gets completion and type checks. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Merges `user` over the defaults and validates the result; throws at build time on a bad setting. */
export function resolveConfig(user: UserConfig = {}): EdgeConfig {
  const config: EdgeConfig = { ...DEFAULT_CONFIG, ...user };
  const pattern = typeof config.pathPattern === 'string' ? behaviourPrefix(config.pathPattern) : undefined;
  if (!pattern) throw new Error('config.pathPattern must be a string such as "*" or "/images/*"');
  if (!pattern.ok) throw new Error(`config.${pattern.reason}`);
  validateSizes(config.sizes);
  requireInteger('maxInputPixels', config.maxInputPixels, 1);
  requireInteger('maxInputBytes', config.maxInputBytes, 1);
  requireInteger('maxFrames', config.maxFrames, 1);
  for (const [format, quality] of Object.entries(config.quality)) requireInteger(`quality.${format}`, quality, 1, 100);
  requireInteger('avifEffort', config.avifEffort, 0, 9);
  if (config.avifChromaSubsampling !== '4:2:0' && config.avifChromaSubsampling !== '4:4:4') {
    throw new Error(`config.avifChromaSubsampling must be 4:2:0 or 4:4:4, got ${String(config.avifChromaSubsampling)}`);
  }
  requireInteger('libvipsThreads', config.libvipsThreads, 1, 6);
  requireIncreasing('qualitySteps', config.qualitySteps, 100);
  requireInteger('saveDataQuality', config.saveDataQuality, 1, 100);
  for (const format of config.autoFormats) {
    if (!(NEGOTIABLE_FORMATS as readonly string[]).includes(format)) {
      throw new Error(`config.autoFormats may hold ${NEGOTIABLE_FORMATS.join(' and ')}, got ${String(format)}`);
    }
  }
  for (const [name, preset] of Object.entries(config.presets)) {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) {
      throw new Error(`config.presets: "${name}" must be lower-case words joined by -`);
    }
    requireInteger(`presets.${name}.width`, preset.width, 1, HARD_MAX_DIMENSION);
    requireInteger(`presets.${name}.height`, preset.height, 1, HARD_MAX_DIMENSION);
  }
  requireInteger('devices.mobile', config.devices.mobile, 1, HARD_MAX_DIMENSION);
  requireInteger('devices.tablet', config.devices.tablet, 1, HARD_MAX_DIMENSION);
  if (!(config.blurSigma >= 0.3 && config.blurSigma <= 100)) {
    throw new Error('config.blurSigma must be from 0.3 to 100');
  }
  if (config.backgrounds !== 'any' && !config.backgrounds.every((c) => /^[0-9a-f]{6}$/.test(c))) {
    throw new Error('config.backgrounds must be "any" or a list of 6 lower-case hex digits');
  }
  config.pregenerate.forEach((options, i) => {
    const full = { ...options, styles: options.styles ?? [] };
    const problem = isIdentity(full) ? 'names no change from the original' : policyProblem(full, config);
    if (problem) throw new Error(`config.pregenerate[${i}]: ${problem}`);
  });
  requireInteger('maxGeneratedResponseBytes', config.maxGeneratedResponseBytes, 1024, 1_048_576);
  validateWorkBudget(config.workBudget);
  requireInteger('transformTimeoutSeconds', config.transformTimeoutSeconds, 1, 25);
  requireInteger('s3DeadlineMs', config.s3DeadlineMs, 100, 10_000);
  if (config.transformTimeoutSeconds * 1000 + 2 * config.s3DeadlineMs > 28_000) {
    const rule = 'plus two S3 deadlines must leave room inside the 30 s origin timeout';
    throw new Error(`config.transformTimeoutSeconds ${rule}`);
  }
  if (config.bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(config.bucket)) {
    throw new Error(`config.bucket "${config.bucket}" is not a valid S3 bucket name`);
  }
  if (typeof config.treat403AsMiss !== 'boolean') throw new Error('config.treat403AsMiss must be true or false');
  validateSigning(config);
  return config;
}

const ENCODED_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const satisfies readonly SourceFormat[];

function validateWorkBudget(budget: WorkBudget): void {
  const positive = (name: string, value: unknown) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`config.workBudget.${name} must be a number above 0, got ${String(value)}`);
    }
  };
  positive('megapixels', budget.megapixels);
  positive('decodeCost', budget.decodeCost);
  if (!(budget.inProcessMegapixels >= 0 && budget.inProcessMegapixels <= budget.megapixels)) {
    throw new Error('config.workBudget.inProcessMegapixels must be from 0 to workBudget.megapixels');
  }
  for (const format of ENCODED_FORMATS) positive(`encodeCost.${format}`, budget.encodeCost[format]);
}

/** Sizes above this are refused in any policy: far beyond any screen, and a cost attack's favourite. */
export const HARD_MAX_DIMENSION = 8192;

function validateSizes(sizes: SizePolicy): void {
  if (sizes.mode === 'exact') {
    requireInteger('sizes.max', sizes.max, 1, HARD_MAX_DIMENSION);
    return;
  }
  if (sizes.mode !== 'ladder' || sizes.steps.length === 0) {
    throw new Error('config.sizes must be { mode: "ladder", steps: [...] } or { mode: "exact", max }');
  }
  requireIncreasing('sizes.steps', sizes.steps, HARD_MAX_DIMENSION);
}

function requireIncreasing(name: string, steps: readonly number[], max: number): void {
  if (steps.length === 0) throw new Error(`config.${name} must not be empty`);
  steps.forEach((step, i) => {
    requireInteger(`${name}[${i}]`, step, 1, max);
    const previous = steps[i - 1];
    if (previous !== undefined && step <= previous) throw new Error(`config.${name} must be strictly increasing`);
  });
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`config.${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
}

function validateSigning(config: EdgeConfig): void {
  const { allowList, signingKeys } = config;
  signingKeys.forEach((key, i) => {
    if (typeof key !== 'string' || key.length < 32) {
      throw new Error(`config.signingKeys[${i}] must be 32 characters or more`);
    }
  });
  if (allowList === 'any') {
    if (signingKeys.length) {
      throw new Error('config.allowList must be a list when signingKeys are set ([]: sign every variant)');
    }
    return;
  }
  // A user's file is not type-checked by the build: anything but a list is refused here.
  if (!(allowList instanceof Array)) throw new Error('config.allowList must be "any" or a list of option sets');
  allowList.forEach((entry: AllowedVariant, i) => {
    const problem = allowedVariantProblem(entry, config);
    if (problem) throw new Error(`config.allowList[${i}] ${problem}`);
  });
  if (!config.devices.enabled) return;
  for (const device of ['mobile', 'tablet'] as const) {
    const width = snapSize(config.devices[device], config.sizes);
    if (allowListProblem({ width, styles: [] }, 'jpeg', config)) {
      throw new Error(`config.allowList must hold { width: ${width} } for ${device}s, or set devices.enabled to false`);
    }
  }
}

const ALLOWED_FIELDS: readonly string[] = [
  'width',
  'height',
  'fit',
  'position',
  'background',
  'styles',
  'format',
  'quality',
];

/** Why an allow-list entry could never be a variant under this configuration, or `undefined`. */
function allowedVariantProblem(entry: AllowedVariant, config: EdgeConfig): string | undefined {
  const unknown = Object.keys(entry).find((field) => !ALLOWED_FIELDS.includes(field));
  if (unknown) return `has no field "${unknown}"`;
  const { width, height, fit, position, background, styles = [], format } = entry;
  const both = width !== undefined && height !== undefined;
  if ((fit !== undefined && !(FITS as readonly string[]).includes(fit)) || (fit !== undefined && !both)) {
    return 'may set fit (cover, contain or fill) only with both width and height';
  }
  if (position !== undefined && (fit !== 'cover' || !(POSITIONS as readonly string[]).includes(position))) {
    return 'may set position (a compass point or attention) only with fit: cover';
  }
  if (background !== undefined && (fit !== 'contain' || !/^[0-9a-f]{6}$/.test(background))) {
    return 'may set background (6 lower-case hex digits) only with fit: contain';
  }
  if (!styles.every((style, i) => STYLES.indexOf(style) > (i ? STYLES.indexOf(styles[i - 1]!) : -1))) {
    return `must list styles from ${STYLES.join(', ')}, in that order, once each`;
  }
  if (format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    return `must name a format from ${OUTPUT_FORMATS.join(', ')}`;
  }
  const options = { ...entry, styles };
  if (isIdentity(options)) return 'names no option: it would be the original itself';
  return policyProblem(options, config);
}
