/**
 * `edge-resize/client`, URLs for front-end code: `imageUrl('/img.jpg', { width: 350 })` → `/img.jpg?width=400`,
 * and `srcSet('/img.jpg', [320, 640])` for `<img srcset>`. Sizes are snapped onto the same size policy the
 * viewer-request applies, so every URL lands exactly on a stored variant. No Node APIs: safe in a browser bundle.
 * The configuration baked in is the deployment's (`edge-resize.config.ts`), resolved when the package is built.
 */
import type { EdgeConfig } from '../shared/config';
import type { Style } from '../shared/options';
import { snapSize } from '../shared/policy';
import CONFIG from '../shared/resolved-config';
import type { Requested } from '../viewer-request/query-params';

/** The query options (`viewer-request/query-params.ts`), with `style` as a list; the device is the viewer's. */
export type ImageUrlOptions = Omit<Requested, 'styles' | 'device'> & { style?: readonly Style[] };

/** What the helpers read of the configuration: the size policy. */
export type ClientConfig = Pick<EdgeConfig, 'sizes'>;

/** The URL of `path` (percent-encoded, leading slash) with `options`, sizes snapped onto the policy. */
export function imageUrl(path: string, options: ImageUrlOptions, config: ClientConfig = CONFIG): string {
  const params: string[] = [];
  const add = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') params.push(`${name}=${encodeURIComponent(value)}`);
  };
  add('width', options.width === undefined ? undefined : snapSize(options.width, config.sizes));
  add('height', options.height === undefined ? undefined : snapSize(options.height, config.sizes));
  add('dpr', options.dpr);
  add('fit', options.fit);
  add('position', options.position);
  add('background', options.background);
  add('style', options.style?.join(','));
  add('format', options.format);
  add('quality', options.quality);
  add('dimensions', options.dimensions);
  return params.length ? `${path}?${params.join('&')}` : path;
}

/** A `srcset` value: one URL per distinct snapped width, each with its `w` descriptor, smallest first. */
export function srcSet(
  path: string, widths: readonly number[], options: Omit<ImageUrlOptions, 'width' | 'dpr'> = {},
  config: ClientConfig = CONFIG,
): string {
  const snapped = [...new Set(widths.map((w) => snapSize(w, config.sizes)))].sort((a, b) => a - b);
  return snapped.map((width) => `${imageUrl(path, { ...options, width }, config)} ${width}w`).join(', ');
}
