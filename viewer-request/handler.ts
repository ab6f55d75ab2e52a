/**
 * The viewer-request handler: applies `decide` to the request and answers CloudFront. Never throws: an
 * unexpected failure passes the request through untouched (the viewer gets the original) and logs why.
 */
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';
import { textResponse } from '../shared/cloudfront';
import type { ViewerConfig } from '../shared/config';
import { errorText, log } from '../shared/log';
import { decide } from './rewrite';

const SERVICE = 'edge-resize-viewer-request';

export function createViewerRequestHandler(config: ViewerConfig) {
  // eslint-disable-next-line @typescript-eslint/require-await -- async so that even an unforeseen throw is a rejection
  return async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontRequestResult> {
    const cf = event.Records[0]?.cf;
    if (!cf) {
      log('ERROR', SERVICE, 'event has no CloudFront record');
      return textResponse(500, 'unexpected event', 'no-store');
    }
    const { request } = cf;
    const { requestId } = cf.config;
    const { uri } = request;
    // An empty query string is left out of the line, and `key` is written only for a rewrite (a pass's key is its
    // URI): every byte of the line is written on every request. One object literal per outcome rather than
    // spreads of a shared one, for the same reason.
    const querystring = request.querystring || undefined;
    try {
      const decision = decide(request, config);
      if (decision.action === 'reject') {
        const { reason } = decision;
        log('INFO', SERVICE, 'bad request', { requestId, uri, querystring, outcome: 'rejected', reason });
        return textResponse(decision.status ?? 400, reason, config.errorCacheControl);
      }
      if (decision.action === 'rewrite') {
        request.uri = decision.uri;
        request.querystring = '';
        log('INFO', SERVICE, 'rewrite', { requestId, uri, querystring, outcome: 'rewrite', key: decision.uri });
      } else {
        log('INFO', SERVICE, 'pass', { requestId, uri, querystring, outcome: 'pass' });
      }
      return request;
    } catch (error) {
      const fields = { requestId, uri, querystring, error: errorText(error) };
      log('ERROR', SERVICE, 'unexpected error, passing through', fields);
      return request;
    }
  };
}
