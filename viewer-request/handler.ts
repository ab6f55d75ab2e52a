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
  return async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontRequestResult> {
    const cf = event.Records[0]?.cf;
    if (!cf) {
      log('ERROR', SERVICE, 'event has no CloudFront record');
      return textResponse(500, 'unexpected event', 'no-store');
    }
    const { request } = cf;
    const { requestId } = cf.config;
    const { uri, querystring } = request;
    // One object literal per outcome rather than spreads of a shared one: this runs on every request.
    try {
      const decision = decide(request, config);
      if (decision.action === 'reject') {
        log('INFO', SERVICE, 'bad request', { requestId, uri, querystring, outcome: 'rejected', reason: decision.reason });
        return textResponse(400, decision.reason, config.errorCacheControl);
      }
      if (decision.action === 'rewrite') {
        request.uri = decision.uri;
        request.querystring = '';
      }
      log('INFO', SERVICE, decision.action, { requestId, uri, querystring, outcome: decision.action, key: request.uri });
      return request;
    } catch (error) {
      log('ERROR', SERVICE, 'unexpected error, passing through', { requestId, uri, querystring, error: errorText(error) });
      return request;
    }
  };
}
