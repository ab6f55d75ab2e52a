/**
 * The viewer-request decision: fold the query's options (and what the headers say of the viewer) into the
 * canonical variant URI, pass everything else through untouched, and answer 400 with a one-line reason for a
 * bad request. Every variant URI is first put in the one percent-encoding S3 reads the same way
 * (`canonicalPath`), so alternative spellings of a key share one cache entry: a key in another spelling is
 * rewritten, not refused. Unsigned requests are held to the allow-list; signed ones to the policy. Pure: no I/O,
 * no clock.
 */
import type { CloudFrontRequest } from 'aws-lambda';
import type { ViewerConfig } from '../shared/config';
import { canonicalPath, hasImageExtension, MAX_URI_LENGTH } from '../shared/image-path';
import { sourceFormat, type VariantOptions } from '../shared/options';
import { allowListProblem } from '../shared/policy';
import { formatVariantKey, keyPrefix, originalPathProblem, parseVariantKey } from '../shared/variant-key';
import { parseQueryOptions, signedKeyOf } from './query-fold';
import { signatureMatches, signatureParam } from './signature';
import { viewerHints } from './viewer-hints';

export type Decision =
  /** Send the request on unchanged: an original, a non-image, a canonical key, a URI outside the prefix. */
  | { action: 'pass' }
  /** Send the request on to the variant's canonical URI, with the query string emptied. */
  | { action: 'rewrite'; uri: string }
  /** 400 (a bad request), or 403 (a signature that does not match). */
  | { action: 'reject'; reason: string; status?: 403 };

export function decide(
  request: Pick<CloudFrontRequest, 'uri' | 'querystring' | 'headers'>,
  config: ViewerConfig,
): Decision {
  const { querystring } = request;
  const uri = canonicalPath(request.uri);
  // Outside the behaviour's prefix: not this behaviour's URI (CloudFront routes none here), left alone.
  if (!uri.startsWith(keyPrefix(config), 1)) return { action: 'pass' };
  const key = parseVariantKey(uri, config);
  if (key.kind === 'invalid') return reject(key.reason);
  if (key.kind === 'variant') {
    // Options on top of a variant would mean a variant of a variant.
    if (parseQueryOptions(querystring, uri, config).kind !== 'none') {
      return reject('options cannot be added to a resized image URI');
    }
    return (
      admit(key.variant.options, key.variant.path, () => uri, querystring, config) ??
      (uri === request.uri ? { action: 'pass' } : { action: 'rewrite', uri })
    );
  }
  if (!hasImageExtension(uri)) return { action: 'pass' };
  const path = uri.slice(1);
  const query = parseQueryOptions(querystring, path, config, viewerHints(request.headers, config));
  if (query.kind === 'none') return { action: 'pass' };
  if (query.kind === 'invalid') return reject(query.reason);
  const problem = originalPathProblem(path, config);
  if (problem) return reject(problem);
  const variantUri = formatVariantKey({ options: query.options, path }, config);
  // The key reads back as this variant (folded options are canonical and on the policy, the path was checked
  // above): tests/unit/rewrite.test.ts proves it over random queries and configurations, so it
  // is not parsed again here, on every request. Only the length can still push a key past what the parser takes.
  if (variantUri.length > MAX_URI_LENGTH) return reject('the URI is too long');
  return (
    admit(query.options, path, () => signedKeyOf(path, querystring, config), querystring, config) ?? {
      action: 'rewrite',
      uri: variantUri,
    }
  );
}

/**
 * `undefined` when these options may be generated for this request: signed (`s=` over `subject()`, when signing
 * keys are set) or on the allow-list. Otherwise the refusal.
 */
function admit(
  options: VariantOptions,
  path: string,
  subject: () => string | undefined,
  querystring: string,
  config: ViewerConfig,
): Decision | undefined {
  const keys = config.signingKeys;
  const signature = keys.length ? signatureParam(querystring) : undefined;
  if (signature !== undefined) {
    return signatureMatches(subject(), signature, keys)
      ? undefined
      : { action: 'reject', reason: 'the signature does not match', status: 403 };
  }
  const problem = allowListProblem(options, sourceFormat(path), config);
  return problem ? reject(problem) : undefined;
}

function reject(reason: string): Decision {
  return { action: 'reject', reason };
}
