/**
 * The key-space count, built from the grammar's parts (local/key-space.ts), against brute force: every candidate
 * key made from the grammar's tokens (and some it does not allow), counted when `parseVariantKey` accepts it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowListKeys,
  costOf,
  DEFAULT_VARIANT_KB,
  DEFAULT_VIEWER_SECONDS,
  functionSettings,
  keySpace,
  keySpaceReport,
  keySpaceTable,
  worstSecondsPerMiss,
  SOURCE_FORMATS,
} from '../../local/key-space';
import { REPO_ROOT } from '../../local/paths';
import { DEFAULT_CONFIG, resolveConfig, type EdgeConfig } from '../../shared/config';
import { FITS, OUTPUT_FORMATS, POSITIONS, STYLES } from '../../shared/options';
import { allowListProblem } from '../../shared/policy';
import { keyPrefix, parseVariantKey } from '../../shared/variant-key';

const EXTENSIONS = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif', tiff: 'tif' } as const;

/** Sequences of distinct tokens, up to `length` long, joined with `-`. */
function sequences(tokens: readonly string[], length: number): string[] {
  const out: string[] = [];
  const walk = (prefix: string[]) => {
    if (prefix.length) out.push(prefix.join('-'));
    if (prefix.length === length) return;
    for (const token of tokens) if (!prefix.includes(token)) walk([...prefix, token]);
  };
  walk([]);
  return out;
}

/** Every dims and style segment made of the grammar's tokens, sizes, qualities and colours on and off policy. */
function candidates(sizes: readonly string[], qualities: readonly string[], colours: readonly string[], length = 4) {
  const boxes: string[] = [];
  for (const h of ['', ...sizes]) {
    for (const w of ['', ...sizes]) if (h || w) boxes.push(`${h && `${h}h`}${w && `${w}w`}`);
  }
  const modifiers = ['', ...POSITIONS, 'centre', ...colours];
  const dims = ['default'];
  for (const box of boxes) {
    dims.push(box);
    for (const fit of [...FITS, 'inside']) {
      for (const modifier of modifiers) dims.push(`${box}-${fit}${modifier && `-${modifier}`}`);
    }
  }
  const styles = ['default', ...sequences([...STYLES, ...OUTPUT_FORMATS, ...qualities.map((q) => `q${q}`)], length)];
  return { dims, styles };
}

function bruteForce(
  config: EdgeConfig,
  sizes: readonly string[],
  qualities: readonly string[],
  colours: readonly string[],
) {
  const { dims, styles } = candidates(sizes, qualities, colours);
  const prefix = keyPrefix(config);
  return SOURCE_FORMATS.map((format) => {
    let accepted = 0;
    for (const d of dims) {
      for (const s of styles) {
        if (parseVariantKey(`/${prefix}${d}/${s}/a.${EXTENSIONS[format]}`, config).kind === 'variant') accepted++;
      }
    }
    return { format, keys: accepted };
  });
}

describe('keys per original', () => {
  const small = {
    sizes: { mode: 'ladder', steps: [100] },
    presets: { banner: { width: 300, height: 100 }, square: { width: 100, height: 100 } },
    qualitySteps: [50],
    // JPEG's and AVIF's defaults off the steps, WebP's and TIFF's on them.
    quality: { jpeg: 80, webp: 50, avif: 65, tiff: 50 },
    backgrounds: ['ffffff', '000000'],
  } as const;

  it('equal the brute-force count for a small ladder, preset and quality list', () => {
    const config = resolveConfig(small);
    const counted = bruteForce(config, ['100', '300'], ['50', '80'], ['ffffff', '000000', '123456']);
    expect(keySpace(config).map(({ format, keys }) => ({ format, keys }))).toEqual(counted);
    expect(counted.every(({ keys }) => keys > 0)).toBe(true);
  });

  it('are as many under a behaviour prefix, and none outside it', () => {
    const config = resolveConfig({ ...small, pathPattern: '/media/photos/*' });
    const counted = bruteForce(config, ['100', '300'], ['50', '80'], ['ffffff', '000000', '123456']);
    expect(keySpace(config).map(({ format, keys }) => ({ format, keys }))).toEqual(counted);
    expect(counted.every(({ keys }) => keys > 0)).toBe(true);
    // The same keys without the prefix, or under part of it, belong to no behaviour of this deployment.
    for (const uri of ['/100w/default/a.jpg', '/media/100w/default/a.jpg', '/photos/100w/default/a.jpg']) {
      expect(parseVariantKey(uri, config).kind).toBe('not-variant');
    }
  });

  it('equal the brute-force count for exact sizes and no presets', () => {
    const config = resolveConfig({
      sizes: { mode: 'exact', max: 2 },
      presets: {},
      qualitySteps: [80],
      backgrounds: [],
    });
    const counted = bruteForce(config, ['1', '2', '3'], ['80'], ['ffffff', '000000']);
    expect(keySpace(config).map(({ format, keys }) => ({ format, keys }))).toEqual(counted);
  });
});

