/**
 * Which cache behaviour path patterns the variant key grammar can honour, and the key prefix each one implies.
 * `*` (the default behaviour) or `/prefix/*` with a literal prefix: every variant of an original under the prefix
 * can then be stored under the same prefix, so variants, redirects and reads stay inside the behaviour and its
 * grants. Any other wildcard (`*.jpg`, `/img?/*`, `/images*`) matches keys no prefix can describe: refused when
 * packaging, before anything is deployed.
 */
import { canonicalPath, pathProblem } from './image-path';
import { keyPrefix } from './variant-key';

export type PatternCheck = { ok: true; prefix: string } | { ok: false; reason: string };

/** Characters CloudFront allows in a path pattern besides the wildcards (its documented set). */
const LITERAL = /^[A-Za-z0-9_\-.$/~"'@:+&]+$/;

/**
 * The S3 key prefix a behaviour's path pattern implies: `''` for `*`, `images/` for `/images/*` (CloudFront also
 * accepts the pattern without its leading `/`), `a/b/` for `/a/b/*`.
 */
export function behaviourPrefix(pathPattern: string): PatternCheck {
  if (pathPattern === '*' || pathPattern === '/*') return { ok: true, prefix: '' };
  const body = pathPattern.startsWith('/') ? pathPattern.slice(1) : pathPattern;
  if (!body.endsWith('/*')) {
    return {
      ok: false,
      reason:
        `pathPattern "${pathPattern}" must be "*" or "/prefix/*": ` +
        'variants of its originals could not stay under one prefix',
    };
  }
  const prefix = body.slice(0, -1);
  if (prefix.includes('*') || prefix.includes('?')) {
    return {
      ok: false,
      reason:
        `pathPattern "${pathPattern}" has a wildcard before its end: ` +
        'only a literal prefix followed by "/*" can hold the variants',
    };
  }
  if (!LITERAL.test(prefix) || prefix.startsWith('/') || prefix.includes('//')) {
    return {
      ok: false,
      reason: `pathPattern "${pathPattern}" has a prefix CloudFront or S3 keys cannot match literally`,
    };
  }
  // The viewer puts every URI in one percent-encoding before matching the prefix: it must read the same there.
  if (canonicalPath(prefix) !== prefix || pathProblem(prefix.slice(0, -1))) {
    return {
      ok: false,
      reason:
        `pathPattern "${pathPattern}" has a prefix the variant keys would spell differently: ` +
        'use letters, digits, "-", ".", "_" and "~", and no "." or ".." folder',
    };
  }
  return { ok: true, prefix: keyPrefix({ pathPattern }) };
}
