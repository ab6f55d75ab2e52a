/**
 * Not shipped: the key grammar without the viewer-request's refusal of keys off the policy or not in canonical
 * form, built in place of shared/variant-key.ts wherever a bench build of the viewer-request imports it (only
 * rewrite.ts does), so the bench can weigh what that refusal adds to the bundle (bench/viewer-bundle.ts). The
 * origin-response would still refuse such a key (it never generates one); the viewer would only hear so after
 * S3's miss, and each try would cost a run. The grammar is read here by the same rules as in variant-key.ts.
 */
import type { ViewerConfig } from '../../shared/config';
import { hasImageExtension } from '../../shared/image-path';
import {
  FITS, isIdentity, OUTPUT_FORMATS, POSITIONS, STYLES, type Fit, type OutputFormat, type Position, type Style,
  type VariantOptions,
} from '../../shared/options';
import type { KeyParse } from '../../shared/variant-key';

export { formatVariantKey, originalPathProblem } from '../../shared/variant-key';

const DIMS = /^(?:([1-9][0-9]{0,4})h)?(?:([1-9][0-9]{0,4})w)?(?:-([a-z]+)(?:-([0-9a-z]+))?)?$/;
const STYLE_SEGMENT = new RegExp(
  `^(${STYLES.map((style) => `(?:${style}-)?`).join('')})(?:(${OUTPUT_FORMATS.join('|')})-)?(?:q([1-9][0-9]{0,2})-)?$`,
);

export function parseVariantKey(uri: string, _config: ViewerConfig): KeyParse {
  const [, dimsSegment, styleSegment, path] = /^\/([^/]+)\/([^/]+)\/(.+)$/.exec(uri) ?? [];
  if (dimsSegment === undefined || styleSegment === undefined || path === undefined) return { kind: 'not-variant' };
  const options: VariantOptions = { styles: [] };
  if (dimsSegment !== 'default') {
    const [, height, width, fit, modifier] = DIMS.exec(dimsSegment) ?? [];
    if (height === undefined && width === undefined) return { kind: 'not-variant' };
    if (height !== undefined) options.height = Number(height);
    if (width !== undefined) options.width = Number(width);
    if (fit !== undefined && !(FITS as readonly string[]).includes(fit)) return { kind: 'not-variant' };
    options.fit = fit as Fit | undefined;
    if (modifier !== undefined) {
      if (fit === 'cover' && (POSITIONS as readonly string[]).includes(modifier)) options.position = modifier as Position;
      else if (fit === 'contain' && /^[0-9a-f]{6}$/.test(modifier)) options.background = modifier;
      else return { kind: 'not-variant' };
    }
  }
  if (styleSegment !== 'default') {
    const [, styles, format, quality] = STYLE_SEGMENT.exec(`${styleSegment}-`) ?? [];
    if (styles === undefined || Number(quality) > 100) return { kind: 'not-variant' };
    options.styles = styles ? (styles.slice(0, -1).split('-') as Style[]) : [];
    options.format = format as OutputFormat | undefined;
    options.quality = quality === undefined ? undefined : Number(quality);
  }
  if (!hasImageExtension(path) || isIdentity(options)) return { kind: 'not-variant' };
  return { kind: 'variant', variant: { options, path } };
}
