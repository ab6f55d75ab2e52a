/**
 * The typed options of a variant: what the viewer asked for, after validation, folding (aliases, dpr, presets,
 * device, format negotiation) and snapping onto the policy. Both the query folding (`viewer-request/query-fold.ts`)
 * and the key grammar (`variant-key.ts`) produce this type; everything downstream (the transform, the S3 writer)
 * trusts it. Every field is `undefined` (or empty) at its default, so equal outputs have equal options.
 */

/** Styles, applied in this fixed order whatever order the request named them in. */
export const STYLES = ['bw', 'blur'] as const;
export type Style = (typeof STYLES)[number];

/** How the image fills a `width` x `height` box (sharp's `fit`); only meaningful when both are given. */
export const FITS = ['cover', 'contain', 'fill'] as const;
/** `inside` (the default, not stored) keeps the aspect ratio within the box and never enlarges. */
export type Fit = (typeof FITS)[number];

/** Where `cover` crops from: the centre (default, not stored), a compass point, or sharp's smart crop. */
export const POSITIONS = [
  'north',
  'northeast',
  'east',
  'southeast',
  'south',
  'southwest',
  'west',
  'northwest',
  'attention',
] as const;
export type Position = (typeof POSITIONS)[number];

/** Output formats a request may ask for, or negotiation may pick. */
export const OUTPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Formats of originals, from their extension (what "the same format" means when no format is asked). */
export type SourceFormat = OutputFormat | 'gif' | 'tiff';

export interface VariantOptions {
  /** Output width in pixels, on the size policy. `undefined`: follow the height or the original. */
  width?: number;
  /** Output height in pixels, on the size policy. `undefined`: follow the width or the original. */
  height?: number;
  /** `undefined` is `inside`. Set only when both width and height are. */
  fit?: Fit;
  /** Crop anchor, set only with `fit: 'cover'`. `undefined` is the centre. */
  position?: Position;
  /** Letterbox colour as 6 lower-case hex digits, set only with `fit: 'contain'`. `undefined` is white. */
  background?: string;
  /** `bw`: greyscale; `blur`: a gaussian blur. In `STYLES` order, no repeats. */
  styles: readonly Style[];
  /** Output format when it differs from the original's. `undefined`: the original's own format. */
  format?: OutputFormat;
  /** Encoder quality when it differs from the output format's default; only for lossy outputs. */
  quality?: number;
}

/** The default letterbox colour for `contain`. */
export const DEFAULT_BACKGROUND = 'ffffff';

/** Every field but `styles`; the check below fails to compile when a field is added to VariantOptions and not here. */
export const SCALAR_FIELDS = ['width', 'height', 'fit', 'position', 'background', 'format', 'quality'] as const;
type Unlisted = Exclude<keyof VariantOptions, (typeof SCALAR_FIELDS)[number] | 'styles'>;
const everyFieldListed: [Unlisted] extends [never] ? true : never = true;
void everyFieldListed;

/** True when the options change nothing, i.e. the request is for the original itself. */
export function isIdentity(options: VariantOptions): boolean {
  // Field by field rather than a loop: it runs on every viewer request. tests/unit/options.test.ts holds it and
  // sameOptions to every field of SCALAR_FIELDS.
  return (
    options.styles.length === 0 &&
    options.width === undefined &&
    options.height === undefined &&
    options.fit === undefined &&
    options.position === undefined &&
    options.background === undefined &&
    options.format === undefined &&
    options.quality === undefined
  );
}

/**
 * Value equality, used to refuse keys not in canonical form, to tell harmless repeats from conflicting ones, and
 * in round-trip tests. Field by field: it runs on every viewer request, where allocating would show.
 */
export function sameOptions(a: VariantOptions, b: VariantOptions): boolean {
  if (a.styles.length !== b.styles.length || !a.styles.every((style, i) => style === b.styles[i])) return false;
  return SCALAR_FIELDS.every((field) => a[field] === b[field]);
}

/** The format of an original, from its path's extension (already checked to be an image extension). */
export function sourceFormat(path: string): SourceFormat {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'tif' || ext === 'tiff') return 'tiff';
  return ext as SourceFormat;
}

/** Lossy formats take a quality; PNG and GIF are lossless here and ignore it. */
export function takesQuality(format: SourceFormat): format is 'jpeg' | 'webp' | 'avif' | 'tiff' {
  return format === 'jpeg' || format === 'webp' || format === 'avif' || format === 'tiff';
}
