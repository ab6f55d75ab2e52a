import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordGenerated, recordRefusal, recordS3Error } from '../../origin-response/metrics';

interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [name: string]: unknown;
}

let lines: string[] = [];
const write = process.stdout.write.bind(process.stdout);
beforeEach(() => {
  lines = [];
  process.stdout.write = (chunk: string | Uint8Array) => (lines.push(String(chunk)), true);
});
afterEach(() => {
  process.stdout.write = write;
});

/** The EMF objects written since the test began. */
const emf = () =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);

describe('metrics', () => {
  it('writes one EMF object per generated variant, with each figure as given', () => {
    const g = {
      bytesIn: 123456,
      bytesOut: 7890,
      s3GetMs: 12,
      transformMs: 34,
      s3PutMs: 5,
      stored: true,
      redirected: false,
    };
    recordGenerated(g);
    const [object, ...rest] = emf();
    expect(rest).toEqual([]);
    expect(object?._aws.CloudWatchMetrics[0]?.Namespace).toBe('EdgeResize');
    expect(object).toMatchObject({
      VariantGenerated: 1,
      VariantStored: Number(g.stored),
      VariantRedirected: Number(g.redirected),
      BytesIn: g.bytesIn,
      BytesOut: g.bytesOut,
      S3GetMs: g.s3GetMs,
      TransformMs: g.transformMs,
      S3PutMs: g.s3PutMs,
    });
  });

  it('counts a refusal by its reason, and an S3 error by operation and code', () => {
    recordRefusal('over-budget');
    recordS3Error('PutObject', 'AccessDenied');
    recordS3Error('GetObject', undefined);
    const [refusal, put, get] = emf();
    expect(refusal).toMatchObject({ Refused: 1, Reason: 'over-budget' });
    expect(put).toMatchObject({ S3Error: 1, Operation: 'PutObject', Code: 'AccessDenied' });
    expect(get).toMatchObject({ S3Error: 1, Operation: 'GetObject', Code: 'none' });
    expect(put?._aws.CloudWatchMetrics[0]?.Dimensions.flat()).toEqual(expect.arrayContaining(['Operation', 'Code']));
  });
});
