import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import type { VariantOptions } from '../../shared/options';
import { parseQueryOptions } from '../../viewer-request/query-fold';

const config = resolveConfig();
const parse = (qs: string) => parseQueryOptions(qs, 'img.jpg', config);
const options = (o: VariantOptions) => ({ kind: 'options', options: o, negotiated: false });

describe('parseQueryOptions', () => {
  it.each([
    ['width=200&height=400&style=bw', { width: 200, height: 400, styles: ['bw'] }],
    ['style=bw&height=400&width=200', { width: 200, height: 400, styles: ['bw'] }],
    ['width=400', { width: 400, styles: [] }],
    ['style=bw', { styles: ['bw'] }],
    ['style=greyscale', { styles: ['bw'] }],
    ['style=grayscale', { styles: ['bw'] }],
    ['style=GreyScale', { styles: ['bw'] }],
    ['WIDTH=400', { width: 400, styles: [] }],
    ['width=400&utm_source=news&fbclid=x', { width: 400, styles: [] }],
    ['width=400&width=400', { width: 400, styles: [] }],
    ['style=bw&style=grey%73cale', { styles: ['bw'] }],
    ['width=0400', { width: 400, styles: [] }],
    ['width=%34%30%30', { width: 400, styles: [] }],
    ['width=400&', { width: 400, styles: [] }],
  ])('%s gives %j', (qs, expected) => {
    expect(parse(qs)).toEqual(options(expected as VariantOptions));
  });

  it.each([
    ['width=1', 64], ['width=64', 64], ['width=65', 100], ['width=201', 400], ['width=1999', 2000],
    ['width=2001', 2000], ['width=99999', 2000], ['width=999999999999', 2000],
  ])('%s snaps up the ladder to %i', (qs, width) => {
    expect(parse(qs)).toEqual(options({ width, styles: [] }));
  });

  it('snaps onto the exact policy by capping only', () => {
    const exact = resolveConfig({ sizes: { mode: 'exact', max: 1500 } });
    expect(parseQueryOptions('width=333', 'a.jpg', exact)).toEqual(options({ width: 333, styles: [] }));
    expect(parseQueryOptions('width=4000', 'a.jpg', exact)).toEqual(options({ width: 1500, styles: [] }));
  });

  it.each(['', 'utm_source=news', 'style=default', 'foo=bar&baz', '&&', 'width%zz=3'])('%j has no option', (qs) => {
    expect(parse(qs)).toEqual({ kind: 'none' });
  });

  it.each([
    ['width=abc', 'width must be a whole number of pixels, got "abc"'],
    ['width=-200', 'width must be a whole number of pixels, got "-200"'],
    ['width=2e2', 'width must be a whole number of pixels, got "2e2"'],
    ['width=0x10', 'width must be a whole number of pixels, got "0x10"'],
    ['width=200.5', 'width must be a whole number of pixels, got "200.5"'],
    ['width=+200', 'width must be a whole number of pixels, got " 200"'],
    ['width=', 'width must be a whole number of pixels, got ""'],
    ['width', 'width must be a whole number of pixels, got ""'],
    ['height=Infinity', 'height must be a whole number of pixels, got "Infinity"'],
    ['width=0', 'width must be at least 1'],
    ['width=1234567890123', 'width must be a whole number of pixels, got "1234567890123"'],
    ['style=sepia', 'style must be bw, greyscale, grayscale, blur or default, got "sepia"'],
    ['style=constructor', 'style must be bw, greyscale, grayscale, blur or default, got "constructor"'],
    ['style=%0a', 'style must be bw, greyscale, grayscale, blur or default, got "?"'],
    ['width=200&width=400', 'width is given twice with different values'],
    ['style=bw&style=default', 'style is given twice with different values'],
    ['width=%E0%A4', 'width has broken percent-encoding'],
    ['width=%', 'width has broken percent-encoding'],
  ])('%s is refused: %s', (qs, reason) => {
    expect(parse(qs)).toEqual({ kind: 'invalid', reason });
  });

  it('clips a long echoed value so the reason stays one short line', () => {
    const result = parse(`style=${'x'.repeat(10_000)}`);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.reason.length).toBeLessThan(120);
  });
});
