/**
 * The work budget: what a variant will cost, decided from the original's header before any pixel is decoded.
 * Work is counted in weighted megapixels (config.workBudget): every decoded input pixel, times the frames decoded,
 * counts `decodeCost`; every output pixel, times the frames encoded, its format's `encodeCost`. An animation over
 * budget keeps its first frame only (as one over `maxFrames` does); a still over budget is refused.
 */
import type { EdgeConfig } from '../shared/config';
import type { SourceFormat, VariantOptions } from '../shared/options';

/** What the header says, as the budget needs it: one frame's oriented size and the frames that would be kept. */
export interface FrameHeader {
  width: number;
  height: number;
  frames: number;
}

export type WorkPlan =
  | { kind: 'accepted'; animated: boolean; megapixels: number }
  | { kind: 'over-budget'; megapixels: number; reason: string };

export function planWork(
  header: FrameHeader,
  options: VariantOptions,
  output: SourceFormat,
  config: Pick<EdgeConfig, 'workBudget'>,
): WorkPlan {
  const { megapixels: budget, decodeCost, encodeCost } = config.workBudget;
  const input = header.width * header.height;
  const out = outputPixels(header, options);
  const cost = (frames: number) => (frames * (input * decodeCost + out * encodeCost[output])) / 1e6;
  if (header.frames > 1 && cost(header.frames) <= budget) {
    return { kind: 'accepted', animated: true, megapixels: cost(header.frames) };
  }
  const still = cost(1);
  if (still <= budget) return { kind: 'accepted', animated: false, megapixels: still };
  const reason = `the variant would cost ${Math.ceil(still)} weighted megapixels, over the budget of ${budget}`;
  return { kind: 'over-budget', megapixels: still, reason };
}

/**
 * Pixels of one output frame, as transform.ts resizes: a box with a fit is exact; `inside` (the default) keeps
 * the aspect ratio within the box and never enlarges; no size keeps the original's.
 */
export function outputPixels(header: Pick<FrameHeader, 'width' | 'height'>, options: VariantOptions): number {
  const { width, height, fit } = options;
  if (width !== undefined && height !== undefined && fit !== undefined) return width * height;
  const scale = Math.min(
    1,
    width === undefined ? 1 : width / header.width,
    height === undefined ? 1 : height / header.height,
  );
  return Math.max(1, Math.round(header.width * scale)) * Math.max(1, Math.round(header.height * scale));
}
