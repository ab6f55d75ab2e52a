/**
 * Canonical options: every setting that would not change the output is dropped, so equivalent requests share
 * one key. Both the query folding (before formatting a key) and the key parser (to refuse non-canonical keys)
 * use it, which is what keeps one output from ever having two keys.
 */
import type { EdgeConfig } from './config';
import { DEFAULT_BACKGROUND, STYLES, takesQuality, type SourceFormat, type VariantOptions } from './options';

export function canonicalize(options: VariantOptions, source: SourceFormat, config: EdgeConfig): VariantOptions {
  const result: VariantOptions = { styles: options.styles.length ? STYLES.filter((style) => options.styles.includes(style)) : options.styles };
  if (options.width !== undefined) result.width = options.width;
  if (options.height !== undefined) result.height = options.height;
  // A fit only matters for a box: with one side given, every fit keeps the aspect ratio alike.
  if (options.fit && result.width !== undefined && result.height !== undefined) {
    result.fit = options.fit;
    if (options.fit === 'cover' && options.position) result.position = options.position;
    if (options.fit === 'contain' && options.background && options.background !== DEFAULT_BACKGROUND) {
      result.background = options.background;
    }
  }
  if (options.format && options.format !== source) result.format = options.format;
  const output = result.format ?? source;
  if (options.quality !== undefined && takesQuality(output) && options.quality !== config.quality[output]) {
    result.quality = options.quality;
  }
  return result;
}
