import { describe, expect, it } from 'vitest';
import {
  isIdentity,
  SCALAR_FIELDS,
  sameOptions,
  sourceFormat,
  takesQuality,
  type VariantOptions,
} from '../../shared/options';

describe('isIdentity and sameOptions', () => {
  // Both compare field by field for speed; this holds them to every field the options have.
  const identity: VariantOptions = {
    width: undefined,
    height: undefined,
    fit: undefined,
    position: undefined,
    background: undefined,
    styles: [],
    format: undefined,
    quality: undefined,
  };
  const values: Record<(typeof SCALAR_FIELDS)[number], unknown> = {
    width: 400,
    height: 300,
    fit: 'cover',
    position: 'north',
    background: '000000',
    format: 'webp',
    quality: 50,
  };

  it.each(SCALAR_FIELDS)('a set %s is no identity, and differs from the identity', (field) => {
    const options = { ...identity, [field]: values[field] };
    expect(isIdentity(options)).toBe(false);
    expect(sameOptions(options, identity)).toBe(false);
    expect(sameOptions(identity, options)).toBe(false);
    expect(sameOptions(options, { ...options })).toBe(true);
  });

  it('styles count too', () => {
    expect(isIdentity(identity)).toBe(true);
    expect(isIdentity({ ...identity, styles: ['bw'] })).toBe(false);
    expect(sameOptions({ ...identity, styles: ['bw'] }, { ...identity, styles: ['blur'] })).toBe(false);
    expect(sameOptions({ ...identity, styles: ['bw', 'blur'] }, { ...identity, styles: ['bw', 'blur'] })).toBe(true);
  });
});

describe('sourceFormat and takesQuality', () => {
  it.each([
    ['a.jpg', 'jpeg'],
    ['a.JPEG', 'jpeg'],
    ['a/b.png', 'png'],
    ['x.tif', 'tiff'],
    ['x.TIFF', 'tiff'],
    ['y.webp', 'webp'],
    ['z.gif', 'gif'],
    ['z.avif', 'avif'],
  ])('%s is %s', (path, format) => {
    expect(sourceFormat(path)).toBe(format);
  });

  it('only lossy formats take a quality', () => {
    expect((['jpeg', 'webp', 'avif', 'tiff', 'png', 'gif'] as const).filter(takesQuality)).toEqual([
      'jpeg',
      'webp',
      'avif',
      'tiff',
    ]);
  });
});
