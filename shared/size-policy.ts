/**
 * The size policy: which pixel sizes exist. Requests are snapped onto it; variant keys must already sit on it.
 */
import type { SizePolicy } from './config';

/** The allowed size a request for `requested` pixels gets: the next step up, or the cap. `requested` >= 1. */
export function snapSize(requested: number, policy: SizePolicy): number {
  if (policy.mode === 'exact') return Math.min(requested, policy.max);
  for (const step of policy.steps) if (step >= requested) return step;
  return policy.steps[policy.steps.length - 1] as number;
}

/** True when `size` is itself an allowed size, so a key naming it may be generated. */
export function isAllowedSize(size: number, policy: SizePolicy): boolean {
  return Number.isInteger(size) && size >= 1 && snapSize(size, policy) === size;
}

