/**
 * `edge-resize/client`, URLs for front-end code: `imageUrl('/img.jpg', { width: 350 })` → `/img.jpg?width=400`,
 * and `srcSet('/img.jpg', [320, 640])` for `<img srcset>`. Sizes are snapped onto the same size policy the
 * viewer-request applies, so every URL lands exactly on a stored variant. No Node APIs: safe in a browser bundle.
 * The configuration baked in is the deployment's (`edge-resize.config.ts`), resolved when the package is built,
 * without its signing keys: to sign (server-side rendering), pass a key as `signingKey`; never ship one to a browser.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { EdgeConfig, ViewerConfig } from '../shared/config';
import type { Style } from '../shared/options';
import { snapSize } from '../shared/policy';
import CONFIG from '../shared/resolved-config';
import { signedKeyOf } from '../viewer-request/query-fold';
import type { Requested } from '../viewer-request/query-params';

/** The query options (`viewer-request/query-params.ts`), with `style` as a list; the device is the viewer's. */
export type ImageUrlOptions = Omit<Requested, 'styles' | 'device'> & {
  style?: readonly Style[];
  /** One of the deployment's `signingKeys`: the URL gets `s=`, its signature. Server-side only. */
  signingKey?: string;
};

/** What the helpers read of the configuration: the size policy (and, to sign, the rest of the viewer's policy). */
export type ClientConfig = Pick<EdgeConfig, 'sizes'> & Partial<Omit<ViewerConfig, 'signingKeys'>>;

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
  const subject =
    options.signingKey === undefined
      ? undefined
      : signedKeyOf(path.slice(1), params.join('&'), { ...CONFIG, ...config, allowList: 'any', signingKeys: [] });
  if (subject !== undefined) add('s', sign(subject, options.signingKey!));
  return params.length ? `${path}?${params.join('&')}` : path;
}

/** The viewer-request's check (viewer-request/signature.ts) computed without Node: base64url HMAC-SHA256, cut. */
function sign(subject: string, key: string): string {
  const mac = hmac(sha256, new TextEncoder().encode(key), new TextEncoder().encode(subject));
  const base64 = btoa(String.fromCharCode(...mac));
  return base64.replace(/\+/g, '-').replace(/\//g, '_').slice(0, 22);
}

/** A `srcset` value: one URL per distinct snapped width, each with its `w` descriptor, smallest first. */
export function srcSet(
  path: string,
  widths: readonly number[],
  options: Omit<ImageUrlOptions, 'width' | 'dpr'> = {},
  config: ClientConfig = CONFIG,
): string {
  const snapped = [...new Set(widths.map((w) => snapSize(w, config.sizes)))].sort((a, b) => a - b);
  return snapped.map((width) => `${imageUrl(path, { ...options, width }, config)} ${width}w`).join(', ');
}
