/**
 * The variant policy in one place: which sizes, qualities and backgrounds exist, and which formats negotiation
 * may pick. Requests are snapped onto it (viewer-request); a variant key must already sit on it (both functions).
 */
import type { SizePolicy, ViewerConfig } from './config';
import { canonicalize } from './canonical';
import { DEFAULT_BACKGROUND, sameOptions, type OutputFormat, type SourceFormat, type VariantOptions } from './options';

/**
 * The formats negotiation may pick from the viewer's `Accept` (config.autoFormats lists some of them, in order):
 * the configuration checks against this list, and the viewer-request reads `Accept` for these.
 */
export const NEGOTIABLE_FORMATS = ['avif', 'webp'] as const satisfies readonly OutputFormat[];

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

/** The nearest allowed quality; halfway rounds up. */
export function nearestStep(quality: number, steps: readonly number[]): number {
  let best = steps[0] as number;
  for (const step of steps) if (Math.abs(step - quality) <= Math.abs(best - quality)) best = step;
  return best;
}

/** The default white is always allowed; others when the configuration lists them (or allows any). */
export function backgroundAllowed(background: string, config: ViewerConfig): boolean {
  return background === DEFAULT_BACKGROUND || config.backgrounds === 'any' || config.backgrounds.includes(background);
}

/**
 * The formats negotiation may pick for an original of `source`, in order: `autoFormats` for JPEG and PNG; for GIF,
 * WebP only, which keeps an animation moving at a fraction of GIF's encode cost (AVIF output here is a still).
 */
export function negotiableFormats(source: SourceFormat, config: ViewerConfig): readonly OutputFormat[] {
  if (source === 'jpeg' || source === 'png') return config.autoFormats;
  return source === 'gif' && config.autoFormats.includes('webp') ? ['webp'] : [];
}

/** True when a request for this original without `format=` is answered by the viewer's `Accept`. */
export function isNegotiable(source: SourceFormat, config: ViewerConfig): boolean {
  return negotiableFormats(source, config).length > 0;
}

/** Why these options may not be generated under the configured policy, or `undefined`. */
export function policyProblem(options: VariantOptions, config: ViewerConfig): string | undefined {
  const { width, height } = options;
  // A preset's exact size is allowed off the ladder, cropped to fill as presets are.
  const preset =
    options.fit === 'cover' && Object.values(config.presets).some((p) => p.width === width && p.height === height);
  if (!preset) {
    if (width !== undefined && !isAllowedSize(width, config.sizes)) return `width ${width} is not an allowed size`;
    if (height !== undefined && !isAllowedSize(height, config.sizes)) return `height ${height} is not an allowed size`;
  }
  if (options.quality !== undefined && !config.qualitySteps.includes(options.quality)) {
    return `quality ${options.quality} is not an allowed quality`;
  }
  if (options.background !== undefined && !backgroundAllowed(options.background, config)) {
    return `background ${options.background} is not an allowed colour`;
  }
  return undefined;
}

/**
 * Why an unsigned request may not have these (canonical) options for an original of format `source` under
 * `config.allowList`, or `undefined`. An entry without `format` also allows what negotiation picks, one without
 * `quality` the Save-Data quality: the viewer's headers choose those, not the URL.
 */
export function allowListProblem(
  options: VariantOptions,
  source: SourceFormat,
  config: ViewerConfig,
): string | undefined {
  const list = config.allowList;
  if (list === 'any') return undefined;
  const { format, quality } = options;
  const negotiated = format !== undefined && negotiableFormats(source, config).includes(format);
  const saveData = quality === nearestStep(config.saveDataQuality, config.qualitySteps);
  const allowed = list.some((entry) =>
    sameOptions(
      canonicalize(
        {
          ...entry,
          styles: entry.styles ?? [],
          format: entry.format ?? (negotiated ? format : undefined),
          quality: entry.quality ?? (saveData ? quality : undefined),
        },
        source,
        config,
      ),
      options,
    ),
  );
  return allowed ? undefined : 'these options are not on the allow-list';
}
