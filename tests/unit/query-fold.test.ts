import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import type { VariantOptions } from '../../shared/options';
import { formatVariantKey } from '../../shared/variant-key';
import { parseQueryOptions, type ViewerHints } from '../../viewer-request/query-fold';

const config = resolveConfig();
const parse = (qs: string) => parseQueryOptions(qs, 'img.jpg', config);
const options = (o: VariantOptions) => ({ kind: 'options', options: o, negotiated: false });
const NONE: ViewerHints = { accepts: [], device: undefined, saveData: false };
const CHROME: ViewerHints = { ...NONE, accepts: ['avif', 'webp'] };

/** The canonical key a query gets for `path` and `hints`, or the parse result when there is none. */
function key(querystring: string, path = 'img.jpg', hints: ViewerHints = NONE, cfg = config): string {
  const result = parseQueryOptions(querystring, path, cfg, hints);
  if (result.kind !== 'options') return result.kind === 'invalid' ? `invalid: ${result.reason}` : 'none';
  return formatVariantKey({ options: result.options, path }, cfg);
}

describe('format', () => {
  it.each([
    ['width=400&format=webp', '/400w/webp/img.jpg'],
    ['width=400&format=AVIF', '/400w/avif/img.jpg'],
    ['width=400&format=png', '/400w/png/img.jpg'],
    ['width=400&format=jpg', '/400w/default/img.jpg'],
    ['width=400&format=jpeg', '/400w/default/img.jpg'],
    ['format=webp', '/default/webp/img.jpg'],
    ['format=jpeg', 'none'],
    ['format=auto', 'none'],
    ['format=gif', 'invalid: format must be one of jpeg, png, webp, avif, auto, got "gif"'],
    ['format=webp&format=avif', 'invalid: format is given twice with different values'],
  ])('%s → %s', (qs, expected) => {
    expect(key(qs)).toBe(expected);
  });

  it('negotiates AVIF, then WebP, for JPEG and PNG originals from Accept', () => {
    expect(key('width=400', 'img.jpg', CHROME)).toBe('/400w/avif/img.jpg');
    expect(key('width=400', 'img.png', { ...NONE, accepts: ['webp'] })).toBe('/400w/webp/img.png');
    expect(key('width=400', 'img.jpg', NONE)).toBe('/400w/default/img.jpg');
    expect(parseQueryOptions('width=400', 'img.jpg', config, CHROME)).toMatchObject({ negotiated: true });
  });

  it('negotiates WebP only for GIF originals, so an animation keeps moving', () => {
    expect(key('width=400', 'anim.gif', CHROME)).toBe('/400w/webp/anim.gif');
    expect(key('width=400', 'anim.gif', { ...NONE, accepts: ['avif'] })).toBe('/400w/default/anim.gif');
    expect(key('width=400', 'anim.gif', CHROME, resolveConfig({ autoFormats: ['avif'] }))).toBe(
      '/400w/default/anim.gif',
    );
    expect(parseQueryOptions('width=400', 'anim.gif', config, CHROME)).toMatchObject({ negotiated: true });
  });

  it('never negotiates for other originals, a plain URL, or an explicit format', () => {
    expect(key('width=400', 'img.tiff', CHROME)).toBe('/400w/default/img.tiff');
    expect(key('width=400', 'img.webp', CHROME)).toBe('/400w/default/img.webp');
    expect(key('', 'img.jpg', CHROME)).toBe('none');
    expect(key('utm_source=x', 'img.jpg', CHROME)).toBe('none');
    expect(key('width=400&format=jpeg', 'img.jpg', CHROME)).toBe('/400w/default/img.jpg');
    expect(key('width=400&format=webp', 'img.jpg', CHROME)).toBe('/400w/webp/img.jpg');
  });

  it('follows the configured formats, and none turns negotiation off', () => {
    const webpOnly = resolveConfig({ autoFormats: ['webp'] });
    expect(key('width=400', 'img.jpg', CHROME, webpOnly)).toBe('/400w/webp/img.jpg');
    const off = resolveConfig({ autoFormats: [] });
    expect(key('width=400', 'img.jpg', CHROME, off)).toBe('/400w/default/img.jpg');
  });
});

