/**
 * The path part of a URI: which originals we act on, and which paths are safe to turn into S3 keys.
 *
 * Paths stay percent-encoded exactly as CloudFront handed them over (so the URI we write back is the one the
 * viewer sent); they are decoded only to be checked here and, in the origin-response, to become an S3 key.
 */

/** Extensions of originals we resize (compared in lower case). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'avif',
  'tif',
  'tiff',
]);

/** CloudFront refuses URIs (with query) of 8,192 characters or more; we hold keys to the same bound. */
export const MAX_URI_LENGTH = 8191;

/** True when the encoded path (with or without a leading slash) names a file with an image extension. */
export function hasImageExtension(encodedPath: string): boolean {
  const dot = encodedPath.lastIndexOf('.');
  if (dot < 0 || encodedPath.indexOf('/', dot) >= 0) return false;
  return IMAGE_EXTENSIONS.has(encodedPath.slice(dot + 1).toLowerCase());
}

/** A path with no `%`, `\\` or control character and no segment that is empty, `.` or `..`. */
// eslint-disable-next-line no-control-regex
const PLAIN_SAFE_PATH = /^(?!(?:.*\/)?\.{0,2}(?:\/|$))[^%\\\u0000-\u001f\u007f]*$/;

/**
 * Why an encoded path (no leading slash, e.g. `photos/2019/my%20cat.jpg`) cannot become an S3 key, or
 * `undefined` when it can. Refused: empty or dot segments, broken percent-encoding, encoded slashes or
 * backslashes (they would change the segments S3 sees), control characters.
 */
export function pathProblem(encodedPath: string): string | undefined {
  // The common case in one test: nothing to decode, no empty or dot segment, no backslash or control character.
  if (PLAIN_SAFE_PATH.test(encodedPath)) return undefined;
  if (encodedPath.length === 0) return 'the path is empty';
  for (const segment of encodedPath.split('/')) {
    if (segment === '') return 'the path has an empty segment';
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'the path has broken percent-encoding';
    }
    if (decoded === '.' || decoded === '..') return 'the path has a dot segment';
    if (/[/\\]/.test(decoded)) return 'the path has an encoded slash or backslash';
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return 'the path has a control character';
  }
  return undefined;
}

/**
 * The S3 key for an encoded path that passed `pathProblem`: decoded as S3's REST endpoint decodes a URL path
 * (`+` is a space, a literal plus arrives as `%2B`), no leading slash. So the variant of URL X is made from the
 * object S3 serves at X, and stored at the key S3 looks up for the variant's URL.
 */
export function decodePath(encodedPath: string): string {
  return decodeURIComponent(encodedPath.replace(/\+/g, ' '));
}

/** Characters RFC 3986 leaves unreserved, plus the path's own `/`: the canonical path spells these as they are. */
const CANONICAL_PLAIN = /^[\w.~/-]*$/;

/**
 * The one spelling of an encoded path (or URI) that means what S3 reads from it: unreserved characters
 * (`A-Z a-z 0-9 - . _ ~`) decoded, every other byte as upper-case `%XX`, `/` kept, and `+`, which S3 reads as
 * a space, written `%20` (a literal plus is `%2B`). A path with broken percent-encoding is returned as it is, for
 * `pathProblem` to refuse. `canonicalPath(canonicalPath(p)) === canonicalPath(p)`.
 */
export function canonicalPath(encoded: string): string {
  if (CANONICAL_PLAIN.test(encoded)) return encoded;
  try {
    // encodeURIComponent leaves `!'()*` as they are; RFC 3986 reserves them.
    return encoded
      .split('/')
      .map((segment) =>
        encodeURIComponent(decodeURIComponent(segment.replace(/\+/g, '%20'))).replace(
          /[!'()*]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        ),
      )
      .join('/');
  } catch {
    return encoded;
  }
}
