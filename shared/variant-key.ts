/**
 * The variant key grammar: the one formatter and the one parser of `/{dims}/{style}/{path}`.
 *
 *   dims   `{H}h{W}w` | `{H}h` | `{W}w` | `default`   (height first; positive integers without leading zeros)
 *   style  `bw` | `default`
 *   path   the original's path, folders included, percent-encoded exactly as the viewer sent it
 *
 * `/400h200w/bw/img.jpg` is greyscale, at most 200 wide and 400 high, made from `/img.jpg`. The key is both the
 * CloudFront cache key and the S3 key of the stored variant, so the viewer-request (writer) and the
 * origin-response (reader) must never disagree: both call this module, and `parseVariantKey(formatVariantKey(v))`
 * returns `v` for every valid variant.
 */
import type { SizePolicy } from './config';
import { hasImageExtension, MAX_URI_LENGTH, pathProblem } from './image-path';
import { isIdentity, STYLES, type Style, type VariantOptions } from './options';
import { isAllowedSize } from './size-policy';

export interface Variant {
  options: VariantOptions;
  /** The original's encoded path, without the leading slash: `photos/2019/img.jpg`. */
  path: string;
}

export type KeyParse =
  | { kind: 'variant'; variant: Variant }
  /** Not shaped like a variant key at all: an original, or anything else. */
  | { kind: 'not-variant' }
  /** Shaped like a variant key but breaking a rule (off the size policy, unsafe path): never generated. */
  | { kind: 'invalid'; reason: string };

const DEFAULT_SEGMENT = 'default';
const DIMS = /^(?:([1-9][0-9]{0,4})h)?(?:([1-9][0-9]{0,4})w)?$/;

/** The canonical URI (leading slash included) of a variant. */
export function formatVariantKey(variant: Variant): string {
  return `/${formatDims(variant.options)}/${formatStyle(variant.options.styles)}/${variant.path}`;
}

/**
 * Reads a URI as a variant key. `not-variant` when the first two segments are not a dims and a style, when both
 * are `default`, or when the rest does not name an image; `invalid` when it is a variant key that must not be
 * generated (a size off the policy, an unsafe path, too long).
 */
export function parseVariantKey(uri: string, sizes: SizePolicy): KeyParse {
  const match = /^\/([^/]+)\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return { kind: 'not-variant' };
  const [, dimsSegment, styleSegment, path] = match as unknown as [string, string, string, string];
  const dims = parseDims(dimsSegment);
  const styles = parseStyle(styleSegment);
  if (!dims || !styles || !hasImageExtension(path)) return { kind: 'not-variant' };
  const options: VariantOptions = { ...dims, styles };
  if (isIdentity(options)) return { kind: 'not-variant' };

  for (const [name, size] of [['width', options.width], ['height', options.height]] as const) {
    if (size !== undefined && !isAllowedSize(size, sizes)) {
      return { kind: 'invalid', reason: `${name} ${size} is not an allowed size` };
    }
  }
  const problem = pathProblem(path);
  if (problem) return { kind: 'invalid', reason: problem };
  if (uri.length > MAX_URI_LENGTH) return { kind: 'invalid', reason: 'the URI is too long' };
  return { kind: 'variant', variant: { options, path } };
}

function formatDims({ width, height }: VariantOptions): string {
  const dims = (height === undefined ? '' : `${height}h`) + (width === undefined ? '' : `${width}w`);
  return dims || DEFAULT_SEGMENT;
}

function formatStyle(styles: readonly Style[]): string {
  return styles.length === 0 ? DEFAULT_SEGMENT : styles.join('-');
}

function parseDims(segment: string): Pick<VariantOptions, 'width' | 'height'> | undefined {
  if (segment === DEFAULT_SEGMENT) return {};
  const match = DIMS.exec(segment);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  const dims: Pick<VariantOptions, 'width' | 'height'> = {};
  if (match[1] !== undefined) dims.height = Number(match[1]);
  if (match[2] !== undefined) dims.width = Number(match[2]);
  return dims;
}

/** Styles in their canonical order only: `blur-bw` is not a key, so one output never has two keys. */
function parseStyle(segment: string): Style[] | undefined {
  if (segment === DEFAULT_SEGMENT) return [];
  const styles = segment.split('-');
  const canonical = STYLES.filter((s) => styles.includes(s));
  return canonical.length === styles.length && canonical.join('-') === segment ? canonical : undefined;
}
