/**
 * The viewer-request decision: fold the query's options (and what the headers say of the viewer) into the
 * canonical variant URI, pass everything else through untouched, and answer 400 with a one-line reason for a
 * bad request. Pure: no I/O, no clock.
 */
import type { CloudFrontRequest } from 'aws-lambda';
import type { ViewerConfig } from '../shared/config';
import { hasImageExtension, MAX_URI_LENGTH, pathProblem } from '../shared/image-path';
import { formatVariantKey, parseVariantKey } from '../shared/variant-key';
import { parseQueryOptions } from './query-fold';
import { viewerHints } from './viewer-hints';

export type Decision =
  /** Send the request on unchanged: an original, a non-image, a canonical key. */
  | { action: 'pass' }
  /** Send the request on to the variant's canonical URI, with the query string emptied. */
  | { action: 'rewrite'; uri: string }
  | { action: 'reject'; reason: string };

export function decide(
  request: Pick<CloudFrontRequest, 'uri' | 'querystring' | 'headers'>, config: ViewerConfig,
): Decision {
  const key = parseVariantKey(request.uri, config);
  if (key.kind === 'invalid') return reject(key.reason);
  if (key.kind === 'variant') {
    // Already canonical: idempotent. Options on top of a variant would mean a variant of a variant.
    return parseQueryOptions(request.querystring, request.uri, config).kind === 'none'
      ? { action: 'pass' }
      : reject('options cannot be added to a resized image URI');
  }
  if (!hasImageExtension(request.uri)) return { action: 'pass' };
  const path = request.uri.slice(1);
  const query = parseQueryOptions(request.querystring, path, config, viewerHints(request.headers, config));
  if (query.kind === 'none') return { action: 'pass' };
  if (query.kind === 'invalid') return reject(query.reason);
  const problem = pathProblem(path);
  if (problem) return reject(problem);
  const uri = formatVariantKey({ options: query.options, path });
  // The key reads back as this variant (folded options are canonical and on the policy, the path was checked
  // above): tests/unit/viewer-request-properties.test.ts proves it over random queries and configurations, so it
  // is not parsed again here, on every request. Only the length can still push a key past what the parser takes.
  return uri.length > MAX_URI_LENGTH ? reject('the URI is too long') : { action: 'rewrite', uri };
}

function reject(reason: string): Decision {
  return { action: 'reject', reason };
}
