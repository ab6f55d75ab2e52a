import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER, resolveConfig } from '../../shared/config';
import { OUTPUT_FORMATS } from '../../shared/options';
import {
  backgroundAllowed,
  isAllowedSize,
  isNegotiable,
  NEGOTIABLE_FORMATS,
  nearestStep,
  negotiableFormats,
  policyProblem,
  snapSize,
} from '../../shared/policy';

const config = resolveConfig();

describe('size policy', () => {
  const ladder = { mode: 'ladder', steps: DEFAULT_LADDER } as const;
  it('rounds up to the next step and caps at the top', () => {
    expect([1, 64, 65, 100, 399, 400, 401, 2000, 2001, 1e9].map((n) => snapSize(n, ladder))).toEqual([
      64, 64, 100, 100, 400, 400, 600, 2000, 2000, 2000,
    ]);
  });
  it('allows exactly the steps', () => {
    expect(DEFAULT_LADDER.every((n) => isAllowedSize(n, ladder))).toBe(true);
    expect([0, 1, 63, 65, 401, 2001, 64.5].some((n) => isAllowedSize(n, ladder))).toBe(false);
  });
  it('exact mode caps only', () => {
    const exact = { mode: 'exact', max: 500 } as const;
    expect([1, 333, 500, 501].map((n) => snapSize(n, exact))).toEqual([1, 333, 500, 500]);
    expect(isAllowedSize(501, exact)).toBe(false);
  });
});

describe('quality steps', () => {
  it('snaps to the nearest allowed quality, halfway rounding up', () => {
    const steps = config.qualitySteps;
    for (let quality = 1; quality <= 100; quality++) {
      const nearest = nearestStep(quality, steps);
      expect(steps).toContain(nearest);
      const distance = Math.abs(nearest - quality);
      expect(steps.every((step) => Math.abs(step - quality) >= distance)).toBe(true);
      const tie = steps.find((step) => step !== nearest && Math.abs(step - quality) === distance);
      if (tie !== undefined) expect(nearest).toBeGreaterThan(tie);
    }
  });
});

describe('backgrounds', () => {
  it('allows the default white, the listed colours, and any colour when configured so', () => {
    const listed = config.backgrounds === 'any' ? [] : config.backgrounds;
    expect(backgroundAllowed('ffffff', resolveConfig({ backgrounds: [] }))).toBe(true);
    for (const colour of listed) expect(backgroundAllowed(colour, config)).toBe(true);
    const unlisted = ['123456', 'abcdef'].filter((c) => !listed.includes(c));
    for (const colour of unlisted) {
      expect(backgroundAllowed(colour, config)).toBe(false);
      expect(backgroundAllowed(colour, resolveConfig({ backgrounds: 'any' }))).toBe(true);
    }
  });
});

describe('negotiable formats', () => {
  it('are output formats, and negotiation answers JPEG, PNG and GIF originals when formats are configured', () => {
    for (const format of NEGOTIABLE_FORMATS) expect(OUTPUT_FORMATS).toContain(format);
    const off = resolveConfig({ autoFormats: [] });
    for (const source of [...OUTPUT_FORMATS, 'gif', 'tiff'] as const) {
      expect(isNegotiable(source, config)).toBe(source === 'jpeg' || source === 'png' || source === 'gif');
      expect(isNegotiable(source, off)).toBe(false);
    }
  });

  it('offer GIF originals WebP only, and only when autoFormats lists it', () => {
    expect(negotiableFormats('gif', config)).toEqual(['webp']);
    expect(negotiableFormats('gif', resolveConfig({ autoFormats: ['avif'] }))).toEqual([]);
    expect(negotiableFormats('jpeg', config)).toEqual(config.autoFormats);
  });
});

describe('policyProblem', () => {
  it('passes options on the policy and names the first rule broken', () => {
    const [step] = DEFAULT_LADDER as [number];
    expect(policyProblem({ width: step, height: step, styles: [] }, config)).toBeUndefined();
    expect(policyProblem({ width: step + 1, styles: [] }, config)).toBe(`width ${step + 1} is not an allowed size`);
    expect(policyProblem({ height: step + 1, styles: [] }, config)).toBe(`height ${step + 1} is not an allowed size`);
    const offStep = [...Array(100).keys()].map((q) => q + 1).find((q) => !config.qualitySteps.includes(q));
    expect(policyProblem({ quality: offStep, styles: [] }, config)).toBe(
      `quality ${offStep} is not an allowed quality`,
    );
    expect(policyProblem({ fit: 'contain', width: step, height: step, background: '123456', styles: [] }, config)).toBe(
      'background 123456 is not an allowed colour',
    );
  });

  it("allows each preset's exact size off the ladder, with cover only", () => {
    for (const { width, height } of Object.values(config.presets)) {
      expect(policyProblem({ width, height, fit: 'cover', styles: [] }, config)).toBeUndefined();
      const off = [width, height].some((size) => !isAllowedSize(size, config.sizes));
      expect(policyProblem({ width, height, styles: [] }, config) !== undefined).toBe(off);
    }
  });
});
