/**
 * `npm run verify`: does the distribution run our pair, and does it work? Reads the distribution (both published
 * versions on the intended behaviour, its origin the configured bucket), then asks for a `?width=` variant that
 * is not stored yet twice (a generated miss, then a hit, by `X-Cache`) and finds it in S3. One line per check;
 * each failure says how to fix it.
 */
import {
  GetDistributionConfigCommand,
  type CloudFrontClient,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';
import { headers } from '../shared/cloudfront';
import { decodePath } from '../shared/image-path';
import { s3Error, s3Location } from '../origin-response/s3-origin';
import { findBehaviour, ourAssociations, type OurFunctions } from './associations';

export interface VerifyOptions {
  cloudFront: CloudFrontClient;
  distributionId: string;
  pathPattern: string;
  bucket: string;
  /** The published version ARNs that should be attached. */
  expected: OurFunctions;
  /** An original's URL through the distribution (`https://<domain>/<key>`); without it, no request checks. */
  url?: string;
  /** The deployed viewer-request's logic, to know which key a `?width=` request becomes. */
  viewerRequest: (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult>;
  /** An S3 client for the bucket's region (default: one from the standard configuration chain). */
  s3?: S3Client;
}

export interface Check {
  ok: boolean;
  line: string;
}

/** Widths asked for, in turn, until one gives a variant that is not stored yet. */
const WIDTHS = [123, 321, 555, 777, 999, 1111, 1333, 1555, 1777, 1999, 60, 250];
/** Headers sent with the test requests, and to the viewer-request when working out their key. */
const REQUEST_HEADERS = { 'User-Agent': 'edge-resize-verify', Accept: '*/*' };

export async function verify(options: VerifyOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const pass = (line: string) => void checks.push({ ok: true, line: `ok    ${line}` });
  const fail = (line: string, fix: string) => void checks.push({ ok: false, line: `FAIL  ${line}; fix: ${fix}` });
  const { distributionId, pathPattern, bucket, expected } = options;

  let config: DistributionConfig | undefined;
  try {
    config = (await options.cloudFront.send(new GetDistributionConfigCommand({ Id: distributionId })))
      .DistributionConfig;
    pass(`distribution ${distributionId} readable`);
  } catch (error) {
    fail(
      `distribution ${distributionId} not readable (${errorName(error)})`,
      'check --param distributionId and that your credentials may call cloudfront:GetDistributionConfig',
    );
    return checks;
  }
  const behaviour = config && findBehaviour(config, pathPattern);
  if (!config || !behaviour) {
    const patterns = ['*', ...(config?.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern)].join(', ');
    fail(`no cache behaviour "${pathPattern}" on ${distributionId}`, `--param pathPattern must be one of: ${patterns}`);
    return checks;
  }
  const found = ourAssociations(behaviour);
  const events = [
    ['viewerRequest', 'viewer-request'],
    ['originResponse', 'origin-response'],
  ] as const;
  for (const [key, eventType] of events) {
    if (found[key] === expected[key]) {
      pass(`${eventType} on "${pathPattern}" runs ${expected[key]}`);
    } else {
      fail(
        `${eventType} on "${pathPattern}" runs ${found[key] ?? 'nothing'}, not ${expected[key]}`,
        'run `npm run deploy` with the same --param values: it attaches both published versions in one update',
      );
    }
  }
  const origin = config.Origins?.Items?.find((o) => o.Id === behaviour.TargetOriginId);
  const s3 = origin && {
    domainName: origin.DomainName ?? '',
    path: origin.OriginPath ?? '',
    region: '',
    authMethod: 'origin-access-identity' as const,
    customHeaders: {},
  };
  const location = s3 && s3Location({ s3 }, undefined);
  if (location?.bucket === bucket) {
    pass(`"${pathPattern}" is served from bucket ${bucket}`);
  } else {
    const servedFrom = origin?.DomainName ?? `a missing origin ${behaviour.TargetOriginId}`;
    fail(
      `"${pathPattern}" is served from ${servedFrom}, not bucket ${bucket}`,
      `deploy with --param bucket=${location?.bucket ?? "<the behaviour's bucket>"}, ` +
        `or point the behaviour at ${bucket}'s origin`,
    );
  }
  if (!options.url) {
    checks.push({ ok: true, line: 'skip  the request checks: give --url https://<domain>/<an original> to run them' });
    return checks;
  }
  if (checks.some((check) => !check.ok)) {
    checks.push({ ok: false, line: 'skip  the request checks: fix the failures above first' });
    return checks;
  }
  await requestChecks(options, location!.prefix, location!.region, pass, fail);
  return checks;
}

async function requestChecks(
  options: VerifyOptions,
  prefix: string,
  region: string | undefined,
  pass: (line: string) => void,
  fail: (line: string, fix: string) => void,
): Promise<void> {
  const url = new URL(options.url!);
  const s3 =
    options.s3 ??
    new S3Client({
      ...(region ? { region } : {}),
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
      followRegionRedirects: true,
    });
  const exists = async (key: string) => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
      return true;
    } catch (error) {
      if (s3Error(error).s3Status === 404) return false;
      throw error;
    }
  };
  let chosen: { width: number; key: string } | undefined;
  try {
    for (const width of WIDTHS) {
      const uri = await variantUri(options, url, width);
      if (!uri) {
        fail(
          `${url.pathname}?width=${width} is not rewritten to a variant`,
          'give --url the address of an original image under the behaviour',
        );
        return;
      }
      const key = prefix + decodePath(uri.slice(1));
      if (!(await exists(key))) {
        chosen = { width, key };
        break;
      }
    }
  } catch (error) {
    fail(
      `bucket ${options.bucket} not readable with your credentials (${errorName(error)})`,
      'run verify with credentials that may s3:GetObject and s3:ListBucket in the bucket (HeadObject of a missing key)',
    );
    return;
  }
  if (!chosen) {
    fail(
      `every variant verify asks for is already stored in ${options.bucket}`,
      `delete the ${WIDTHS.length} variants of ${url.pathname} verify made earlier, then run it again`,
    );
    return;
  }
  const target = new URL(url);
  target.search = `width=${chosen.width}`;
  const asked = `${target.pathname}${target.search}`;
  const first = await get(target);
  // CloudFront says Miss for a response an origin-response replaced; LambdaGeneratedResponse is accepted as well.
  if (first.status === 200 && /^(miss|lambdageneratedresponse)\b/i.test(first.xCache)) {
    pass(`${asked}: generated (200, X-Cache: ${first.xCache})`);
  } else {
    fail(
      `${asked}: ${first.status}, X-Cache: ${first.xCache || 'none'}, expected a generated 200 miss`,
      first.status === 403 || first.status === 404
        ? 'the origin-response did not generate it: its log group /aws/lambda/us-east-1.edge-resize-<stage>-' +
            "originResponse, in the region that served you, names S3's error code"
        : "read both functions' log groups in the region that served you",
    );
    return;
  }
  const second = await get(target);
  if (second.status === 200 && /^hit\b/i.test(second.xCache)) {
    pass(`${asked} again: cached (X-Cache: ${second.xCache})`);
  } else {
    fail(
      `${asked} again: ${second.status}, X-Cache: ${second.xCache || 'none'}, expected a hit`,
      'give the behaviour the cache policy of docs/deploying.md step 1 (minimum TTL 0, query string not in the key)',
    );
  }
  if (await exists(chosen.key)) {
    pass(`variant stored in S3 at s3://${options.bucket}/${chosen.key}`);
  } else {
    fail(
      `no variant at s3://${options.bucket}/${chosen.key}`,
      'let the role s3:PutObject in the bucket (docs/deploying.md step 4); for a KMS bucket, give --param kmsKeyArn',
    );
  }
}

/** The URI the viewer-request makes of `url?width=...`, or undefined when it leaves it alone. */
async function variantUri(options: VerifyOptions, url: URL, width: number): Promise<string | undefined> {
  const event: CloudFrontRequestEvent = {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: url.host,
            distributionId: options.distributionId,
            eventType: 'viewer-request',
            requestId: 'verify',
          },
          request: {
            clientIp: '127.0.0.1',
            headers: headers({ Host: url.host, ...REQUEST_HEADERS }),
            method: 'GET',
            querystring: `width=${width}`,
            uri: url.pathname,
          },
        },
      },
    ],
  };
  const result = await options.viewerRequest(event);
  const uri = result && 'uri' in result ? result.uri : undefined;
  return uri && uri !== url.pathname ? uri : undefined;
}

async function get(url: URL): Promise<{ status: number; xCache: string }> {
  const response = await fetch(url, { headers: REQUEST_HEADERS, redirect: 'follow' });
  await response.arrayBuffer();
  return { status: response.status, xCache: response.headers.get('x-cache') ?? '' };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}
