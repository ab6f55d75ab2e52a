/**
 * The S3 side of a miss: where the bucket is, reading the original, writing the variant.
 *
 * Clients come from the SDK's standard configuration chain (credentials from the Lambda role; the endpoint from
 * `AWS_ENDPOINT_URL_S3` when set, which is how the local stack and the tests point it at s3rver). One client per
 * region per container, created once and reused across invocations so connections stay warm.
 */
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { CloudFrontRequest } from 'aws-lambda';

export interface S3Location {
  bucket: string;
  /** The bucket's region from the event, when CloudFront gives it. */
  region: string | undefined;
  /** The origin path as a key prefix (`images/` for an origin path of `/images`), or `''`. */
  prefix: string;
}

/**
 * Virtual-hosted S3 domain names, with or without a region: `photos.s3.amazonaws.com`,
 * `photos.s3.eu-west-1.amazonaws.com`, `photos.s3-eu-west-1.amazonaws.com`, `photos.s3.dualstack.…`.
 * Greedy on the bucket so bucket names with dots (`my.photos`) survive.
 */
const S3_DOMAIN = /^(.+)\.s3(?:[.-]dualstack)?(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/;

/** Where originals and variants live for this request; `undefined` when the origin is not S3 and no bucket is set. */
export function s3Location(
  origin: CloudFrontRequest['origin'],
  bucketOverride: string | undefined,
): S3Location | undefined {
  const s3 = origin?.s3;
  const prefix = originPrefix(s3?.path);
  if (bucketOverride) return { bucket: bucketOverride, region: s3?.region || undefined, prefix };
  const match = s3 ? S3_DOMAIN.exec(s3.domainName) : null;
  if (!s3 || !match?.[1]) return undefined;
  return { bucket: match[1], region: s3.region || match[2] || undefined, prefix };
}

/** CloudFront's origin path (`/images`, `/a/b/`, `''`) as an S3 key prefix (`images/`, `a/b/`, `''`). */
function originPrefix(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

const clients = new Map<string, S3Client>();

/** The container's client for a region (`''`: the SDK's own default region). */
export function s3ClientFor(region: string | undefined): S3Client {
  const name = region ?? '';
  let client = clients.get(name);
  if (!client) {
    client = new S3Client({
      ...(region ? { region } : {}),
      // s3rver and most S3-compatible servers only speak path-style; real S3 prefers virtual-hosted.
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
      followRegionRedirects: true,
      // Fail fast on a dead endpoint; the per-call deadline (AbortSignal) bounds the whole call, retries included.
      // The SDK's own agent keeps connections alive, so a warm container's miss skips the TCP and TLS handshakes.
      requestHandler: { connectionTimeout: 1000 },
      // No SDK checksums beyond what S3 requires. By default the SDK asks S3 for the original's stored checksum
      // and checks the whole body against it, computing S3's CRC64NVME in JavaScript (bench/RESULTS.md, "S3 client
      // levers"); HTTPS already protects every byte in transit. Set in code, not left to the defaults, so the
      // deployed function (which has no environment variables) runs the same path as the tests and the local stack.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.set(name, client);
  }
  return client;
}

export type OriginalRead =
  /** `etag`: S3's ETag of the bytes read, which the variant records as its source. */
  | { kind: 'found'; body: Buffer; etag: string | undefined }
  /** S3 said 404, or 403 (a private bucket's answer for a missing key, or a denial); `code` is S3's error code. */
  | { kind: 'missing'; status: number; code: string | undefined }
  | { kind: 'too-large'; bytes: number };

/**
 * Reads the original, refusing one over `maxBytes` from its Content-Length before downloading it. Throws when
 * S3 cannot be reached or does not answer (body included) within `deadlineMs`.
 */
export async function readOriginal(
  client: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
  deadlineMs: number,
): Promise<OriginalRead> {
  const abortSignal = AbortSignal.timeout(deadlineMs);
  try {
    const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    const length = result.ContentLength ?? 0;
    if (length > maxBytes || !result.Body) {
      destroyBody(result.Body);
      return { kind: 'too-large', bytes: length };
    }
    const bytes = await result.Body.transformToByteArray();
    return { kind: 'found', body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), etag: result.ETag };
  } catch (error) {
    const status = s3Status(error);
    if (status === 404 || status === 403) return { kind: 'missing', status, code: s3Code(error) };
    throw error;
  }
}

export type VariantWrite =
  | { kind: 'stored'; etag: string | undefined }
  /** Something is already at the key (a concurrent miss wrote it, or it was never a miss): left as it is. */
  | { kind: 'exists' }
  | { kind: 'failed'; error: unknown };

/**
 * Stores the variant. `If-None-Match: *` makes S3 refuse to replace an existing object, so nothing this function
 * writes can ever overwrite an original or another variant. Never throws: the outcome says what happened.
 */
export async function storeVariant(
  client: S3Client,
  target: { bucket: string; key: string; contentType: string; cacheControl: string; metadata?: Record<string, string> },
  body: Buffer,
  deadlineMs: number,
): Promise<VariantWrite> {
  try {
    const put = await client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: body,
        ContentType: target.contentType,
        CacheControl: target.cacheControl,
        Metadata: target.metadata,
        IfNoneMatch: '*',
      }),
      { abortSignal: AbortSignal.timeout(deadlineMs) },
    );
    return { kind: 'stored', etag: put.ETag };
  } catch (error) {
    const status = s3Status(error);
    return status === 412 || status === 409 ? { kind: 'exists' } : { kind: 'failed', error };
  }
}

function s3Status(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** S3's own status and error code (`AccessDenied`, `NoSuchKey`, `NoSuchBucket`, ...) of a failed call, for logs. */
export function s3Error(error: unknown): { s3Status: number | undefined; s3Code: string | undefined } {
  return { s3Status: s3Status(error), s3Code: s3Code(error) };
}

function s3Code(error: unknown): string | undefined {
  return error instanceof S3ServiceException ? error.name : undefined;
}

function destroyBody(body: unknown): void {
  const stream = body as { destroy?: () => void } | undefined;
  stream?.destroy?.();
}