describe('quality', () => {
  it.each([
    ['width=400&quality=60', '/400w/q60/img.jpg'],
    ['width=400&quality=63', '/400w/q60/img.jpg'],
    ['width=400&quality=65', '/400w/q70/img.jpg'],
    ['width=400&quality=1', '/400w/q30/img.jpg'],
    ['width=400&quality=80', '/400w/default/img.jpg'],
    ['width=400&quality=78', '/400w/default/img.jpg'],
    ['quality=50', '/default/q50/img.jpg'],
    ['width=400&format=avif&quality=50', '/400w/avif-q50/img.jpg'],
    ['width=400&format=avif&quality=80', '/400w/avif-q80/img.jpg'],
    ['width=400&format=png&quality=50', '/400w/png/img.jpg'],
    ['width=400&quality=0', 'invalid: quality must be a whole number from 1 to 100, got "0"'],
    ['width=400&quality=101', 'invalid: quality must be a whole number from 1 to 100, got "101"'],
    ['width=400&quality=high', 'invalid: quality must be a whole number from 1 to 100, got "high"'],
  ])('%s → %s', (qs, expected) => {
    expect(key(qs)).toBe(expected);
  });

  it('is ignored for PNG and GIF originals kept in their format', () => {
    expect(key('width=400&quality=50', 'a.png')).toBe('/400w/default/a.png');
    expect(key('width=400&quality=50', 'a.gif')).toBe('/400w/default/a.gif');
    expect(key('quality=50', 'a.png')).toBe('none');
  });

  it('is lowered by Save-Data: on unless asked explicitly', () => {
    const saving: ViewerHints = { ...NONE, saveData: true };
    expect(key('width=400', 'img.jpg', saving)).toBe('/400w/q40/img.jpg');
    expect(key('width=400', 'img.jpg', { ...CHROME, saveData: true })).toBe('/400w/avif-q40/img.jpg');
    expect(key('width=400&quality=90', 'img.jpg', saving)).toBe('/400w/q90/img.jpg');
    expect(key('', 'img.jpg', saving)).toBe('none');
  });
});

describe('fit, position, background', () => {
  it.each([
    ['width=400&height=400&fit=cover', '/400h400w-cover/default/img.jpg'],
    ['width=400&height=400&fit=cover&position=northeast', '/400h400w-cover-northeast/default/img.jpg'],
    ['width=400&height=400&fit=cover&position=attention', '/400h400w-cover-attention/default/img.jpg'],
    ['width=400&height=400&fit=cover&position=center', '/400h400w-cover/default/img.jpg'],
    ['width=400&height=400&fit=cover&position=centre', '/400h400w-cover/default/img.jpg'],
    ['width=400&height=400&fit=contain', '/400h400w-contain/default/img.jpg'],
    ['width=400&height=400&fit=contain&background=FF0000', '/400h400w-contain-ff0000/default/img.jpg'],
    ['width=400&height=400&fit=contain&background=%23f00', '/400h400w-contain-ff0000/default/img.jpg'],
    ['width=400&height=400&fit=contain&background=ffffff', '/400h400w-contain/default/img.jpg'],
    ['width=400&height=400&fit=fill', '/400h400w-fill/default/img.jpg'],
    ['width=400&height=400&fit=inside', '/400h400w/default/img.jpg'],
    ['width=400&fit=cover', '/400w/default/img.jpg'],
    ['width=400&height=400&fit=contain&position=north', '/400h400w-contain/default/img.jpg'],
    ['width=400&height=400&fit=cover&background=ff0000', '/400h400w-cover/default/img.jpg'],
    ['width=400&height=400&fit=crop', 'invalid: fit must be one of inside, cover, contain, fill, got "crop"'],
    [
      'width=400&height=400&fit=cover&position=top',
      'invalid: position must be one of centre, north, northeast, …, attention, got "top"',
    ],
    [
      'width=400&height=400&fit=contain&background=red',
      'invalid: background must be 3 or 6 hex digits such as ff0000, got "red"',
    ],
    [
      'width=400&height=400&fit=contain&background=123456',
      'invalid: background must be one of ffffff, 000000, ff0000, 00ff00, 0000ff, f5f5f5, 808080',
    ],
  ])('%s → %s', (qs, expected) => {
    expect(key(qs)).toBe(expected);
  });

  it('takes any background colour when the configuration allows any', () => {
    const any = resolveConfig({ backgrounds: 'any' });
    expect(key('width=400&height=400&fit=contain&background=123456', 'img.jpg', NONE, any)).toBe(
      '/400h400w-contain-123456/default/img.jpg',
    );
  });
});

