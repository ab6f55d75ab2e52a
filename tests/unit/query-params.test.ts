import { describe, expect, it } from 'vitest';
import { parseQueryParams } from '../../viewer-request/query-params';

const parse = parseQueryParams;

describe('parseQueryParams', () => {
  it.each([
    ['width=200&height=400&dpr=1.5', { width: 200, height: 400, dpr: 1.5 }],
    ['WIDTH=0400&Height=%34%30%30', { width: 400, height: 400 }],
    ['fit=Inside&position=center', { fit: 'inside', position: 'centre' }],
    ['fit=cover&position=NorthEast', { fit: 'cover', position: 'northeast' }],
    ['background=%23F00', { background: 'ff0000' }],
    ['background=00FF00', { background: '00ff00' }],
    ['style=blur,greyscale', { styles: ['bw', 'blur'] }],
    ['style=default', { styles: [] }],
    ['format=JPG', { format: 'jpeg' }],
    ['format=auto', { format: 'auto' }],
    ['quality=55', { quality: 55 }],
    ['dimensions=Twitter-Card', { dimensions: 'twitter-card' }],
    ['device-type=tablet', { device: 'tablet' }],
    ['utm_source=news&width=400&width=400', { width: 400 }],
    ['style=bw&style=grey%73cale', { styles: ['bw'] }],
  ])('%s reads as %j, validated but not folded', (qs, expected) => {
    const result = parse(qs);
    expect(result.kind).toBe('ok');
    const read =
      result.kind === 'ok'
        ? Object.fromEntries(Object.entries(result.requested).filter(([, v]) => v !== undefined))
        : {};
    expect(read).toEqual(expected);
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
