/**
 * What the viewer-request can learn about the viewer from its headers. CloudFront adds its own
 * `CloudFront-Is-Mobile-Viewer` headers only after the viewer-request event, so the device is read here from
 * `Sec-CH-UA-Mobile` (Chromium's client hint) and the `User-Agent`.
 */
import type { CloudFrontHeaders } from 'aws-lambda';
import { headerValue } from '../shared/cloudfront';
import type { EdgeConfig } from '../shared/config';
import type { OutputFormat } from '../shared/options';
import type { ViewerHints } from '../shared/query-options';
import type { Device } from '../shared/query-params';

const TABLET = /iPad|Tablet|PlayBook|Kindle|Silk|Android(?!.*Mobi)/i;
const MOBILE = /Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini/i;

export function viewerHints(headers: CloudFrontHeaders, config: EdgeConfig): ViewerHints {
  return new HeaderHints(headers, config);
}

/** A class, so every request's hints share one shape and `accepts` is a getter on the prototype. */
class HeaderHints implements ViewerHints {
  readonly device: Device | undefined;
  readonly saveData: boolean;
  #accepts: OutputFormat[] | undefined;

  constructor(private readonly headers: CloudFrontHeaders, private readonly config: EdgeConfig) {
    this.device = config.devices.enabled ? detectDevice(headers) : undefined;
    this.saveData = headerValue(headers, 'save-data')?.trim().toLowerCase() === 'on';
  }

  /** Read only when a variant is being made: most requests (originals, pages, scripts) never need it. */
  get accepts(): OutputFormat[] {
    this.#accepts ??= this.config.autoFormats.length ? acceptedFormats(headerValue(this.headers, 'accept')) : [];
    return this.#accepts;
  }
}

/** Image formats named explicitly with a non-zero q; `*\/*` and `image/*` name none. */
export function acceptedFormats(accept: string | undefined): OutputFormat[] {
  const formats: OutputFormat[] = [];
  for (const range of (accept ?? '').toLowerCase().split(',')) {
    const [type, ...params] = range.split(';').map((part) => part.trim());
    const format = type === 'image/avif' ? 'avif' : type === 'image/webp' ? 'webp' : undefined;
    const q = params.find((p) => p.startsWith('q='));
    if (format && !(q && Number(q.slice(2)) === 0)) formats.push(format);
  }
  return formats;
}

export function detectDevice(headers: CloudFrontHeaders): Device {
  if (headerValue(headers, 'sec-ch-ua-mobile') === '?1') return 'mobile';
  const agent = headerValue(headers, 'user-agent') ?? '';
  if (TABLET.test(agent)) return 'tablet';
  return MOBILE.test(agent) ? 'mobile' : 'desktop';
}
