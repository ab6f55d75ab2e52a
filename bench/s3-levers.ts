/**
 * The S3 client's own lever on a miss: the SDK's response checksums. By default the SDK asks S3 for the stored
 * checksum of every object it gets, and verifies the whole body against it; S3 stores CRC64NVME for every new
 * object, which the SDK computes in JavaScript. Ours asks for no checksum (origin-response/s3-origin.ts).
 *
 * s3rver stores no checksum, so the defaults' client is handed the header real S3 would send: the CRC64NVME the
 * SDK itself computes when uploading the original with that algorithm, as any recent upload to S3 gets.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readOriginal, s3ClientFor } from '../origin-response/s3-origin';
import type { EdgeBench } from './edge';
import { BUCKET } from './child-protocol';
import type { BenchInput } from './inputs';
import { compare, ms, ratio } from './timing';

const HEADER = 'x-amz-checksum-crc64nvme';
const NO_LIMIT = 1e9;
const DEADLINE_MS = 30_000;

/** The SDK as it comes: checksums on both ways, whatever this process's environment says. */
function defaultsClient(): S3Client {
  return new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_SUPPORTED', responseChecksumValidation: 'WHEN_SUPPORTED' });
}

/** Uploads `data` with a CRC64NVME computed by the SDK, and answers that checksum (as S3 would store it). */
async function uploadWithChecksum(key: string, data: Buffer): Promise<string> {
  const client = defaultsClient();
  let checksum: string | undefined;
  client.middlewareStack.add((next) => async (args) => {
    checksum = (args.request as { headers: Record<string, string> }).headers[HEADER];
    return next(args);
  }, { step: 'finalizeRequest', priority: 'low', name: 'readChecksum' });
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: data, ContentType: 'image/jpeg', ChecksumAlgorithm: 'CRC64NVME' }));
  client.destroy();
  if (!checksum) throw new Error('bench s3 levers: the SDK sent no CRC64NVME on upload');
  return checksum;
}

/** A client on the SDK's defaults whose GetObject answers carry `checksum`, as real S3's do. */
function defaultsWithStoredChecksum(checksum: () => string): S3Client {
  const client = defaultsClient();
  // Just inside the SDK's checksum check, so it reads the header as if S3 had sent it.
  const addHeader: Parameters<S3Client['middlewareStack']['add']>[0] = (next) => async (args) => {
    const result = await next(args);
    (result.response as { headers: Record<string, string> }).headers[HEADER] = checksum();
    return result;
  };
  client.middlewareStack.addRelativeTo(addHeader, { relation: 'after', toMiddleware: 'flexibleChecksumsResponseMiddleware', name: 'storedChecksum' });
  return client;
}

async function get(client: S3Client, key: string): Promise<void> {
  const read = await readOriginal(client, BUCKET, key, NO_LIMIT, DEADLINE_MS);
  if (read.kind !== 'found') throw new Error(`bench s3 levers: ${key} is ${read.kind}`);
}

async function timeOnce(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Run inside `withS3`: both clients reach s3rver through the environment it sets. */
export async function benchS3Levers(inputs: readonly BenchInput[], runs: number): Promise<EdgeBench> {
  const rows: string[][] = [];
  // A region of its own, so this client is fresh here like the defaults' one: both first GETs start cold.
  const ours = s3ClientFor('eu-north-1');
  for (const input of inputs) {
    const key = `levers-${input.file}`;
    let stored = await uploadWithChecksum(key, input.data);
    const defaults = defaultsWithStoredChecksum(() => stored);
    const firstOurs = await timeOnce(() => get(ours, key));
    const firstDefaults = await timeOnce(() => get(defaults, key));
    // The measured path must be the verifying one: a wrong stored checksum has to fail the read.
    const right = stored;
    stored = `${right.slice(0, -4)}AAA=`;
    const refused = await get(defaults, key).then(() => false, (error: Error) => /checksum mismatch/i.test(error.message));
    stored = right;
    if (!refused) throw new Error('bench s3 levers: the SDK did not verify the stored checksum');
    const [o, d] = await compare([
      { name: 'ours', run: () => get(ours, key) },
      { name: 'defaults', run: () => get(defaults, key) },
    ], { warmup: 2, runs });
    rows.push([input.label, (input.data.length / 1e6).toFixed(1), ms(o!.medianMs), ms(d!.medianMs), ratio(d!.medianMs, o!.medianMs), ms(firstOurs), ms(firstDefaults)]);
    defaults.destroy();
  }
  return {
    tables: [{
      title: `S3 client levers: a miss's GetObject of the original, body read whole (s3rver on loopback; median ms of ${runs})`,
      note: 'Ours asks for no checksum. The SDK\'s defaults ask for the stored one and verify the body against it; the stored CRC64NVME real S3 would send is handed to that client, since s3rver stores none. First: each client\'s first GET in this process.',
      columns: ['input', 'MB', 'ours', 'SDK defaults (CRC64NVME verified)', 'defaults / ours', 'first GET, ours', 'first GET, defaults'],
      rows,
    }],
    verdicts: [],
  };
}
