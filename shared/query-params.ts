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
  FITS, OUTPUT_FORMATS, POSITIONS,
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
  ['fit', ['fit', (v) => oneOf('fit', v, ['inside', ...FITS])]],
  ['position', ['position', (v) => oneOf('position', v, ['centre', ...POSITIONS], { center: 'centre' }, 'centre, north, northeast, …, attention')]],
  ['background', ['background', background]],
  ['style', ['styles', styles]],
  ['format', ['format', (v) => oneOf('format', v, [...OUTPUT_FORMATS, 'auto'], { jpg: 'jpeg' })]],
  ['quality', ['quality', quality]],
  ['dimensions', ['dimensions', (v) => (/^[a-z0-9-]{1,40}$/i.test(v) ? { value: v.toLowerCase() } : `dimensions "${clip(v)}" is not a preset name`)]],
  ['device-type', ['device', (v) => oneOf('device-type', v, ['mobile', 'tablet', 'desktop'])]],
]);

export function parseQueryParams(querystring: string): ParamsParse {
  const requested: Requested = {};
  const given = new Map<keyof Requested, string>();
  for (const pair of querystring.split('&')) {
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq))?.toLowerCase();
    const reader = name === undefined ? undefined : READERS.get(name);
    if (!reader) continue;
    const [field, read] = reader;
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    if (value === undefined) return invalid(`${name} has broken percent-encoding`);
    const parsed = read(value);
    if (typeof parsed === 'string') return invalid(parsed);
    const meaning = JSON.stringify(parsed.value);
    if (given.has(field) && given.get(field) !== meaning) return invalid(`${name} is given twice with different values`);
    given.set(field, meaning);
    (requested as Record<string, unknown>)[field] = parsed.value;
  }
  return { kind: 'ok', requested };
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

/** A comma-separated list; `default` alone means none. Sorted and de-duplicated later. */
function styles(value: string): { value: Style[] } | string {
  const result = new Set<Style>();
  for (const item of value.split(',')) {
    const style = STYLE_VALUES.get(item.toLowerCase());
    if (style === undefined) return `style must be bw, greyscale, grayscale, blur or default, got "${clip(item)}"`;
    if (style) result.add(style);
  }
  return { value: [...result].sort() };
}

/** One of `allowed`, case-insensitively, after mapping `aliases`. */
function oneOf<T extends string>(
  name: string, value: string, allowed: readonly T[], aliases: Record<string, T> = {}, shown = allowed.join(', '),
): { value: T } | string {
  const lower = value.toLowerCase();
  const canonical = Object.hasOwn(aliases, lower) ? aliases[lower] : lower;
  return (allowed as readonly string[]).includes(canonical as string)
    ? { value: canonical as T }
    : `${name} must be one of ${shown}, got "${clip(value)}"`;
}

/** `+` means space in a query string; undefined when the percent-encoding is broken. */
function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Echoing a viewer's value in a reason: short, and printable only. */
function clip(value: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f"]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

function invalid(reason: string): ParamsParse {
  return { kind: 'invalid', reason };
}