describe('dpr', () => {
  it('multiplies before the ladder, so retina requests share keys', () => {
    expect(key('width=200&dpr=2')).toBe(key('width=400'));
    expect(key('width=200&height=100&dpr=2')).toBe('/200h400w/default/img.jpg');
    expect(key('width=300&dpr=1.5')).toBe('/600w/default/img.jpg');
    expect(key('width=1000&dpr=3')).toBe('/2000w/default/img.jpg');
    expect(key('dpr=2')).toBe('none');
  });
  it.each(['0', '0.5', '4', '2x', '1.234', '-1', ''])('refuses dpr=%s', (value) => {
    expect(key(`width=200&dpr=${value}`)).toBe(`invalid: dpr must be from 1 to 3, got "${value}"`);
  });
});

describe('presets', () => {
  it.each([
    ['dimensions=twitter-card', '/628h1200w-cover/default/img.jpg'],
    ['dimensions=open-graph', '/630h1200w-cover/default/img.jpg'],
    ['dimensions=square-thumbnail&style=bw', '/200h200w-cover/bw/img.jpg'],
    ['dimensions=Twitter-Card&position=north', '/628h1200w-cover-north/default/img.jpg'],
    ['dimensions=twitter-card&fit=cover', '/628h1200w-cover/default/img.jpg'],
    ['dimensions=twitter-card&width=300', 'invalid: dimensions cannot be combined with width or height'],
    ['dimensions=twitter-card&fit=contain', 'invalid: dimensions always crops to fill (fit=cover)'],
    [
      'dimensions=poster',
      'invalid: dimensions must be one of twitter-card, open-graph, square-thumbnail, got "poster"',
    ],
    ['dimensions=__proto__', 'invalid: dimensions "__proto__" is not a preset name'],
    [
      'dimensions=constructor',
      'invalid: dimensions must be one of twitter-card, open-graph, square-thumbnail, got "constructor"',
    ],
  ])('%s → %s', (qs, expected) => {
    expect(key(qs)).toBe(expected);
  });

  it('uses the presets of the configuration', () => {
    const custom = resolveConfig({ presets: { banner: { width: 1500, height: 500 } } });
    expect(key('dimensions=banner', 'img.jpg', NONE, custom)).toBe('/500h1500w-cover/default/img.jpg');
  });
});

describe('styles', () => {
  it.each([
    ['style=blur', '/default/blur/img.jpg'],
    ['style=blur,bw', '/default/bw-blur/img.jpg'],
    ['style=bw,blur', '/default/bw-blur/img.jpg'],
    ['style=grayscale,blur,bw', '/default/bw-blur/img.jpg'],
    ['style=blur&width=400&format=webp&quality=50', '/400w/blur-webp-q50/img.jpg'],
    ['style=bw,sepia', 'invalid: style must be bw, greyscale, grayscale, blur or default, got "sepia"'],
    ['style=bw&style=blur', 'invalid: style is given twice with different values'],
  ])('%s → %s', (qs, expected) => {
    expect(key(qs)).toBe(expected);
  });
});

