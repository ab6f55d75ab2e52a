import { describe, expect, it } from 'vitest';
import { headers } from '../../shared/cloudfront';
import { resolveConfig } from '../../shared/config';
import { acceptedFormats, detectDevice, viewerHints } from '../../viewer-request/viewer-hints';

// Real User-Agent strings of current browsers.
const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile ' +
    'Safari/537.36',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  ipad:
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 ' +
    'Mobile/15E148 Safari/604.1',
  mac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 ' +
    'Safari/605.1.15',
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  firefoxAndroid: 'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0',
};

describe('detectDevice', () => {
  it.each([
    ['iphone', 'mobile'],
    ['android', 'mobile'],
    ['firefoxAndroid', 'mobile'],
    ['androidTablet', 'tablet'],
    ['ipad', 'tablet'],
    ['mac', 'desktop'],
    ['windows', 'desktop'],
  ] as const)('%s is a %s', (agent, device) => {
    expect(detectDevice(headers({ 'User-Agent': UA[agent] }))).toBe(device);
  });

  it('trusts Sec-CH-UA-Mobile: ?1, and a missing User-Agent is a desktop', () => {
    expect(detectDevice(headers({ 'User-Agent': UA.windows, 'Sec-CH-UA-Mobile': '?1' }))).toBe('mobile');
    expect(detectDevice(headers({}))).toBe('desktop');
  });
});

describe('acceptedFormats', () => {
  it.each([
    ['image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', ['avif', 'webp']],
    ['image/webp,*/*', ['webp']],
    ['*/*', []],
    ['image/*', []],
    ['image/avif;q=0, image/webp;q=0.5', ['webp']],
    ['IMAGE/AVIF', ['avif']],
    ['image/webp,image/avif', ['avif', 'webp']],
    ['image/avifs,image/webpx', []],
    ['text/html, image/webp ; q=0.000', []],
    ['image/avif;q=0.01,image/webp;level=1;Q=0', ['avif']],
    [undefined, []],
  ] as const)('%s names %j', (accept, formats) => {
    expect(acceptedFormats(accept)).toEqual(formats);
  });
});

describe('viewerHints', () => {
  it('reads Save-Data, and skips what the configuration turns off', () => {
    const h = headers({ Accept: 'image/avif', 'User-Agent': UA.iphone, 'Save-Data': 'on' });
    // The hints are read lazily (accepts is a getter), so compare what they say, not the object.
    const said = (hints: ReturnType<typeof viewerHints>) => ({
      accepts: hints.accepts,
      device: hints.device,
      saveData: hints.saveData,
    });
    expect(said(viewerHints(h, resolveConfig()))).toEqual({ accepts: ['avif'], device: 'mobile', saveData: true });
    const off = resolveConfig({ autoFormats: [], devices: { enabled: false, mobile: 800, tablet: 1200 } });
    expect(said(viewerHints(h, off))).toEqual({ accepts: [], device: undefined, saveData: true });
  });
});

describe('remembered Accept values', () => {
  const config = resolveConfig();
  const accepts = (accept: string) => viewerHints(headers({ Accept: accept }), config).accepts;

  it('answers every value as the regexes do, through repeats and past the bound that empties the memory', () => {
    // 100 distinct values, each asked three times in a shuffled order: more than the 32 remembered at once.
    const values = Array.from(
      { length: 100 },
      (_, i) => ['image/avif,image/webp,*/*', 'image/webp,*/*', 'image/avif;q=0,image/webp', '*/*'][i % 4] + `;v=${i}`,
    );
    const order = [...values, ...values.slice().reverse(), ...values.filter((_, i) => i % 3 === 0), ...values];
    for (const value of order) expect(accepts(value)).toEqual(acceptedFormats(value));
    expect(accepts(values[2]!)).toEqual(['webp']);
    expect(accepts(values[3]!)).toEqual([]);
  });

  it('answers a long value without remembering it, and no value at all', () => {
    const long = `image/webp,${'x'.repeat(600)}`;
    expect(accepts(long)).toEqual(['webp']);
    expect(viewerHints(headers({}), config).accepts).toEqual([]);
  });
});
