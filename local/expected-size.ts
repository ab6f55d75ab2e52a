/**
 * The pixel size a variant must have, worked out from its options and its original's size alone, so a stored
 * variant can be checked against its key without trusting the code that made it.
 *
 * `original` is the size as shown, after EXIF orientation (sharp's `metadata().autoOrient`): the transform
 * rotates before it resizes, so a portrait photo stored sideways is boxed as a portrait.
 */
import type { VariantOptions } from '../shared/options';

export interface PixelSize {
  width: number;
  height: number;
}

/** The sizes a side may have, both ends included. */
export interface SideRange {
  min: number;
  max: number;
}

export interface SizeExpectation {
  width: SideRange;
  height: SideRange;
}

/**
 * cover, contain and fill: exactly the box. inside (the default): never enlarged; otherwise the side that binds
 * is exactly the box's side and the other keeps the aspect ratio to within one pixel, the floor or the ceiling
 * of the exact proportion. The pixel of slack is not sloppiness: libjpeg's shrink-on-load rounds the reduced
 * decode (orient6.jpg, 428 px, decodes at 1/8 as 53 px), and libvips rounds the final scale half up, so the
 * same box can give 42 or 43 px for an exact 42.8, or 63 for an exact 62.5.
 */
export function expectedSize(
  options: Pick<VariantOptions, 'width' | 'height' | 'fit'>,
  original: PixelSize,
): SizeExpectation {
  const { width, height, fit } = options;
  if (fit !== undefined && width !== undefined && height !== undefined)
    return { width: exactly(width), height: exactly(height) };
  const widthShrink = width === undefined ? 0 : original.width / width;
  const heightShrink = height === undefined ? 0 : original.height / height;
  const shrink = Math.max(widthShrink, heightShrink);
  if (shrink <= 1) return { width: exactly(original.width), height: exactly(original.height) };
  return widthShrink >= heightShrink
    ? { width: exactly(width!), height: proportional(original.height / shrink, height) }
    : { width: proportional(original.width / shrink, width), height: exactly(height!) };
}

/** Why `actual` breaks `expected`, or `undefined` when it fits. */
export function sizeProblem(actual: PixelSize, expected: SizeExpectation): string | undefined {
  const fits = (value: number, range: SideRange) => value >= range.min && value <= range.max;
  if (fits(actual.width, expected.width) && fits(actual.height, expected.height)) return undefined;
  return `is ${actual.width}x${actual.height}, expected ${describe(expected.width)}x${describe(expected.height)}`;
}

function describe(range: SideRange): string {
  return range.min === range.max ? String(range.min) : `${range.min}..${range.max}`;
}

function exactly(side: number): SideRange {
  return { min: side, max: side };
}

/** The floor or the ceiling of the exact scaled side, at least 1 px and never past the box's own side. */
function proportional(exact: number, box: number | undefined): SideRange {
  const cap = box ?? Number.POSITIVE_INFINITY;
  return { min: Math.max(1, Math.min(Math.floor(exact), cap)), max: Math.max(1, Math.min(Math.ceil(exact), cap)) };
}
