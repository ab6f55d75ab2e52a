// serverless.yml's resources for `--param kmsKeyArn`: a role policy granting kms:Decrypt and kms:GenerateDataKey
// on that key, or nothing at all without it (no resource, so no empty ARN in the template).
'use strict';

module.exports = async ({ resolveVariable }) => {
  const key = await resolveVariable('param:kmsKeyArn');
  if (!key) return {};
  if (!/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:(key|alias)\/[\w/-]+$/.test(key)) {
    throw new Error(`--param kmsKeyArn=${key} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
  }
  return {
    Resources: {
      EdgeResizeKmsPolicy: {
        Type: 'AWS::IAM::RolePolicy',
        Properties: {
          RoleName: { Ref: 'EdgeResizeRole' },
          PolicyName: 'edge-resize-kms',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: key }],
          },
        },
      },
    },
  };
};
