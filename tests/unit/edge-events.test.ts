import { describe, expect, it } from 'vitest';
import { originRequest, originResponseEvent, viewerRequestEvent } from '../../local/edge-events';
import { s3Location } from '../../origin-response/s3-origin';

describe('events built from HTTP traffic', () => {
  it('shapes a viewer request as CloudFront does: lower-case names, original case in key, raw query', () => {
    const event = viewerRequestEvent({
      requestId: 'id',
      method: 'GET',
      target: '/my%20cat.jpg?width=200&style=bw',
      clientIp: '127.0.0.1',
      rawHeaders: [
        'Host',
        '127.0.0.1:3000',
        'Accept',
        'image/avif',
        'accept',
        'image/webp',
        'Connection',
        'keep-alive',
      ],
    });
    const { config, request } = event.Records[0]!.cf;
    expect(config).toMatchObject({ eventType: 'viewer-request', requestId: 'id' });
    expect(request).toEqual({
      clientIp: '127.0.0.1',
      method: 'GET',
      uri: '/my%20cat.jpg',
      querystring: 'width=200&style=bw',
      headers: {
        host: [{ key: 'Host', value: '127.0.0.1:3000' }],
        accept: [
          { key: 'Accept', value: 'image/avif' },
          { key: 'accept', value: 'image/webp' },
        ],
      },
    });
    expect(
      viewerRequestEvent({ requestId: 'id', method: 'GET', target: '/a.jpg', clientIp: '::1', rawHeaders: [] })
        .Records[0]!.cf.request.querystring,
    ).toBe('');
  });

  it("gives the origin-response a real-looking S3 origin in us-east-1 and S3's status as a string", () => {
    const request = originRequest('/400w/default/a.jpg', 'edge-resize-local', '127.0.0.1');
    expect(request.origin?.s3).toMatchObject({
      domainName: 'edge-resize-local.s3.us-east-1.amazonaws.com',
      region: 'us-east-1',
      path: '',
    });
    // The handler finds the bucket and region in it as it would in AWS.
    expect(s3Location(request.origin, undefined)).toEqual({
      bucket: 'edge-resize-local',
      region: 'us-east-1',
      prefix: '',
    });
    const event = originResponseEvent('id', request, {
      status: 404,
      statusText: 'Not Found',
      rawHeaders: ['Content-Type', 'application/xml', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5'],
    });
    expect(event.Records[0]!.cf.response).toEqual({
      status: '404',
      statusDescription: 'Not Found',
      headers: { 'content-type': [{ key: 'Content-Type', value: 'application/xml' }] },
    });
    expect(event.Records[0]!.cf.config.eventType).toBe('origin-response');
  });
});
