/**
 * The variant key grammar: the one formatter and the one parser of `/{prefix}{dims}/{style}/{rest}`.
 *
 *   prefix `''` for the `*` behaviour, `images/` for `/images/*` (`keyPrefix`, from `config.pathPattern`): the
 *          original `/{prefix}{rest}` and its variants stay inside the behaviour, its bucket folder and its grants
 *
 *   dims   `default`, or a box `{H}h{W}w` | `{H}h` | `{W}w` (height first, no leading zeros), then for a box
 *          with both sides an optional fit: `-cover[-{position}]`, `-contain[-{rrggbb}]` or `-fill`
 *   style  `default`, or `-`-joined tokens in this order: styles (`bw`, `blur`), an output format
 *          (`jpeg`, `png`, `webp`, `avif`) when it differs from the original's, a quality `q{N}` when it
 *          differs from the output format's default
 *   path   the original's path, folders included, in the one percent-encoding `canonicalPath` gives; never
 *          itself starting with a dims and a style segment (no variant of a variant, so the key space is finite)
 *
 * `/400h200w/bw/img.jpg` is greyscale, within 200 x 400, made from `/img.jpg`; `/630h1200w-cover/webp-q60/a.png`
 * is a 1200 x 630 centre crop of `/a.png` as WebP at quality 60; under `/images/*`, `/images/400w/default/cat.jpg` is
made from `/images/cat.jpg`. The key is both the CloudFront cache key and the
 * S3 key, so the viewer-request (writer) and the origin-response (reader) both call this module, and
 * `parseVariantKey(formatVariantKey(v, c), c)` returns `v` for every valid variant. Defaults are left out, in a fixed
 * order, so each output has exactly one key: a key that is not the canonical spelling is refused.
 */
import { canonicalize } from './canonical';
import type { ViewerConfig } from './config';
import { canonicalPath, hasImageExtension, MAX_URI_LENGTH, pathProblem } from './image-path';
import {
  FITS,
  isIdentity,
  OUTPUT_FORMATS,
  POSITIONS,
  sameOptions,
  sourceFormat,
  STYLES,
  type Fit,
  type OutputFormat,
  type Position,
  type Style,
  type VariantOptions,
} from './options';
import { policyProblem } from './policy';

export interface Variant {
  options: VariantOptions;
  /** The original's encoded path, without the leading slash, prefix included: `images/2019/img.jpg`. */
  path: string;
}

/** What the grammar reads of the configuration: the behaviour's path pattern, checked when the build resolved it. */
export type KeyConfig = Pick<ViewerConfig, 'pathPattern'>;

/**
 * The key prefix a path pattern implies, as an encoded path without the leading slash: `''` for `*` or `/*`,
 * `images/` for `/images/*` or `images/*`. resolveConfig refuses a pattern it cannot honour (shared/path-pattern.ts).
 */
export function keyPrefix({ pathPattern }: KeyConfig): string {
  if (pathPattern === '*' || pathPattern === '/*') return '';
  return (pathPattern.startsWith('/') ? pathPattern.slice(1) : pathPattern).slice(0, -1);
}

export type KeyParse =
  | { kind: 'variant'; variant: Variant }
  /** Not shaped like a variant key at all: an original, or anything else. */
  | { kind: 'not-variant' }
  /** Shaped like a variant key but breaking a rule (off the policy, not canonical, unsafe path): never generated. */
  | { kind: 'invalid'; reason: string };

const DEFAULT_SEGMENT = 'default';
const DIMS = /^(?:([1-9][0-9]{0,4})h)?(?:([1-9][0-9]{0,4})w)?(?:-([a-z]+)(?:-([0-9a-z]+))?)?$/;

/**
 * The canonical URI (leading slash included) of a variant. Its path must lie under the prefix
 * (`originalPathProblem` says so); a path outside it is a caller's mistake, thrown.
 */
export function formatVariantKey(variant: Variant, config: KeyConfig): string {
  const prefix = keyPrefix(config);
  const { options, path } = variant;
  if (!path.startsWith(prefix)) throw new RangeError(`${path} is outside the behaviour's prefix ${prefix}`);
  return `/${prefix}${formatDims(options)}/${formatStyle(options)}/${path.slice(prefix.length)}`;
}

/**
 * Reads a URI as a variant key. `not-variant` when it is outside the prefix, when the two segments after the
 * prefix are not a dims and a style, when both are `default`, or when the rest does not name an image; `invalid`
 * when it is a variant key that must not be generated (off the size or quality policy, not the canonical spelling,
 * an unsafe path, a path that is itself shaped like a key, too long).
 */
