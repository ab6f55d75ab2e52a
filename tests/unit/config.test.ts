import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../shared/config';

describe('resolveConfig', () => {
  it('defaults to the 2019 ladder, capped at 2000', () => {
    const config = resolveConfig();
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.sizes).toEqual({ mode: 'ladder', steps: [64, 100, 200, 400, 600, 800, 1000, 1200, 1600, 2000] });
  });

  it('merges user settings over the defaults', () => {
    const config = resolveConfig({
      sizes: { mode: 'exact', max: 1500 },
      quality: { jpeg: 70, webp: 70, avif: 45, tiff: 70 },
      bucket: 'my.photos',
    });
    expect(config.sizes).toEqual({ mode: 'exact', max: 1500 });
    expect(config.quality.jpeg).toBe(70);
    expect(config.bucket).toBe('my.photos');
    expect(config.maxInputPixels).toBe(DEFAULT_CONFIG.maxInputPixels);
  });

  it.each([
    [{ sizes: { mode: 'ladder', steps: [] } }, /must be/],
    [{ sizes: { mode: 'ladder', steps: [200, 100] } }, /strictly increasing/],
    [{ sizes: { mode: 'ladder', steps: [100, 100.5] } }, /sizes.steps\[1\]/],
    [{ sizes: { mode: 'exact', max: 0 } }, /sizes.max/],
    [{ sizes: { mode: 'exact', max: 100_000 } }, /sizes.max/],
    [{ quality: { jpeg: 0, webp: 80, avif: 50, tiff: 80 } }, /quality.jpeg/],
    [{ qualitySteps: [50, 40] }, /qualitySteps/],
    [{ avifEffort: 10 }, /avifEffort/],
    [{ avifEffort: 2.5 }, /avifEffort/],
    [{ avifChromaSubsampling: '4:2:2' as never }, /avifChromaSubsampling/],
    [{ libvipsThreads: 0 }, /libvipsThreads/],
    [{ autoFormats: ['png'] }, /autoFormats/],
    [{ presets: { 'Bad Name': { width: 10, height: 10 } } }, /presets/],
    [{ presets: { ok: { width: 10, height: 0 } } }, /presets.ok.height/],
    [{ devices: { enabled: true, mobile: 0, tablet: 1000 } }, /devices.mobile/],
    [{ blurSigma: 0 }, /blurSigma/],
    [{ maxGeneratedResponseBytes: 2_000_000 }, /maxGeneratedResponseBytes/],
    [{ transformTimeoutSeconds: 30 }, /transformTimeoutSeconds/],
    [{ transformTimeoutSeconds: 25, s3DeadlineMs: 5000 }, /30 s origin timeout/],
    [{ s3DeadlineMs: 50 }, /s3DeadlineMs/],
    [{ bucket: 'Not_A_Bucket' }, /bucket/],
  ] as const)('refuses %j at build time', (user, message) => {
    expect(() => resolveConfig(user as never)).toThrow(message);
  });
});

describe('cost controls', () => {
  const KEY = 'k'.repeat(32);
  it('defaults to 404 as the only miss, any option set, no signing', () => {
    expect(resolveConfig()).toMatchObject({ treat403AsMiss: false, allowList: 'any', signingKeys: [] });
  });

  it('refuses allow-list entries that could never be a variant, and signing without a list', () => {
    const devicesOff = { devices: { enabled: false, mobile: 800, tablet: 1200 } };
    expect(() => resolveConfig({ ...devicesOff, allowList: [{ width: 333 }] })).toThrow(
      /width 333 is not an allowed size/,
    );
    expect(() => resolveConfig({ ...devicesOff, allowList: [{ width: 400, fit: 'cover' }] })).toThrow(/fit/);
    expect(() => resolveConfig({ ...devicesOff, allowList: [{}] })).toThrow(/names no option/);
    expect(() => resolveConfig({ ...devicesOff, allowList: [{ styles: ['blur', 'bw'] }] })).toThrow(/styles/);
    expect(() => resolveConfig({ allowList: [{ width: 400 }] })).toThrow(/width: 800 \} for mobiles/);
    expect(() => resolveConfig({ signingKeys: [KEY] })).toThrow(/allowList must be a list/);
    expect(() => resolveConfig({ allowList: [], signingKeys: ['short'], ...devicesOff })).toThrow(/32 characters/);
    expect(resolveConfig({ allowList: [], signingKeys: [KEY], ...devicesOff }).signingKeys).toEqual([KEY]);
  });
});
