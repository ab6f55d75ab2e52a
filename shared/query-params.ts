/**
 * Where a query parameter is read and validated: CloudFront's raw `querystring` (no leading `?`) becomes typed
 * `Requested` values, or a one-line reason to answer 400 with. Nothing is snapped or folded here
 * (`query-options.ts` does that), so each parameter's rule stands in one place:
 *
 *   width=N, height=N   whole pixels, plain decimal digits, at least 1
 *   dpr=D               device pixel ratio from 1 to 3, at most two decimals (`1.5`); multiplies width and height
 *   fit=F               inside (default) | cover | contain | fill
 *   position=P          centre | center | north | northeast | … | northwest | attention   (with fit=cover)
 *   background=RGB      3 or 6 hex digits, `#` optional (`ff0000`, `%23f00`)            (with fit=contain)
 *   style=S[,S]         bw (aliases greyscale, grayscale) | blur | default
 *   format=F            jpeg (alias jpg) | png | webp | avif | auto (the default: negotiated from Accept)
 *   quality=Q           1 to 100
 *   dimensions=NAME     a preset from the configuration, e.g. twitter-card
 *   device-type=D       mobile | tablet | desktop (overrides detection from the User-Agent)
 *
 * Names and values are case-insensitive; unknown parameters (`utm_source`) are ignored. A parameter may repeat
 * with the same meaning; repeats that disagree are refused.
 */
import {
  FITS, OUTPUT_FORMATS, POSITIONS, STYLES,
  type Fit, type OutputFormat, type Position, type Style,
} from './options';

export type Device = 'mobile' | 'tablet' | 'desktop';

/** What the query asked for, validated but not yet folded. */
export interface Requested {
  width?: number;
  height?: number;
  dpr?: number;
  /** `inside` is kept explicit here so `fit=inside` with a preset can be refused. */
  fit?: Fit | 'inside';
  /** `centre` is kept explicit here; it is the default and leaves no trace in the key. */
  position?: Position | 'centre';
  background?: string;
  styles?: readonly Style[];
  /** `auto` is kept explicit: the default, negotiation. */
  format?: OutputFormat | 'auto';
  quality?: number;
  dimensions?: string;
  device?: Device;
}

export type ParamsParse = { kind: 'ok'; requested: Requested } | { kind: 'invalid'; reason: string };

type Reader = (value: string) => { value: Requested[keyof Requested] } | string;

const STYLE_VALUES: ReadonlyMap<string, Style | null> = new Map([
  ['bw', 'bw'], ['greyscale', 'bw'], ['grayscale', 'bw'], ['blur', 'blur'], ['default', null],
]);

const READERS: ReadonlyMap<string, [keyof Requested, Reader]> = new Map<string, [keyof Requested, Reader]>([
  ['width', ['width', (v) => size('width', v)]],
  ['height', ['height', (v) => size('height', v)]],
  ['dpr', ['dpr', dpr]],
  ['fit', ['fit', oneOf('fit', ['inside', ...FITS])]],
  ['position', ['position', oneOf('position', ['centre', ...POSITIONS], { center: 'centre' }, 'centre, north, northeast, …, attention')]],
  ['background', ['background', background]],
  ['style', ['styles', styles]],
  ['format', ['format', oneOf('format', [...OUTPUT_FORMATS, 'auto'], { jpg: 'jpeg' })]],
  ['quality', ['quality', quality]],
  ['dimensions', ['dimensions', (v) => (/^[a-z0-9-]{1,40}$/i.test(v) ? { value: v.toLowerCase() } : `dimensions "${clip(v)}" is not a preset name`)]],
  ['device-type', ['device', oneOf('device-type', ['mobile', 'tablet', 'desktop'])]],
]);

