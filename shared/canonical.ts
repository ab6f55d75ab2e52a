/**
 * Canonical options: every setting that would not change the output is dropped, so equivalent requests share
 * one key. Both the query folding (before formatting a key) and the key parser (to refuse non-canonical keys)
 * use it, which is what keeps one output from ever having two keys.
 */
import type { ViewerConfig } from './config';
import { DEFAULT_BACKGROUND, STYLES, takesQuality, type SourceFormat, type VariantOptions } from './options';

export function canonicalize(options: VariantOptions, source: SourceFormat, config: ViewerConfig): VariantOptions {
  const { width, height } = options;
  // A fit only matters for a box: with one side given, every fit keeps the aspect ratio alike.
  const fit = width !== undefined && height !== undefined ? options.fit : undefined;
  const format = options.format !== source ? options.format : undefined;
  const output = format ?? source;
  const quality =
    options.quality !== undefined && takesQuality(output) && options.quality !== config.quality[output]
      ? options.quality
      : undefined;
  // Every field, even when undefined, in one order.
  return {
    width,
    height,
    fit,
    position: fit === 'cover' ? options.position : undefined,
    background: fit === 'contain' && options.background !== DEFAULT_BACKGROUND ? options.background : undefined,
    styles: options.styles.length ? STYLES.filter((style) => options.styles.includes(style)) : options.styles,
    format,
    quality,
  };
}
