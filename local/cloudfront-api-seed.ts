/**
 * A distribution as a user meets us with it: already serving a site and an API, a private bucket behind Origin
 * Access Control, and settings newer than the aws-sdk v2 model inside Serverless 3 (`AnycastIpListId`,
 * `ConnectionMode`, `GrpcConfig`, `S3OriginConfig.OriginReadTimeout`, `ResponseCompletionTimeout`,
 * `VpcOriginConfig`), plus two CloudFront Functions on the app's behaviour. Written as CloudFront's
 * GetDistributionConfig answers it.
 */
export interface SeedOptions {
  /** The images bucket behind the `photos` origin. */
  bucket: string;
  /** Lambda@Edge associations already on the default behaviour, as `[eventType, versionArn]`. */
  defaultAssociations?: [string, string][];
}

const NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

export function existingDistributionXml(options: SeedOptions): string {
  const lambdas = options.defaultAssociations ?? [];
  const lambdaXml =
    lambdas.length === 0
      ? '<LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>'
      : `<LambdaFunctionAssociations><Quantity>${lambdas.length}</Quantity><Items>${lambdas
          .map(
            ([eventType, arn]) =>
              `<LambdaFunctionAssociation><LambdaFunctionARN>${arn}</LambdaFunctionARN>` +
              `<EventType>${eventType}</EventType>` +
              '<IncludeBody>false</IncludeBody></LambdaFunctionAssociation>',
          )
          .join('')}</Items></LambdaFunctionAssociations>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="${NAMESPACE}">
  <CallerReference>shop-frontend-2023-03-14</CallerReference>
  <Aliases><Quantity>2</Quantity><Items><CNAME>www.example.com</CNAME><CNAME>images.example.com</CNAME></Items>
    </Aliases>
  <DefaultRootObject>index.html</DefaultRootObject>
  <Origins><Quantity>3</Quantity><Items>
    <Origin>
      <Id>photos</Id>
      <DomainName>${options.bucket}.s3.us-east-1.amazonaws.com</DomainName>
      <OriginPath></OriginPath>
      <CustomHeaders><Quantity>0</Quantity></CustomHeaders>
      <S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity><OriginReadTimeout>45</OriginReadTimeout>
        </S3OriginConfig>
      <ConnectionAttempts>3</ConnectionAttempts>
      <ConnectionTimeout>10</ConnectionTimeout>
      <ResponseCompletionTimeout>90</ResponseCompletionTimeout>
      <OriginShield><Enabled>true</Enabled><OriginShieldRegion>us-east-1</OriginShieldRegion></OriginShield>
      <OriginAccessControlId>E2ABCDEFGHIJKL</OriginAccessControlId>
    </Origin>
    <Origin>
      <Id>app</Id>
      <DomainName>app-lb-1234567890.us-east-1.elb.amazonaws.com</DomainName>
      <OriginPath>/v2</OriginPath>
      <CustomHeaders><Quantity>1</Quantity><Items>
        <OriginCustomHeader><HeaderName>X-Origin-Verify</HeaderName><HeaderValue>s3cr3t-from-cloudfront</HeaderValue>
          </OriginCustomHeader>
      </Items></CustomHeaders>
      <CustomOriginConfig>
        <HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy>
        <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
        <OriginReadTimeout>60</OriginReadTimeout><OriginKeepaliveTimeout>30</OriginKeepaliveTimeout>
        <IpAddressType>dualstack</IpAddressType>
      </CustomOriginConfig>
      <ConnectionAttempts>2</ConnectionAttempts>
      <ConnectionTimeout>5</ConnectionTimeout>
      <OriginShield><Enabled>false</Enabled></OriginShield>
      <OriginAccessControlId></OriginAccessControlId>
    </Origin>
    <Origin>
      <Id>internal-api</Id>
      <DomainName>internal-api.vpc.example.internal</DomainName>
      <OriginPath></OriginPath>
      <CustomHeaders><Quantity>0</Quantity></CustomHeaders>
      <VpcOriginConfig>
        <VpcOriginId>vo_0123456789abcdef0</VpcOriginId><OwnerAccountId>210987654321</OwnerAccountId>
        <OriginReadTimeout>40</OriginReadTimeout><OriginKeepaliveTimeout>15</OriginKeepaliveTimeout>
      </VpcOriginConfig>
      <ConnectionAttempts>3</ConnectionAttempts>
      <ConnectionTimeout>10</ConnectionTimeout>
      <OriginShield><Enabled>false</Enabled></OriginShield>
      <OriginAccessControlId></OriginAccessControlId>
    </Origin>
  </Items></Origins>
  <OriginGroups><Quantity>0</Quantity></OriginGroups>
  <DefaultCacheBehavior>
    <TargetOriginId>photos</TargetOriginId>
    <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
    <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
    <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
    <AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items>
      <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods>
        </AllowedMethods>
    <SmoothStreaming>false</SmoothStreaming>
    <Compress>true</Compress>
    ${lambdaXml}
    <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
    <FieldLevelEncryptionId></FieldLevelEncryptionId>
    <RealtimeLogConfigArn>arn:aws:cloudfront::123456789012:realtime-log-config/shop-frontend</RealtimeLogConfigArn>
    <CachePolicyId>edge-resize-cache-policy-id</CachePolicyId>
    <ResponseHeadersPolicyId>67f7725c-6f97-4210-82d7-5512b31e9d03</ResponseHeadersPolicyId>
  </DefaultCacheBehavior>
  <CacheBehaviors><Quantity>3</Quantity><Items>
    <CacheBehavior>
      <PathPattern>/images/*</PathPattern>
      <TargetOriginId>photos</TargetOriginId>
      <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
      <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
      <ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>
      <AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items>
        <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods>
          </AllowedMethods>
      <SmoothStreaming>false</SmoothStreaming>
      <Compress>false</Compress>
      <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
      <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
      <FieldLevelEncryptionId></FieldLevelEncryptionId>
      <CachePolicyId>edge-resize-cache-policy-id</CachePolicyId>
    </CacheBehavior>
    <CacheBehavior>
      <PathPattern>/app/*</PathPattern>
      <TargetOriginId>app</TargetOriginId>
      <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
      <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
      <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
      <AllowedMethods><Quantity>7</Quantity><Items><Method>HEAD</Method><Method>DELETE</Method><Method>POST</Method>
        <Method>GET</Method><Method>OPTIONS</Method><Method>PUT</Method><Method>PATCH</Method></Items>
        <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods>
          </AllowedMethods>
      <SmoothStreaming>false</SmoothStreaming>
      <Compress>true</Compress>
      <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
      <FunctionAssociations><Quantity>2</Quantity><Items>
        <FunctionAssociation><FunctionARN>arn:aws:cloudfront::123456789012:function/spa-rewrite</FunctionARN>
          <EventType>viewer-request</EventType></FunctionAssociation>
        <FunctionAssociation><FunctionARN>arn:aws:cloudfront::123456789012:function/security-headers</FunctionARN>
          <EventType>viewer-response</EventType></FunctionAssociation>
      </Items></FunctionAssociations>
      <FieldLevelEncryptionId></FieldLevelEncryptionId>
      <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>
      <OriginRequestPolicyId>216adef6-5c7f-47e4-b989-5492eafa07d3</OriginRequestPolicyId>
    </CacheBehavior>
    <CacheBehavior>
      <PathPattern>/grpc.*</PathPattern>
      <TargetOriginId>internal-api</TargetOriginId>
      <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
      <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
      <ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>
      <AllowedMethods><Quantity>7</Quantity><Items><Method>HEAD</Method><Method>DELETE</Method><Method>POST</Method>
        <Method>GET</Method><Method>OPTIONS</Method><Method>PUT</Method><Method>PATCH</Method></Items>
        <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods>
          </AllowedMethods>
      <SmoothStreaming>false</SmoothStreaming>
      <Compress>false</Compress>
      <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
      <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
      <FieldLevelEncryptionId></FieldLevelEncryptionId>
      <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>
      <OriginRequestPolicyId>b689b0a8-53d0-40ab-baf2-68738e2966ac</OriginRequestPolicyId>
      <GrpcConfig><Enabled>true</Enabled></GrpcConfig>
    </CacheBehavior>
  </Items></CacheBehaviors>
  <CustomErrorResponses><Quantity>1</Quantity><Items>
    <CustomErrorResponse><ErrorCode>404</ErrorCode><ResponsePagePath>/404.html</ResponsePagePath>
      <ResponseCode>404</ResponseCode><ErrorCachingMinTTL>60</ErrorCachingMinTTL></CustomErrorResponse>
  </Items></CustomErrorResponses>
  <Comment>shop frontend and product images</Comment>
  <Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>shop-logs.s3.amazonaws.com</Bucket>
    <Prefix>cloudfront/</Prefix></Logging>
  <PriceClass>PriceClass_100</PriceClass>
  <Enabled>true</Enabled>
  <ViewerCertificate>
    <ACMCertificateArn>${CERTIFICATE_ARN}</ACMCertificateArn>
    <SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion>
    <Certificate>${CERTIFICATE_ARN}</Certificate>
    <CertificateSource>acm</CertificateSource>
  </ViewerCertificate>
  <Restrictions><GeoRestriction><RestrictionType>blacklist</RestrictionType><Quantity>1</Quantity><Items>
    <Location>KP</Location></Items></GeoRestriction></Restrictions>
  <WebACLId>arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111</WebACLId>
  <HttpVersion>http2and3</HttpVersion>
  <IsIPV6Enabled>true</IsIPV6Enabled>
  <ContinuousDeploymentPolicyId></ContinuousDeploymentPolicyId>
  <Staging>false</Staging>
  <AnycastIpListId>aip_0123456789abcdef</AnycastIpListId>
  <ConnectionMode>direct</ConnectionMode>
</DistributionConfig>
`;
}

/** The distribution's ids in the mock, so tests and the seed agree. */
export const EXISTING_DISTRIBUTION = { id: 'E2QWRUHEXAMPLE', domainName: 'd111111abcdef8.cloudfront.net' } as const;