export function parseQueryParams(querystring: string): ParamsParse {
  const requested: Requested = {};
  // A scan by index rather than split('&'): this runs on every viewer request, and most queries name one or two
  // of our parameters among others.
  for (let start = 0; start < querystring.length;) {
    let end = querystring.indexOf('&', start);
    if (end < 0) end = querystring.length;
    let eq = querystring.indexOf('=', start);
    if (eq < 0 || eq > end) eq = end;
    const name = decode(querystring.slice(start, eq))?.toLowerCase();
    const reader = name === undefined ? undefined : READERS.get(name);
    if (reader) {
      const [field, read] = reader;
      const value = decode(querystring.slice(eq + 1, end));
      if (value === undefined) return invalid(`${name} has broken percent-encoding`);
      const parsed = read(value);
      if (typeof parsed === 'string') return invalid(parsed);
      const previous = requested[field];
      if (previous !== undefined && !sameValue(previous, parsed.value)) return invalid(`${name} is given twice with different values`);
      (requested as Record<string, unknown>)[field] = parsed.value;
    }
    start = end + 1;
  }
  return { kind: 'ok', requested };
}

/** Two readings of one parameter mean the same: equal values, or equal lists (`style=`). */
function sameValue(a: Requested[keyof Requested], b: Requested[keyof Requested]): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.join() === b.join());
}

/** Plain decimal digits only, so no sign, exponent, hex, fraction or blank. */
function size(name: string, value: string): { value: number } | string {
  if (!/^[0-9]{1,12}$/.test(value)) return `${name} must be a whole number of pixels, got "${clip(value)}"`;
  const pixels = Number(value);
  return pixels < 1 ? `${name} must be at least 1` : { value: pixels };
}

function dpr(value: string): { value: number } | string {
  const ratio = Number(value);
  if (!/^[0-9](?:\.[0-9]{1,2})?$/.test(value) || ratio < 1 || ratio > 3) return `dpr must be from 1 to 3, got "${clip(value)}"`;
  return { value: ratio };
}

function quality(value: string): { value: number } | string {
  if (!/^[0-9]{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 100) {
    return `quality must be a whole number from 1 to 100, got "${clip(value)}"`;
  }
  return { value: Number(value) };
}

function background(value: string): { value: string } | string {
  const hex = value.toLowerCase().replace(/^#/, '');
  if (/^[0-9a-f]{6}$/.test(hex)) return { value: hex };
  if (/^[0-9a-f]{3}$/.test(hex)) return { value: hex.replace(/./g, (digit) => digit + digit) };
  return `background must be 3 or 6 hex digits such as ff0000, got "${clip(value)}"`;
}

/** A comma-separated list; `default` alone means none. In `STYLES` order, without repeats. */
function styles(value: string): { value: Style[] } | string {
  const named: Style[] = [];
  for (const item of value.split(',')) {
    const style = STYLE_VALUES.get(item.toLowerCase());
    if (style === undefined) return `style must be bw, greyscale, grayscale, blur or default, got "${clip(item)}"`;
    if (style) named.push(style);
  }
  return { value: named.length ? STYLES.filter((style) => named.includes(style)) : named };
}

/** A reader taking one of `allowed`, case-insensitively, after mapping `aliases`. */
function oneOf<T extends string>(name: string, allowed: readonly T[], aliases: Record<string, T> = {}, shown = allowed.join(', ')): Reader {
  return (value) => {
    const lower = value.toLowerCase();
    const canonical = Object.hasOwn(aliases, lower) ? aliases[lower] : lower;
    return (allowed as readonly string[]).includes(canonical as string)
      ? { value: canonical as T }
      : `${name} must be one of ${shown}, got "${clip(value)}"`;
  };
}

/** `+` means space in a query string; undefined when the percent-encoding is broken. Most parts need nothing. */
function decode(text: string): string | undefined {
  if (!ENCODED.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const ENCODED = /[%+]/;

/** Echoing a viewer's value in a reason: short, and printable only. */
function clip(value: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f"]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

function invalid(reason: string): ParamsParse {
  return { kind: 'invalid', reason };
}
