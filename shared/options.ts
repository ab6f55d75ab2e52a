/**
 * The typed options of a variant: what the viewer asked for, after validation and snapping onto the size
 * policy. Both the query parser (`query-options.ts`) and the key grammar (`variant-key.ts`) produce this type;
 * everything downstream (the transform, the S3 writer) trusts it.
 */

/** Styles, applied in this fixed order whatever order the request named them in. */
export const STYLES = ['bw'] as const;
export type Style = (typeof STYLES)[number];

export interface VariantOptions {
  /** Maximum output width in pixels, already on the size policy. `undefined`: follow the height or the original. */
  width?: number;
  /** Maximum output height in pixels, already on the size policy. `undefined`: follow the width or the original. */
  height?: number;
  /** `bw`: greyscale. Sorted in `STYLES` order, no repeats. */
  styles: readonly Style[];
}

/** True when the options change nothing, i.e. the request is for the original itself. */
export function isIdentity(options: VariantOptions): boolean {
  return options.width === undefined && options.height === undefined && options.styles.length === 0;
}

/** Value equality, used to tell a harmless repeated option from a conflicting one and in round-trip tests. */
export function sameOptions(a: VariantOptions, b: VariantOptions): boolean {
  return a.width === b.width && a.height === b.height && a.styles.join() === b.styles.join();
}