describe('SECURITY.md', () => {
  it('holds the table computed for the default configuration', () => {
    const security = readFileSync(join(REPO_ROOT, 'SECURITY.md'), 'utf8');
    expect(security).toContain(`${keySpaceTable(DEFAULT_CONFIG)}\n`);
  });
});

describe('cost of a million keys', () => {
  it("reads the functions' memory and timeout from serverless.yml", () => {
    const settings = functionSettings(readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8'));
    expect(settings.originResponse?.memorySize).toBeGreaterThan(0);
    expect(settings.originResponse?.timeout).toBeGreaterThan(0);
    expect(settings.viewerRequest?.memorySize).toBeGreaterThan(0);
  });

  it('adds two requests, both durations and a PUT per key, and storage per month apart', () => {
    const assumptions = {
      originMemoryMb: 1024,
      secondsPerMiss: 1,
      viewerMemoryMb: 128,
      viewerSecondsPerRequest: 0,
      averageVariantKb: 0,
    };
    const one = costOf(1e6, assumptions);
    const two = costOf(2e6, { ...assumptions, averageVariantKb: 100 });
    // Twice the keys, twice every part; storage only when variants have a size.
    expect(two.requests).toBeCloseTo(2 * one.requests, 10);
    expect(two.originDuration).toBeCloseTo(2 * one.originDuration, 10);
    expect(two.puts).toBeCloseTo(2 * one.puts, 10);
    expect(one.storagePerMonth).toBe(0);
    expect(two.storagePerMonth).toBeGreaterThan(0);
    expect(one.once).toBeCloseTo(one.requests + one.originDuration + one.viewerDuration + one.puts, 10);
  });

  it("npm run keyspace reports the table and the costs at serverless.yml's memory, the deadlines by default", () => {
    const yml = readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8');
    const { originResponse, viewerRequest } = functionSettings(yml);
    const report = keySpaceReport(DEFAULT_CONFIG, yml);
    expect(report).toContain(keySpaceTable(DEFAULT_CONFIG));
    const seconds = worstSecondsPerMiss(DEFAULT_CONFIG, originResponse!.timeout!);
    expect(seconds).toBe(DEFAULT_CONFIG.transformTimeoutSeconds + (3 * DEFAULT_CONFIG.s3DeadlineMs) / 1000);
    expect(seconds).toBeLessThanOrEqual(originResponse!.timeout!);
    const cost = costOf(1e6, {
      originMemoryMb: originResponse!.memorySize!,
      secondsPerMiss: seconds,
      viewerMemoryMb: viewerRequest!.memorySize!,
      viewerSecondsPerRequest: DEFAULT_VIEWER_SECONDS,
      averageVariantKb: DEFAULT_VARIANT_KB,
    });
    const dollars = (n: number) =>
      `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const part of [cost.requests, cost.originDuration, cost.puts, cost.once, cost.storagePerMonth]) {
      expect(report).toContain(dollars(part));
    }
    expect(report).toContain(`${originResponse!.memorySize} MB for ${seconds} s a miss`);
    expect(keySpaceReport(DEFAULT_CONFIG, yml, { secondsPerMiss: 0.5 })).toContain('for 0.5 s a miss;');
  });

  it('with a strict allow-list, counts no more keys than the unsigned URLs the viewer lets through', () => {
    const allowList = [
      { width: 400 },
      { width: 800, format: 'webp' as const },
      { width: 200, height: 200, fit: 'cover' as const },
    ];
    const config = resolveConfig({
      sizes: { mode: 'ladder', steps: [200, 400, 800] },
      presets: {},
      qualitySteps: [40, 80],
      backgrounds: ['ffffff'],
      allowList,
      devices: { enabled: false, mobile: 800, tablet: 800 },
    });
    // Every key made of the grammar's tokens (styles up to three long: an entry names at most a format and a
    // quality), held to the allow-list as the viewer-request holds an unsigned URL.
    const { dims, styles } = candidates(['200', '400', '800'], ['40', '80'], ['ffffff'], 3);
    for (const format of SOURCE_FORMATS) {
      let accepted = 0;
      for (const d of dims) {
        for (const st of styles) {
          const key = parseVariantKey(`/${d}/${st}/a.${EXTENSIONS[format]}`, config);
          if (key.kind === 'variant' && !allowListProblem(key.variant.options, format, config)) accepted++;
        }
      }
      expect(allowListKeys(format, config)).toBe(accepted);
      // Each entry, at most in its own format and every negotiable one, each at two qualities.
      expect(accepted).toBeGreaterThan(0);
      expect(accepted).toBeLessThanOrEqual(allowList.length * 3 * 2);
    }
    expect(allowListKeys('jpeg', resolveConfig())).toBeUndefined();
  });
});
