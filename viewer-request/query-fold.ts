/**
 * Where a query becomes variant options: the validated query (`query-params.ts`) folded with what the
 * viewer-request knows of the viewer (formats it accepts, its device, Save-Data) and the configuration:
 *
 *   - `dimensions=` becomes its preset's exact size, cropped to fill;
 *   - `dpr` multiplies width and height; a device's maximum caps the width; sizes snap onto the policy;
 *   - a phone or tablet with no explicit size gets the configured device width;
 *   - quality snaps to the nearest allowed step; `Save-Data: on` lowers the default;
 *   - for JPEG, PNG and GIF originals with no `format=`, the first negotiable format the viewer accepts;
 *   - then every setting that changes nothing is dropped (`shared/canonical.ts`), so equivalent requests share a
 *     key.
 */
import { canonicalize } from '../shared/canonical';
import type { ViewerConfig } from '../shared/config';
import {
  isIdentity,
  sourceFormat,
  takesQuality,
  type OutputFormat,
  type SourceFormat,
  type VariantOptions,
} from '../shared/options';
import { canonicalPath } from '../shared/image-path';
import { backgroundAllowed, nearestStep, negotiableFormats, snapSize } from '../shared/policy';
import { formatVariantKey, keyPrefix } from '../shared/variant-key';
import { parseQueryParams, type Device, type Requested } from './query-params';

/** What the viewer-request read from the viewer's headers. */
export interface ViewerHints {
  /** Image formats the viewer's `Accept` names explicitly (`*\/*` alone names none). */
  accepts: readonly OutputFormat[];
  /** The device detected from `User-Agent` / `Sec-CH-UA-Mobile`, when detection is on. */
  device: Device | undefined;
  /** `Save-Data: on`. */
  saveData: boolean;
}

export const NO_HINTS: ViewerHints = { accepts: [], device: undefined, saveData: false };

export type QueryParse =
  /** Nothing to change (no option of ours, or only defaults): the request is for the original, left alone. */
  | { kind: 'none' }
  | { kind: 'options'; options: VariantOptions; negotiated: boolean }
  | { kind: 'invalid'; reason: string };

/** `path` is the original's encoded path (its extension tells the original's format). */
export function parseQueryOptions(
  querystring: string,
  path: string,
  config: ViewerConfig,
  hints: ViewerHints = NO_HINTS,
): QueryParse {
  const params = parseQueryParams(querystring);
  if (params.kind === 'invalid') return params;
  const requested = params.requested;
  const source = sourceFormat(path);
  const box = resolveBox(requested, config, hints);
  if (typeof box === 'string') return { kind: 'invalid', reason: box };

  if (requested.background && !backgroundAllowed(requested.background, config)) {
    return { kind: 'invalid', reason: backgroundReason(config) };
  }
  const options: VariantOptions = {
    width: box.width,
    height: box.height,
    fit: box.fit,
    position: requested.position === 'centre' ? undefined : requested.position,
    background: requested.background,
    styles: requested.styles ?? [],
    format: requested.format === 'auto' ? undefined : requested.format,
    quality: undefined,
  };
  const base = canonicalize(options, source, config);
  if (isIdentity(base) && requested.quality === undefined) return { kind: 'none' };

  // Negotiate only when a variant is being made anyway: a plain URL on a desktop stays the original.
  const negotiated =
    requested.format === undefined || requested.format === 'auto' ? negotiate(source, config, hints) : undefined;
  if (negotiated) options.format = negotiated;
  const output = options.format ?? source;
  const quality = resolveQuality(requested, output, config, hints);
  if (quality !== undefined) options.quality = quality;
  const result = canonicalize(options, source, config);
  return isIdentity(result)
    ? { kind: 'none' }
    : { kind: 'options', options: result, negotiated: negotiated !== undefined };
}

/**
 * What a signed URL's `s=` signs: the variant key its path and query name before the viewer's headers are read
 * (no format negotiated, no device, no Save-Data), so a server can sign it; `undefined` when they name none or
 * the path is outside the behaviour's prefix. `path` is the encoded path without the leading slash, in any spelling.
 */
export function signedKeyOf(path: string, querystring: string, config: ViewerConfig): string | undefined {
  const canonical = canonicalPath(path);
  if (!canonical.startsWith(keyPrefix(config))) return undefined;
  const query = parseQueryOptions(querystring, canonical, config);
  return query.kind === 'options' ? formatVariantKey({ options: query.options, path: canonical }, config) : undefined;
}

type Box = Pick<VariantOptions, 'width' | 'height' | 'fit'>;

/** Width, height and fit from a preset, or from width/height with dpr, device cap and snapping. */
function resolveBox(requested: Requested, config: ViewerConfig, hints: ViewerHints): Box | string {
  if (requested.dimensions !== undefined) {
    const { presets } = config;
    const preset = Object.hasOwn(presets, requested.dimensions) ? presets[requested.dimensions] : undefined;
    if (!preset) return `dimensions must be one of ${Object.keys(presets).join(', ')}, got "${requested.dimensions}"`;
    if (requested.width !== undefined || requested.height !== undefined) {
      return 'dimensions cannot be combined with width or height';
    }
    if (requested.fit !== undefined && requested.fit !== 'cover') return 'dimensions always crops to fill (fit=cover)';
    return { width: preset.width, height: preset.height, fit: 'cover' };
  }
  const dpr = requested.dpr ?? 1;
  let width = requested.width === undefined ? undefined : Math.ceil(requested.width * dpr);
  const height = requested.height === undefined ? undefined : Math.ceil(requested.height * dpr);
  // No explicit size: the device decides. An explicit width above the device's maximum is capped for it. The
  // device (a User-Agent match) is read only when it can change the answer.
  const { devices } = config;
  const capped = width === undefined ? height === undefined : width > Math.min(devices.mobile, devices.tablet);
  if (devices.enabled && capped) {
    const device = requested.device ?? hints.device;
    const deviceMax = device === 'mobile' || device === 'tablet' ? devices[device] : undefined;
    if (deviceMax !== undefined) width = width === undefined ? deviceMax : Math.min(width, deviceMax);
  }
  const box: Box = {};
  if (width !== undefined) box.width = snapSize(width, config.sizes);
  if (height !== undefined) box.height = snapSize(height, config.sizes);
  if (requested.fit && requested.fit !== 'inside') box.fit = requested.fit;
  return box;
}

function backgroundReason(config: ViewerConfig): string {
  return `background must be one of ${(config.backgrounds as readonly string[]).join(', ')}`;
}

/** The first format negotiation may pick for this original (shared/policy.ts) that the viewer accepts. */
function negotiate(source: SourceFormat, config: ViewerConfig, hints: ViewerHints): OutputFormat | undefined {
  return negotiableFormats(source, config).find((format) => hints.accepts.includes(format));
}

function resolveQuality(
  requested: Requested,
  output: SourceFormat,
  config: ViewerConfig,
  hints: ViewerHints,
): number | undefined {
  if (!takesQuality(output)) return undefined;
  if (requested.quality !== undefined) return nearestStep(requested.quality, config.qualitySteps);
  if (hints.saveData) return Math.min(config.quality[output], nearestStep(config.saveDataQuality, config.qualitySteps));
  return undefined;
}
