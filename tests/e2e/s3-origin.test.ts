/**
 * The origin-response's S3 client asks for no checksums beyond what S3 requires, with nothing in the environment
 * about them, as on Lambda@Edge. Left to the SDK's defaults, every GetObject would ask S3 for the original's
 * stored checksum (CRC64NVME for every new object) and recompute it in JavaScript over the whole body, and every
 * PutObject would carry a CRC32. s3rver never returns a stored checksum, so the headers the SDK sends are what
 * shows which path runs; a client left to the defaults, on the same server, is the control.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOriginal, s3ClientFor, storeVariant } from '../../origin-response/s3-origin';
import { photo } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

let s3: TestS3;
const original = photo('medium-2mp.jpg');

beforeAll(async () => {
  s3 = await startTestS3('photos');
  await s3.put('a.jpg', original, 'image/jpeg');
  // useS3Endpoint sets both for the local stack's own clients; Lambda@Edge has no environment variables.
  delete process.env.AWS_REQUEST_CHECKSUM_CALCULATION;
  delete process.env.AWS_RESPONSE_CHECKSUM_VALIDATION;
});
afterAll(() => s3.stop());

/** Records the headers of every request the client sends, as signed. */
function recordHeaders(client: S3Client): Record<string, string>[] {
  const sent: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordHeaders' },
  );
  return sent;
}

/** A GET of the original and a PUT of a copy, through our read and write. */
async function getAndPut(client: S3Client, key: string) {
  const read = await readOriginal(client, 'photos', 'a.jpg', 50_000_000, 5000);
  if (read.kind !== 'found') throw new Error(`expected the original, got ${read.kind}`);
  const write = await storeVariant(
    client,
    { bucket: 'photos', key, contentType: 'image/jpeg', cacheControl: 'max-age=1' },
    read.body,
    5000,
  );
  return { read, write };
}

const checksumHeaders = (headers: Record<string, string>) =>
  Object.keys(headers).filter((name) => /^x-amz-(checksum-|sdk-checksum-algorithm)/i.test(name));

describe('S3 checksums', () => {
  it('our client sends no checksum request on GET and no checksum on PUT', async () => {
    // A region of its own: s3ClientFor keeps one client per region for the container.
    const client = s3ClientFor('eu-west-3');
    const sent = recordHeaders(client);
    const { read, write } = await getAndPut(client, 'ours/a.jpg');
    expect(read.body.equals(original)).toBe(true);
    expect(write).toMatchObject({ kind: 'stored' });
    expect((await s3.get('ours/a.jpg'))?.equals(original)).toBe(true);
    expect(sent).toHaveLength(2);
    expect(sent.map(checksumHeaders)).toEqual([[], []]);
  });

  it('control: a client left to the defaults asks for both, so the recorder would see them', async () => {
    const client = new S3Client({ region: 'eu-west-3', forcePathStyle: true });
    const sent = recordHeaders(client);
    const { write } = await getAndPut(client, 'defaults/a.jpg');
    expect(write).toMatchObject({ kind: 'stored' });
    expect(sent).toHaveLength(2);
    const [get, put] = sent.map((headers) =>
      Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    );
    expect(get!['x-amz-checksum-mode']).toBe('ENABLED');
    expect(put!['x-amz-checksum-crc32']).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    client.destroy();
  });
});
