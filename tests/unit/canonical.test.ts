import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical';
import { resolveConfig } from '../../shared/config';
import { DEFAULT_BACKGROUND, type VariantOptions } from '../../shared/options';

const config = resolveConfig();
const o = (options: Partial<VariantOptions>): VariantOptions => ({ styles: [], ...options });
/** Only the fields that are set, so expectations need not spell the undefined ones. */
const set = (options: VariantOptions) => Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));

describe('canonicalize', () => {
  it('drops a fit without a box, and a position or background its fit does not use', () => {
    expect(set(canonicalize(o({ width: 400, fit: 'cover', position: 'north' }), 'jpeg', config))).toEqual({
      width: 400,
      styles: [],
    });
    expect(
      set(canonicalize(o({ width: 400, height: 400, fit: 'contain', position: 'north' }), 'jpeg', config)),
    ).toEqual({ width: 400, height: 400, fit: 'contain', styles: [] });
    expect(
      set(canonicalize(o({ width: 400, height: 400, fit: 'cover', background: '000000' }), 'jpeg', config)),
    ).toEqual({ width: 400, height: 400, fit: 'cover', styles: [] });
    expect(
      set(canonicalize(o({ width: 400, height: 400, fit: 'contain', background: DEFAULT_BACKGROUND }), 'jpeg', config)),
    ).toEqual({ width: 400, height: 400, fit: 'contain', styles: [] });
  });

  it("drops the original's own format, and a quality that is the default or that the output ignores", () => {
    expect(set(canonicalize(o({ format: 'jpeg', quality: config.quality.jpeg }), 'jpeg', config))).toEqual({
      styles: [],
    });
    expect(set(canonicalize(o({ format: 'webp', quality: config.quality.webp }), 'jpeg', config))).toEqual({
      format: 'webp',
      styles: [],
    });
    expect(set(canonicalize(o({ quality: 50 }), 'png', config))).toEqual({ styles: [] });
    const other = config.qualitySteps.find((q) => q !== config.quality.avif);
    expect(set(canonicalize(o({ format: 'avif', quality: other }), 'png', config))).toEqual({
      format: 'avif',
      quality: other,
      styles: [],
    });
  });

  it('orders styles as STYLES does, and is idempotent', () => {
    const once = canonicalize(o({ styles: ['blur', 'bw'], width: 400 }), 'jpeg', config);
    expect(once.styles).toEqual(['bw', 'blur']);
    expect(canonicalize(once, 'jpeg', config)).toEqual(once);
  });
});
