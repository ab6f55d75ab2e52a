import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import {
  DeployRefused,
  findBehaviour,
  functionName,
  ourAssociations,
  withOurAssociations,
  withoutOurAssociations,
} from '../../deploy/associations';

const ARN = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;
const OURS = {
  viewerRequest: ARN('edge-resize-dev-viewerRequest', 7),
  originResponse: ARN('edge-resize-dev-originResponse', 9),
};
const NAMES = { viewerRequest: 'edge-resize-dev-viewerRequest', originResponse: 'edge-resize-dev-originResponse' };
const OTHER = ARN('auth-at-edge', 12);

function distribution(): DistributionConfig {
  return {
    CallerReference: 'r',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 0, Items: [] },
    DefaultCacheBehavior: {
      TargetOriginId: 's3',
      ViewerProtocolPolicy: 'allow-all',
      LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: 'origin-request', LambdaFunctionARN: OTHER }] },
    },
    CacheBehaviors: {
      Quantity: 1,
      Items: [{ PathPattern: '/images/*', TargetOriginId: 's3', ViewerProtocolPolicy: 'allow-all' }],
    },
  };
}

describe('associations', () => {
  it("reads the function's name from a version ARN", () => {
    expect(functionName(OURS.viewerRequest)).toBe(NAMES.viewerRequest);
    expect(functionName('not an arn')).toBeUndefined();
    expect(functionName(undefined)).toBeUndefined();
  });

  it('finds the default behaviour for "*" and a cache behaviour by its exact pattern', () => {
    const config = distribution();
    expect(findBehaviour(config, '*')).toBe(config.DefaultCacheBehavior);
    expect(findBehaviour(config, '/images/*')).toBe(config.CacheBehaviors?.Items?.[0]);
    expect(findBehaviour(config, 'images/*')).toBeUndefined();
  });

  it('adds ours beside the others, and taking ours away gives the configuration back', () => {
    const before = distribution();
    const attached = withOurAssociations(before, '*', OURS, 'E1');
    expect(ourAssociations(attached.DefaultCacheBehavior)).toEqual(OURS);
    expect(attached.DefaultCacheBehavior?.LambdaFunctionAssociations?.Items).toContainEqual(
      expect.objectContaining({ LambdaFunctionARN: OTHER }),
    );
    expect(before).toEqual(distribution());
    expect(withoutOurAssociations(attached, '*', NAMES, 'E1')).toEqual(before);
  });

  it('replaces an older version of ours', () => {
    const older = withOurAssociations(
      distribution(),
      '/images/*',
      { ...OURS, viewerRequest: ARN(NAMES.viewerRequest, 3) },
      'E1',
    );
    const newer = withOurAssociations(older, '/images/*', OURS, 'E1');
    expect(ourAssociations(findBehaviour(newer, '/images/*'))).toEqual(OURS);
  });

  it('refuses an unversioned ARN, a missing behaviour and an event held by another function', () => {
    expect(() =>
      withOurAssociations(distribution(), '*', { ...OURS, originResponse: ARN('x', 1).replace(/:1$/, '') }, 'E1'),
    ).toThrow(DeployRefused);
    expect(() => withOurAssociations(distribution(), '/none/*', OURS, 'E1')).toThrow(
      /"\/none\/\*".*"\*", "\/images\/\*"/,
    );
    const taken = distribution();
    taken.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0]!.EventType = 'origin-response';
    expect(() => withOurAssociations(taken, '*', OURS, 'E1')).toThrow(new RegExp(`already runs ${OTHER}`));
  });
});
