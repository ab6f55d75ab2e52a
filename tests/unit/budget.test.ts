import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputPixels, planWork } from '../../origin-response/budget';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { SourceFormat, VariantOptions } from '../../shared/options';

const config = { workBudget: DEFAULT_CONFIG.workBudget };
const { megapixels: budget, decodeCost, encodeCost } = config.workBudget;
const formats = Object.keys(encodeCost) as SourceFormat[];
const size = fc.integer({ min: 1, max: 20000 });

describe('outputPixels', () => {
  it('is the box itself with a fit, and the original with no size', () => {
    expect(outputPixels({ width: 4000, height: 3000 }, { width: 300, height: 200, fit: 'cover', styles: [] })).toBe(
      60000,
    );
    expect(outputPixels({ width: 4000, height: 3000 }, { styles: [] })).toBe(4000 * 3000);
  });

  it('keeps the aspect ratio inside the box and never enlarges', () => {
    fc.assert(
      fc.property(
        size,
        size,
        fc.option(size, { nil: undefined }),
        fc.option(size, { nil: undefined }),
        (w, h, bw, bh) => {
          const options: VariantOptions = { styles: [], ...(bw && { width: bw }), ...(bh && { height: bh }) };
          const pixels = outputPixels({ width: w, height: h }, options);
          const scale = Math.min(1, bw === undefined ? 1 : bw / w, bh === undefined ? 1 : bh / h);
          expect(pixels).toBe(Math.max(1, Math.round(w * scale)) * Math.max(1, Math.round(h * scale)));
          expect(pixels).toBeLessThanOrEqual(w * h);
        },
      ),
    );
  });
});

describe('planWork', () => {
  const cost = (w: number, h: number, frames: number, options: VariantOptions, format: SourceFormat) =>
    (frames * (w * h * decodeCost + outputPixels({ width: w, height: h }, options) * encodeCost[format])) / 1e6;

  it('accepts what fits the budget, animated when every frame fits, and refuses a still over it', () => {
    fc.assert(
      fc.property(size, size, fc.integer({ min: 1, max: 300 }), fc.constantFrom(...formats), (w, h, frames, format) => {
        const options: VariantOptions = { width: 400, styles: [] };
        const plan = planWork({ width: w, height: h, frames }, options, format, config);
        const all = cost(w, h, frames, options, format);
        const one = cost(w, h, 1, options, format);
        if (frames > 1 && all <= budget) expect(plan).toEqual({ kind: 'accepted', animated: true, megapixels: all });
        else if (one <= budget) expect(plan).toEqual({ kind: 'accepted', animated: false, megapixels: one });
        else {
          expect(plan).toMatchObject({ kind: 'over-budget', megapixels: one });
          if (plan.kind === 'over-budget') expect(plan.reason).toContain(`budget of ${budget}`);
        }
      }),
    );
  });

  it('keeps one frame of an animation over budget whose first frame fits', () => {
    const header = { width: 700, height: 700, frames: 100 };
    const options: VariantOptions = { width: 700, styles: [] };
    expect(cost(700, 700, 100, options, 'gif')).toBeGreaterThan(budget);
    expect(planWork(header, options, 'gif', config)).toMatchObject({ kind: 'accepted', animated: false });
  });
});
