import { describe, expect, it } from 'vitest';
import { s3Location } from '../../origin-response/s3-origin';

function origin(domainName: string, region = '', path = '') {
  return { s3: { authMethod: 'origin-access-identity' as const, customHeaders: {}, domainName, path, region } };
}

describe('s3Location', () => {
  it.each([
    ['photos.s3.amazonaws.com', '', { bucket: 'photos', region: undefined, prefix: '' }],
    ['photos.s3.eu-west-1.amazonaws.com', '', { bucket: 'photos', region: 'eu-west-1', prefix: '' }],
    ['photos.s3.eu-west-1.amazonaws.com', 'eu-west-1', { bucket: 'photos', region: 'eu-west-1', prefix: '' }],
    ['photos.s3-eu-west-1.amazonaws.com', '', { bucket: 'photos', region: 'eu-west-1', prefix: '' }],
    ['my.photos.s3.amazonaws.com', 'us-east-1', { bucket: 'my.photos', region: 'us-east-1', prefix: '' }],
    ['my.s3.photos.s3.ap-south-1.amazonaws.com', '', { bucket: 'my.s3.photos', region: 'ap-south-1', prefix: '' }],
    ['photos.s3.cn-north-1.amazonaws.com.cn', '', { bucket: 'photos', region: 'cn-north-1', prefix: '' }],
  ])('%s (region %j) is %j', (domain, region, expected) => {
    expect(s3Location(origin(domain, region), undefined)).toEqual(expected);
  });

  it('turns the origin path into a key prefix', () => {
    expect(s3Location(origin('photos.s3.amazonaws.com', 'us-east-1', '/images'), undefined)?.prefix).toBe('images/');
    expect(s3Location(origin('photos.s3.amazonaws.com', 'us-east-1', '/a/b/'), undefined)?.prefix).toBe('a/b/');
  });

  it('uses the configured bucket over the origin', () => {
    expect(s3Location(origin('photos.s3.amazonaws.com', 'eu-west-1'), 'other')).toEqual({
      bucket: 'other',
      region: 'eu-west-1',
      prefix: '',
    });
    expect(s3Location({ custom: { domainName: 'example.org' } } as never, 'other')?.bucket).toBe('other');
  });

  it('has no bucket for a custom origin without configuration', () => {
    expect(s3Location({ custom: { domainName: 'example.org' } } as never, undefined)).toBeUndefined();
    expect(s3Location(origin('example.org'), undefined)).toBeUndefined();
  });
});
