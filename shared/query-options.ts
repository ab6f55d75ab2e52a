/**
 * Where a query parameter becomes a typed option: parses CloudFront's raw `querystring` (no leading `?`) into
 * `VariantOptions`, validated and snapped onto the size policy, or a one-line reason to answer 400 with.
 *
 * Parameters (names are case-insensitive; unknown ones such as `utm_source` are ignored):
 *   width=N    maximum output width, a positive whole number of pixels, snapped onto the size policy
 *   height=N   maximum output height, likewise
 *   style=S    `bw` (aliases `greyscale`, `grayscale`) or `default`
 * A parameter may repeat with the same meaning (`style=bw&style=grey`); repeats that disagree are refused.
 */
import type { SizePolicy } from './config';
import { isIdentity, type Style, type VariantOptions } from './options';
import { snapSize } from './size-policy';

export type QueryParse =
  /** No option of ours (or only defaults): the request is for the original and is left alone. */
  | { kind: 'none' }
  | { kind: 'options'; options: VariantOptions }
  | { kind: 'invalid'; reason: string };

/** Accepted `style` values; `null` is the explicit default (no style). */
const STYLE_VALUES: ReadonlyMap<string, Style | null> = new Map([
  ['bw', 'bw'], ['greyscale', 'bw'], ['grayscale', 'bw'], ['default', null],
]);

type OptionName = 'width' | 'height' | 'style';
/** What each option was given as, before snapping; `null` is an explicit `style=default`. */
type Given = Map<OptionName, number | Style | null>;

export function parseQueryOptions(querystring: string, sizes: SizePolicy): QueryParse {
  const given: Given = new Map();
  for (const pair of querystring.split('&')) {
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq))?.toLowerCase();
    if (name !== 'width' && name !== 'height' && name !== 'style') continue;
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    if (value === undefined) return invalid(`${name} has broken percent-encoding`);
    const parsed = name === 'style' ? parseStyleValue(value) : parseSize(name, value);
    if (typeof parsed === 'string') return invalid(parsed);
    if (given.has(name) && given.get(name) !== parsed.value) {
      return invalid(`${name} is given twice with different values`);
    }
    given.set(name, parsed.value);
  }
  return toOptions(given, sizes);
}

function toOptions(given: Given, sizes: SizePolicy): QueryParse {
  const style = given.get('style') as Style | null | undefined;
  const width = given.get('width') as number | undefined;
  const height = given.get('height') as number | undefined;
  const options: VariantOptions = { styles: style ? [style] : [] };
  if (width !== undefined) options.width = snapSize(width, sizes);
  if (height !== undefined) options.height = snapSize(height, sizes);
  return isIdentity(options) ? { kind: 'none' } : { kind: 'options', options };
}

/** A size as the viewer wrote it: plain decimal digits only, so no sign, exponent, hex, fraction or blank. */
function parseSize(name: string, value: string): { value: number } | string {
  if (!/^[0-9]{1,12}$/.test(value)) return `${name} must be a whole number of pixels, got "${clip(value)}"`;
  const size = Number(value);
  if (size < 1) return `${name} must be at least 1`;
  return { value: size };
}

function parseStyleValue(value: string): { value: Style | null } | string {
  const style = STYLE_VALUES.get(value.toLowerCase());
  if (style === undefined) return `style must be one of bw, greyscale, grayscale, default, got "${clip(value)}"`;
  return { value: style };
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

function invalid(reason: string): QueryParse {
  return { kind: 'invalid', reason };
}