export function parseVariantKey(uri: string, config: ViewerConfig): KeyParse {
  const prefix = keyPrefix(config);
  // Where the dims segment starts: after `/` and the prefix.
  const start = prefix.length + 1;
  if (!mayStartDims(uri.charCodeAt(start)) || uri[0] !== '/' || !uri.startsWith(prefix, 1)) return NOT_VARIANT;
  const styleStart = uri.indexOf('/', start) + 1;
  const pathStart = styleStart > 0 ? uri.indexOf('/', styleStart) + 1 : 0;
  if (styleStart < start + 2 || pathStart <= styleStart + 1 || pathStart === uri.length) return NOT_VARIANT;
  const path = prefix + uri.slice(pathStart);
  const dims = parseDims(uri.slice(start, styleStart - 1));
  const style = dims && parseStyle(uri.slice(styleStart, pathStart - 1));
  if (!dims || !style || !hasImageExtension(path)) return NOT_VARIANT;
  const options: VariantOptions = {
    width: dims.width,
    height: dims.height,
    fit: dims.fit,
    position: dims.position,
    background: dims.background,
    styles: style.styles,
    format: style.format,
    quality: style.quality,
  };
  if (isIdentity(options)) return NOT_VARIANT;
  // In order: the policy, the path, the spelling of the options and of the path, the length.
  const reason =
    policyProblem(options, config) ??
    originalPathProblem(path, config) ??
    (sameOptions(canonicalize(options, sourceFormat(path), config), options) ? undefined : NOT_CANONICAL) ??
    (canonicalPath(path) === path ? undefined : NOT_CANONICAL) ??
    (uri.length > MAX_URI_LENGTH ? 'the URI is too long' : undefined);
  return reason ? { kind: 'invalid', reason } : { kind: 'variant', variant: { options, path } };
}

/**
 * Why an encoded path (no leading slash) cannot be the original of a variant, or `undefined`: `pathProblem`'s
 * rules, inside the prefix, and no variant of a variant. A path whose part after the prefix starts with a dims
 * and a style segment (`400w/default/x.jpg`, `default/default/x.jpg`) is shaped like a key, and a stored variant
 * lives at such a path: reading it as an original would let keys nest without end. An original stored at such a
 * path is still served as itself.
 */
export function originalPathProblem(path: string, config: KeyConfig): string | undefined {
  const prefix = keyPrefix(config);
  if (!path.startsWith(prefix)) return `the path is outside the behaviour's prefix ${prefix}`;
  return pathProblem(path) ?? (startsLikeKey(path.slice(prefix.length)) ? NESTED : undefined);
}

/** True when the path's first two segments read as a dims and a style segment, and more follows. */
function startsLikeKey(path: string): boolean {
  if (!mayStartDims(path.charCodeAt(0))) return false;
  const [dims = '', style = '', rest] = path.split('/', 3);
  return rest !== undefined && parseDims(dims) !== undefined && parseStyle(style) !== undefined;
}

/** A dims segment starts with 1-9 or is `default`: one character settles most URIs. */
function mayStartDims(code: number): boolean {
  return (code >= 0x31 && code <= 0x39) || code === 0x64;
}

const NESTED = 'a variant of a variant is never made';
const NOT_CANONICAL = 'the key is not in canonical form; ask with query options instead';
/** One object for every URI that is not a key (most of them), since nobody changes it. */
const NOT_VARIANT: KeyParse = { kind: 'not-variant' };

function formatDims({ width, height, fit, position, background }: VariantOptions): string {
  const box = (height === undefined ? '' : `${height}h`) + (width === undefined ? '' : `${width}w`);
  if (!box) return DEFAULT_SEGMENT;
  const modifier = position ?? background;
  return fit === undefined ? box : modifier === undefined ? `${box}-${fit}` : `${box}-${fit}-${modifier}`;
}

function formatStyle({ styles, format, quality }: VariantOptions): string {
  let segment = styles.join('-');
  if (format !== undefined) segment += segment ? `-${format}` : format;
  if (quality !== undefined) segment += segment ? `-q${quality}` : `q${quality}`;
  return segment || DEFAULT_SEGMENT;
}

type Dims = Pick<VariantOptions, 'width' | 'height' | 'fit' | 'position' | 'background'>;

function parseDims(segment: string): Dims | undefined {
  if (segment === DEFAULT_SEGMENT) return {};
  const [, height, width, fit, modifier] = DIMS.exec(segment) ?? [];
  if (height === undefined && width === undefined) return undefined;
  const dims: Dims = {};
  if (height !== undefined) dims.height = Number(height);
  if (width !== undefined) dims.width = Number(width);
  if (fit !== undefined) {
    if (!(FITS as readonly string[]).includes(fit)) return undefined;
    dims.fit = fit as Fit;
  }
  if (modifier !== undefined) {
    if (fit === 'cover' && (POSITIONS as readonly string[]).includes(modifier)) dims.position = modifier as Position;
    else if (fit === 'contain' && /^[0-9a-f]{6}$/.test(modifier)) dims.background = modifier;
    else return undefined;
  }
  return dims;
}

type StyleSegment = Pick<VariantOptions, 'styles' | 'format' | 'quality'>;

/**
 * The style segment with a `-` after every token: styles in `STYLES` order, then a format, then a quality, each
 * at most once, so `blur-bw` or `webp-bw` is not a key.
 */
const STYLE_SEGMENT = new RegExp(
  `^(${STYLES.map((style) => `(?:${style}-)?`).join('')})(?:(${OUTPUT_FORMATS.join('|')})-)?(?:q([1-9][0-9]{0,2})-)?$`,
);

function parseStyle(segment: string): StyleSegment | undefined {
  if (segment === DEFAULT_SEGMENT) return { styles: [] };
  const [, styles, format, quality] = STYLE_SEGMENT.exec(`${segment}-`) ?? [];
  if (styles === undefined || Number(quality) > 100) return undefined;
  return {
    styles: styles ? (styles.slice(0, -1).split('-') as Style[]) : [],
    format: format as OutputFormat | undefined,
    quality: quality === undefined ? undefined : Number(quality),
  };
}
