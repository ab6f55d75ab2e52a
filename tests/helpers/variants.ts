import fc from 'fast-check';
import { canonicalize } from '../../shared/canonical';
import type { EdgeConfig } from '../../shared/config';
import {
  FITS,
  isIdentity,
  OUTPUT_FORMATS,
  POSITIONS,
  sourceFormat,
  STYLES,
  type VariantOptions,
} from '../../shared/options';
import { canonicalPath } from '../../shared/image-path';
import { keyPrefix, originalPathProblem, type Variant } from '../../shared/variant-key';

/**
 * Random valid variants over every option: sizes on the policy (or a preset with cover), any fit, position,
 * background, styles, format and allowed quality, and paths of safe segments in the canonical encoding that do not
 * start like a key (after the configuration's prefix, which every path starts with); made canonical.
 */
export function variants(config: EdgeConfig): fc.Arbitrary<Variant> {
  const policy = config.sizes;
  const size = policy.mode === 'ladder' ? fc.constantFrom(...policy.steps) : fc.integer({ min: 1, max: policy.max });
  const segment = fc
    .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
    // eslint-disable-next-line no-control-regex -- control characters are what a safe segment leaves out
    .filter((s) => s !== '.' && s !== '..' && !/[/\\\u0000-\u001f\u007f]/.test(s))
    .map((s) => canonicalPath(encodeURIComponent(s)));
  const ext = fc.constantFrom('jpg', 'JPEG', 'png', 'webp', 'gif', 'avif', 'tif', 'tiff');
  const preset = fc.constantFrom(...Object.values(config.presets));
  return fc
    .record({
      width: fc.option(size, { nil: undefined }),
      height: fc.option(size, { nil: undefined }),
      preset: fc.option(preset, { nil: undefined }),
      fit: fc.option(fc.constantFrom(...FITS), { nil: undefined }),
      position: fc.option(fc.constantFrom(...POSITIONS), { nil: undefined }),
      background: fc.option(
        config.backgrounds === 'any' ? fc.stringMatching(/^[0-9a-f]{6}$/) : fc.constantFrom(...config.backgrounds),
        { nil: undefined },
      ),
      styles: fc.subarray([...STYLES]),
      format: fc.option(fc.constantFrom(...OUTPUT_FORMATS), { nil: undefined }),
      quality: fc.option(fc.constantFrom(...config.qualitySteps), { nil: undefined }),
      folders: fc.array(segment, { maxLength: 4 }),
      name: segment,
      ext,
    })
    .map((r) => {
      const path = keyPrefix(config) + [...r.folders, `${r.name}.${r.ext}`].join('/');
      const raw: VariantOptions = { styles: r.styles };
      for (const key of ['width', 'height', 'fit', 'position', 'background', 'format', 'quality'] as const) {
        if (r[key] !== undefined) (raw as unknown as Record<string, unknown>)[key] = r[key];
      }
      if (r.preset) Object.assign(raw, { width: r.preset.width, height: r.preset.height, fit: 'cover' });
      return { options: canonicalize(raw, sourceFormat(path), config), path };
    })
    .filter((v) => !isIdentity(v.options) && originalPathProblem(v.path, config) === undefined);
}
