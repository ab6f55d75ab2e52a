/**
 * What the viewer-request can learn about the viewer from its headers. CloudFront adds its own
 * `CloudFront-Is-Mobile-Viewer` headers only after the viewer-request event, so the device is read here from
 * `Sec-CH-UA-Mobile` (Chromium's client hint) and the `User-Agent`.
 */
import type { CloudFrontHeaders } from 'aws-lambda';
import { headerValue } from '../shared/cloudfront';
import type { ViewerConfig } from '../shared/config';
import { boundedMemo } from '../shared/bounded-memo';
import type { OutputFormat } from '../shared/options';
import { NEGOTIABLE_FORMATS } from '../shared/policy';
import type { ViewerHints } from './query-fold';
import type { Device } from './query-params';

/** User-Agent tokens of tablets, and of phones (an Android without `Mobi` is a tablet). */
const TABLET_TOKENS = 'iPad|Tablet|PlayBook|Kindle|Silk';
const PHONE_TOKENS = 'Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini';
const TABLET = new RegExp(`${TABLET_TOKENS}|Android(?!.*Mobi)`, 'i');
/** Any token of a phone or a tablet: an agent without one is a desktop. */
const HANDHELD = new RegExp(`${PHONE_TOKENS}|${TABLET_TOKENS}`, 'i');

export function viewerHints(headers: CloudFrontHeaders, config: ViewerConfig): ViewerHints {
  return new HeaderHints(headers, config);
}

/**
 * Getters that read a header only when the folding asks: most requests (originals, pages, scripts, small explicit
 * widths) need neither.
 */
class HeaderHints implements ViewerHints {
  readonly saveData: boolean;
  #accepts: readonly OutputFormat[] | undefined;
  #device: Device | undefined | null = null;

  constructor(
    private readonly headers: CloudFrontHeaders,
    private readonly config: ViewerConfig,
  ) {
    this.saveData = headerValue(headers, 'save-data')?.trim().toLowerCase() === 'on';
  }

  get accepts(): readonly OutputFormat[] {
    this.#accepts ??= this.config.autoFormats.length ? rememberedFormats(headerValue(this.headers, 'accept')) : [];
    return this.#accepts;
  }

  get device(): Device | undefined {
    if (this.#device === null) this.#device = this.config.devices.enabled ? detectDevice(this.headers) : undefined;
    return this.#device;
  }
}

/**
 * The formats we negotiate (`NEGOTIABLE_FORMATS`: AVIF, WebP) that `Accept` names explicitly with a non-zero q,
 * in that order; `*\/*` and `image/*` name none. One regex per format rather than splitting the header into
 * ranges: browsers send the header with every image request.
 */
export function acceptedFormats(accept: string | undefined): OutputFormat[] {
  const formats: OutputFormat[] = [];
  if (accept === undefined) return formats;
  for (const [format, range] of ACCEPT_RANGES) {
    const found = range.exec(accept);
    if (found && !ZERO_Q.test(found[1] ?? '')) formats.push(format);
  }
  return formats;
}

/**
 * The formats of the last few `Accept` values seen. Each browser version sends one value for every image, so a
 * few dozen cover most of the traffic a function instance sees, and a lookup costs a fraction of the regexes.
 * Bounded in count and length: a flood of odd headers only empties it. The arrays are shared, hence readonly.
 */
const REMEMBER_LENGTH_AT_MOST = 512;
const remembered = boundedMemo<readonly OutputFormat[]>(32, acceptedFormats);

function rememberedFormats(accept: string | undefined): readonly OutputFormat[] {
  return accept === undefined || accept.length > REMEMBER_LENGTH_AT_MOST ? acceptedFormats(accept) : remembered(accept);
}

/** Each negotiable format's `image/…` as a whole media range, and its parameters (`;q=0.5`). */
const ACCEPT_RANGES: ReadonlyArray<[OutputFormat, RegExp]> = NEGOTIABLE_FORMATS.map((format) => [
  format,
  new RegExp(`(?:^|,)[ \\t]*image/${format}[ \\t]*(;[^,]*)?(?:,|$)`, 'i'),
]);
const ZERO_Q = /;[ \t]*q[ \t]*=[ \t]*0(?:\.0{0,3})?[ \t]*(?:;|$)/i;

export function detectDevice(headers: CloudFrontHeaders): Device {
  if (headerValue(headers, 'sec-ch-ua-mobile') === '?1') return 'mobile';
  const agent = headerValue(headers, 'user-agent') ?? '';
  // Most agents are desktops, which one scan for any device token settles.
  if (!HANDHELD.test(agent)) return 'desktop';
  return TABLET.test(agent) ? 'tablet' : 'mobile';
}