describe('devices', () => {
  const phone: ViewerHints = { ...NONE, device: 'mobile' };
  const tablet: ViewerHints = { ...NONE, device: 'tablet' };
  const desktop: ViewerHints = { ...NONE, device: 'desktop' };

  it('rewrites a phone or tablet plain URL to its width, and leaves a desktop one alone', () => {
    expect(key('', 'img.jpg', phone)).toBe('/800w/default/img.jpg');
    expect(key('', 'img.jpg', tablet)).toBe('/1200w/default/img.jpg');
    expect(key('', 'img.jpg', desktop)).toBe('none');
    expect(key('style=bw', 'img.jpg', phone)).toBe('/800w/bw/img.jpg');
    expect(key('', 'img.jpg', { ...phone, accepts: ['webp'] })).toBe('/800w/webp/img.jpg');
  });

  it('caps an explicit width for the device, and leaves explicit heights alone', () => {
    expect(key('width=2000', 'img.jpg', phone)).toBe('/800w/default/img.jpg');
    expect(key('width=300', 'img.jpg', phone)).toBe('/400w/default/img.jpg');
    expect(key('width=200&dpr=3', 'img.jpg', phone)).toBe('/600w/default/img.jpg');
    expect(key('height=400', 'img.jpg', phone)).toBe('/400h/default/img.jpg');
  });

  it('takes device-type over detection', () => {
    expect(key('device-type=mobile')).toBe('/800w/default/img.jpg');
    expect(key('device-type=desktop', 'img.jpg', phone)).toBe('none');
    expect(key('device-type=tablet&width=1600')).toBe('/1200w/default/img.jpg');
    expect(key('device-type=watch')).toBe('invalid: device-type must be one of mobile, tablet, desktop, got "watch"');
  });

  it('can be switched off', () => {
    const off = resolveConfig({ devices: { enabled: false, mobile: 800, tablet: 1200 } });
    expect(key('', 'img.jpg', phone, off)).toBe('none');
    expect(key('device-type=mobile', 'img.jpg', NONE, off)).toBe('none');
    expect(key('width=2000', 'img.jpg', phone, off)).toBe('/2000w/default/img.jpg');
  });
});

describe('the design card keys are unchanged', () => {
  it.each([
    ['width=200&height=400&style=bw', '/400h200w/bw/img.jpg'],
    ['width=400', '/400w/default/img.jpg'],
    ['style=bw', '/default/bw/img.jpg'],
  ])('%s → %s for a viewer that triggers no format change', (qs, expected) => {
    expect(key(qs, 'img.jpg', { ...NONE, device: 'desktop' })).toBe(expected);
  });
});

describe('equivalent requests share one key', () => {
  it('whatever the spelling', () => {
    const same: string[][] = [
      [
        'width=400',
        'WIDTH=350',
        'width=200&dpr=2',
        'width=400&format=jpeg',
        'width=400&quality=80',
        'width=400&fit=cover',
        'width=400&style=default',
      ],
      [
        'width=400&height=400&fit=cover',
        'height=400&width=400&fit=COVER&position=centre',
        'width=200&height=200&dpr=2&fit=cover',
      ],
      ['style=bw,blur', 'style=blur,greyscale', 'style=grayscale,blur,bw'],
    ];
    for (const group of same) expect(new Set(group.map((qs) => key(qs))).size).toBe(1);
  });

  it('and the options are typed values', () => {
    expect(parseQueryOptions('width=350', 'img.jpg', config)).toEqual(options({ width: 400, styles: [] }));
  });
});

describe('typed options', () => {
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
    ['width=1', 64],
    ['width=64', 64],
    ['width=65', 100],
    ['width=201', 400],
    ['width=1999', 2000],
    ['width=2001', 2000],
    ['width=99999', 2000],
    ['width=999999999999', 2000],
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
});

describe('a refused parameter', () => {
  it('is refused with the reason query-params gives', () => {
    expect(parse('width=abc')).toEqual({
      kind: 'invalid',
      reason: 'width must be a whole number of pixels, got "abc"',
    });
  });
});
