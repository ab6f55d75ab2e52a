/**
 * CloudWatch Embedded Metric Format, through AWS Lambda Powertools' Metrics: one EMF object per event that did
 * work, so CloudWatch graphs variants generated, bytes, time per stage and refusals by reason with no API call.
 * (The viewer-request writes no metrics: Powertools would multiply its bundle.)
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RefusalCode } from './transform';

const metrics = new Metrics({ namespace: 'EdgeResize', serviceName: 'edge-resize-origin-response' });

export interface Generated {
  bytesIn: number;
  bytesOut: number;
  s3GetMs: number;
  transformMs: number;
  s3PutMs: number;
  stored: boolean;
  redirected: boolean;
}

export function recordGenerated(g: Generated): void {
  metrics.addMetric('VariantGenerated', MetricUnit.Count, 1);
  metrics.addMetric('VariantStored', MetricUnit.Count, g.stored ? 1 : 0);
  metrics.addMetric('VariantRedirected', MetricUnit.Count, g.redirected ? 1 : 0);
  metrics.addMetric('BytesIn', MetricUnit.Bytes, g.bytesIn);
  metrics.addMetric('BytesOut', MetricUnit.Bytes, g.bytesOut);
  metrics.addMetric('S3GetMs', MetricUnit.Milliseconds, g.s3GetMs);
  metrics.addMetric('TransformMs', MetricUnit.Milliseconds, g.transformMs);
  metrics.addMetric('S3PutMs', MetricUnit.Milliseconds, g.s3PutMs);
  metrics.publishStoredMetrics();
}

/**
 * A refusal, by reason: a broken or hostile original, an origin that could not be read in time, or a transform
 * process that ended without an answer.
 */
export function recordRefusal(reason: RefusalCode | 'too-large' | 's3-unavailable' | 'transform-crashed'): void {
  metrics.addDimension('Reason', reason);
  metrics.addMetric('Refused', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** An error S3 answered the function's own GetObject or PutObject with, by operation and S3's error code. */
export function recordS3Error(operation: 'GetObject' | 'PutObject', code: string | undefined): void {
  metrics.addDimensions({ Operation: operation, Code: code ?? 'none' });
  metrics.addMetric('S3Error', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
