/**
 * Where a query parameter is read and validated: CloudFront's raw `querystring` (no leading `?`) becomes typed
 * `Requested` values, or a one-line reason to answer 400 with. Nothing is snapped or folded here
 * (`query-fold.ts` does that), so each parameter's rule stands in one place:
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
  FITS,
  OUTPUT_FORMATS,
  POSITIONS,
  STYLES,
  type Fit,
  type OutputFormat,
  type Position,
  type Style,
} from '../shared/options';

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

/** Why a parameter is refused, as a one-line reason. A class, so a value (any string) never passes for one. */
class Refusal {
  constructor(readonly reason: string) {}
}

/** A parameter's reading: its value as is, or its refusal. */
type Reading = NonNullable<Requested[keyof Requested]> | Refusal;
type Reader = (value: string, name: string) => Reading;

const STYLE_VALUES: ReadonlyMap<string, Style | null> = new Map([
  ['bw', 'bw'],
  ['greyscale', 'bw'],
  ['grayscale', 'bw'],
  ['blur', 'blur'],
  ['default', null],
]);

const NO_STYLES: readonly Style[] = [];
const SINGLE_STYLES: Readonly<Record<Style, readonly Style[]>> = { bw: ['bw'], blur: ['blur'] };

/** Our parameters and how each reads; the field it fills is its own name but for these two. */
const READ_AS = {
  width: size,
  height: size,
  dpr,
  fit: oneOf(['inside', ...FITS]),
  position: oneOf(['centre', ...POSITIONS], { center: 'centre' }, 'centre, north, northeast, …, attention'),
  background,
  style: styles,
  format: oneOf([...OUTPUT_FORMATS, 'auto'], { jpg: 'jpeg' }),
  quality,
  dimensions: (v: string) =>
    /^[a-z0-9-]{1,40}$/i.test(v) ? v.toLowerCase() : new Refusal(`dimensions "${clip(v)}" is not a preset name`),
  'device-type': oneOf(['mobile', 'tablet', 'desktop']),
};
const FIELDS: Readonly<Record<string, keyof Requested>> = { style: 'styles', 'device-type': 'device' };

/** Each parameter's reader and the field it fills, found by one lookup per parameter. */
const PARAMETERS: ReadonlyMap<string, { read: Reader; field: keyof Requested }> = new Map(
  Object.entries(READ_AS).map(([name, read]) => [name, { read, field: FIELDS[name] ?? (name as keyof Requested) }]),
);

export function parseQueryParams(querystring: string): ParamsParse {
  // Every field from the start, in one order.
  const requested: Requested = {
    width: undefined,
    height: undefined,
    dpr: undefined,
    fit: undefined,
    position: undefined,
    background: undefined,
    styles: undefined,
    format: undefined,
    quality: undefined,
    dimensions: undefined,
    device: undefined,
  };
  // A scan by index rather than split('&'): this runs on every viewer request. Most query strings need no
  // decoding and hold no capital: then no part is tested for either.
  const encoded = /[%+]/.test(querystring);
  const capitals = /[A-Z]/.test(querystring);
  for (let start = 0, end: number; start < querystring.length; start = end + 1) {
    end = querystring.indexOf('&', start);
    if (end < 0) end = querystring.length;
    let eq = querystring.indexOf('=', start);
    if (eq < 0 || eq > end) eq = end;
    const rawName = encoded ? decode(querystring.slice(start, eq)) : querystring.slice(start, eq);
    const name = capitals || encoded ? rawName?.toLowerCase() : rawName;
    // A name with broken percent-encoding is no parameter of ours, like any unknown name.
    const parameter = name === undefined ? undefined : PARAMETERS.get(name);
    if (name === undefined || !parameter) continue;
    const rawValue = querystring.slice(eq + 1, end);
    const value = encoded ? decode(rawValue) : rawValue;
    if (value === undefined) return invalid(`${name} has broken percent-encoding`);
    const reading = parameter.read(value, name);
    if (reading instanceof Refusal) return invalid(reading.reason);
    const { field } = parameter;
    const previous = requested[field];
    // A repeat must mean the same: equal values, or equal lists (style=).
    if (previous !== undefined && String(previous) !== String(reading)) {
      return invalid(`${name} is given twice with different values`);
    }
    (requested as Record<keyof Requested, unknown>)[field] = reading;
  }
  return { kind: 'ok', requested };
}

/** `name must be rule, got "value"`: the shape of most refusals. */
function must(name: string, rule: string, value: string): Refusal {
  return new Refusal(`${name} must be ${rule}, got "${clip(value)}"`);
}

/** Plain decimal digits only, so no sign, exponent, hex, fraction or blank. */
function size(value: string, name: string): Reading {
  if (!/^[0-9]{1,12}$/.test(value)) return must(name, 'a whole number of pixels', value);
  const pixels = Number(value);
  return pixels < 1 ? new Refusal(`${name} must be at least 1`) : pixels;
}

function dpr(value: string, name: string): Reading {
  const ratio = Number(value);
  const plain = /^[0-9](?:\.[0-9]{1,2})?$/.test(value);
  return plain && ratio >= 1 && ratio <= 3 ? ratio : must(name, 'from 1 to 3', value);
}

function quality(value: string, name: string): Reading {
  const q = Number(value);
  return /^[0-9]{1,3}$/.test(value) && q >= 1 && q <= 100 ? q : must(name, 'a whole number from 1 to 100', value);
}

function background(value: string, name: string): Reading {
  const hex = value.toLowerCase().replace(/^#/, '');
  if (/^[0-9a-f]{6}$/.test(hex)) return hex;
  if (/^[0-9a-f]{3}$/.test(hex)) return hex.replace(/./g, '$&$&');
  return must(name, '3 or 6 hex digits such as ff0000', value);
}

/** A comma-separated list; `default` alone means none. In `STYLES` order, without repeats. */
function styles(value: string, name: string): Reading {
  // One style, the common case: no list to split or sort (the arrays are shared, and never changed).
  const single = value.includes(',') ? undefined : STYLE_VALUES.get(value.toLowerCase());
  if (single !== undefined) return single === null ? NO_STYLES : SINGLE_STYLES[single];
  const named: Style[] = [];
  for (const item of value.split(',')) {
    const style = STYLE_VALUES.get(item.toLowerCase());
    if (style === undefined) return must(name, 'bw, greyscale, grayscale, blur or default', item);
    if (style) named.push(style);
  }
  return named.length ? STYLES.filter((style) => named.includes(style)) : named;
}

/** A reader taking one of `allowed`, case-insensitively, after mapping `aliases`. */
function oneOf(allowed: readonly string[], aliases: Record<string, string> = {}, shown = allowed.join(', ')): Reader {
  return (value, name) => {
    const lower = value.toLowerCase();
    const canonical = Object.hasOwn(aliases, lower) ? aliases[lower]! : lower;
    return allowed.includes(canonical) ? canonical : must(name, `one of ${shown}`, value);
  };
}

/** `+` means space in a query string; undefined when the percent-encoding is broken. Most parts need nothing. */
function decode(text: string): string | undefined {
  if (!/[%+]/.test(text)) return text;
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
