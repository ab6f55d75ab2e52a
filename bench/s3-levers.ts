/**
 * The S3 client's levers on a miss. The SDK's response checksums: by default the SDK asks S3 for the stored
 * checksum of every object it gets, and verifies the whole body against it; S3 stores CRC64NVME for every new
 * object, which the SDK computes in JavaScript. Ours asks for no checksum (origin-response/s3-origin.ts).
 * And one client per container: ours keeps its connection alive between misses, against a new connection for
 * every GET (the same client with keep-alive off) and a new client for every GET (as a handler making its
 * client inside would). And parallel ranged GETs, S3's own advice for reading large objects faster: the
 * original in two or four byte ranges at once, each on its own connection, against one GET of the whole.
 *
 * s3rver stores no checksum, so the defaults' client is handed the header real S3 would send: the CRC64NVME the
 * SDK itself computes when uploading the original with that algorithm, as any recent upload to S3 gets.
 */
import { GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { readOriginal, s3ClientFor } from '../origin-response/s3-origin';
import type { EdgeBench } from './edge';
import { BUCKET } from './child-protocol';
import { LAMBDA_NODE_FLAGS } from './lambda-node';
import { runChild } from './child-process';
import type { BenchInput } from './inputs';
import { compare, ms, ratio } from './timing';

type LeverResult = Awaited<ReturnType<typeof measureClientLevers>>;

const HEADER = 'x-amz-checksum-crc64nvme';
const NO_LIMIT = 1e9;
const DEADLINE_MS = 30_000;

/** The SDK as it comes: checksums on both ways, whatever this process's environment says. */
function defaultsClient(): S3Client {
  return new S3Client({
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_SUPPORTED',
    responseChecksumValidation: 'WHEN_SUPPORTED',
  });
}

/** Uploads `data` with a CRC64NVME computed by the SDK, and answers that checksum (as S3 would store it). */
async function uploadWithChecksum(key: string, data: Buffer): Promise<string> {
  const client = defaultsClient();
  let checksum: string | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      checksum = (args.request as { headers: Record<string, string> }).headers[HEADER];
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'readChecksum' },
  );
  await client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: data,
      ContentType: 'image/jpeg',
      ChecksumAlgorithm: 'CRC64NVME',
    }),
  );
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
  client.middlewareStack.addRelativeTo(addHeader, {
    relation: 'after',
    toMiddleware: 'flexibleChecksumsResponseMiddleware',
    name: 'storedChecksum',
  });
  return client;
}

/** The original as the miss reads it (readOriginal), its body; throws unless it is there. */
async function get(client: S3Client, key: string): Promise<Buffer> {
  const read = await readOriginal(client, BUCKET, key, NO_LIMIT, DEADLINE_MS);
  if (read.kind !== 'found') throw new Error(`bench s3 levers: ${key} is ${read.kind}`);
  return read.body;
}

/** The settings of our client (origin-response/s3-origin.ts, s3ClientFor), for clients made here beside it. */
const OUR_SETTINGS = {
  forcePathStyle: true,
  followRegionRedirects: true,
  requestHandler: { connectionTimeout: 1000 },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
} satisfies S3ClientConfig;

/** Throws unless our client, as s3-origin.ts makes it, has the settings OUR_SETTINGS copies. */
async function checkOurSettings(ours: S3Client): Promise<void> {
  const { config } = ours;
  const handler = await (
    config.requestHandler as unknown as { configProvider?: Promise<{ connectionTimeout?: number }> }
  ).configProvider;
  const resolved = {
    forcePathStyle: config.forcePathStyle,
    followRegionRedirects: config.followRegionRedirects,
    requestHandler: { connectionTimeout: handler?.connectionTimeout },
    requestChecksumCalculation: await config.requestChecksumCalculation(),
    responseChecksumValidation: await config.responseChecksumValidation(),
  };
  if (JSON.stringify(resolved) !== JSON.stringify(OUR_SETTINGS)) {
    throw new Error(
      `bench s3 levers: our client has ${JSON.stringify(resolved)}, the bench copies ${JSON.stringify(OUR_SETTINGS)}`,
    );
  }
}

/** Our client's settings with the SDK's agent told not to keep connections: each GET opens its own, TLS included. */
function newConnectionEachTime(): S3Client {
  const requestHandler = {
    ...OUR_SETTINGS.requestHandler,
    httpsAgent: { keepAlive: false },
    httpAgent: { keepAlive: false },
  };
  return new S3Client({ ...OUR_SETTINGS, requestHandler });
}

/** A GET by a client made for it, as a handler that makes its client per request does; closed after. */
async function getWithNewClient(key: string): Promise<void> {
  const client = new S3Client(OUR_SETTINGS);
  try {
    await get(client, key);
  } finally {
    client.destroy();
  }
}

/**
 * The object in `parts` ranged GETs at once, its size given: the best case of a ranged read, since a real miss
 * would first have to learn the size (from a GET of the first range) before asking for the others.
 */
async function getRanges(client: S3Client, key: string, bytes: number, parts: number): Promise<Uint8Array[]> {
  const size = Math.ceil(bytes / parts);
  return Promise.all(
    Array.from({ length: parts }, async (_, i) => {
      const range = `bytes=${i * size}-${Math.min(bytes, (i + 1) * size) - 1}`;
      const result = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: range }), {
        abortSignal: AbortSignal.timeout(DEADLINE_MS),
      });
      return result.Body!.transformToByteArray();
    }),
  );
}

/** Ours against two and four ranged GETs; throws unless the ranges put together are the object, byte for byte. */
async function measureRanges(client: S3Client, key: string, runs: number) {
  const whole = await get(client, key);
  const bytes = whole.length;
  for (const parts of [2, 4]) {
    if (!Buffer.concat(await getRanges(client, key, bytes, parts)).equals(whole))
      throw new Error(`bench s3 levers: ${parts} ranges of ${key} are not the object`);
  }
  const [one, two, four] = await compare(
    [
      { name: 'one GET', run: () => get(client, key) },
      {
        name: 'two ranges',
        run: async () => {
          await getRanges(client, key, bytes, 2);
        },
      },
      {
        name: 'four ranges',
        run: async () => {
          await getRanges(client, key, bytes, 4);
        },
      },
    ],
    { warmup: 2, runs },
  );
  return { wholeMs: one!.medianMs, twoRangesMs: two!.medianMs, fourRangesMs: four!.medianMs };
}

/**
 * In a fresh process (s3-child.ts), as the function has one: `first`'s client makes the process's first GET,
 * timed alone; then both clients' GETs interleaved. Throws unless the defaults' client refuses a wrong checksum.
 * Then ours against a new connection and a new client for every GET, interleaved; then against ranged GETs.
 */
export async function measureClientLevers(key: string, checksum: string, runs: number, first: 'ours' | 'defaults') {
  let stored = checksum;
  const clients = { ours: s3ClientFor(undefined), defaults: defaultsWithStoredChecksum(() => stored) };
  await checkOurSettings(clients.ours);
  const started = performance.now();
  await get(clients[first], key);
  const firstMs = performance.now() - started;
  // The measured path must be the verifying one: a wrong stored checksum has to fail the read.
  stored = `${checksum.slice(0, -4)}AAA=`;
  const refused = await get(clients.defaults, key).then(
    () => false,
    (error: Error) => /checksum mismatch/i.test(error.message),
  );
  stored = checksum;
  if (!refused) throw new Error('bench s3 levers: the SDK did not verify the stored checksum');
  const [ours, defaults] = await compare(
    [
      { name: 'ours', run: () => get(clients.ours, key) },
      { name: 'defaults', run: () => get(clients.defaults, key) },
    ],
    { warmup: 2, runs },
  );
  const unkept = newConnectionEachTime();
  const [kept, newConnection, newClient] = await compare(
    [
      { name: 'ours', run: () => get(clients.ours, key) },
      { name: 'a new connection', run: () => get(unkept, key) },
      { name: 'a new client', run: () => getWithNewClient(key) },
    ],
    { warmup: 2, runs },
  );
  unkept.destroy();
  return {
    firstMs,
    oursMs: ours!.medianMs,
    defaultsMs: defaults!.medianMs,
    keptMs: kept!.medianMs,
    newConnectionMs: newConnection!.medianMs,
    newClientMs: newClient!.medianMs,
    ...(await measureRanges(clients.ours, key, runs)),
  };
}

/** Run inside `withS3`: the processes reach s3rver through the environment it sets. */
export async function benchS3Levers(inputs: readonly BenchInput[], runs: number): Promise<EdgeBench> {
  const rows: string[][] = [];
  const reuseRows: string[][] = [];
  const rangeRows: string[][] = [];
  for (const input of inputs) {
    const key = `levers-${input.file}`;
    const checksum = await uploadWithChecksum(key, input.data);
    // Two processes, one per client making the first GET; the interleaved medians are the two processes' mean.
    const measured = [];
    for (const first of ['ours', 'defaults'] as const) {
      const { result } = await runChild(
        { mode: 's3-levers', key, checksum, runs, first },
        { stdout: 'ignore', nodeFlags: LAMBDA_NODE_FLAGS.originResponse },
      );
      if (!result.levers) throw new Error('bench s3 levers: the child measured nothing');
      measured.push(result.levers);
    }
    const [a, b] = measured as [LeverResult, LeverResult];
    const oursMs = (a.oursMs + b.oursMs) / 2;
    const defaultsMs = (a.defaultsMs + b.defaultsMs) / 2;
    rows.push([
      input.label,
      (input.data.length / 1e6).toFixed(1),
      ms(oursMs),
      ms(defaultsMs),
      ratio(defaultsMs, oursMs),
      ms(a.firstMs),
      ms(b.firstMs),
    ]);
    const mean = (pick: (r: LeverResult) => number) => (pick(a) + pick(b)) / 2;
    const [keptMs, newConnectionMs, newClientMs] = [
      mean((r) => r.keptMs),
      mean((r) => r.newConnectionMs),
      mean((r) => r.newClientMs),
    ];
    reuseRows.push([
      input.label,
      ms(keptMs),
      ms(newConnectionMs),
      ratio(newConnectionMs, keptMs),
      ms(newClientMs),
      ratio(newClientMs, keptMs),
    ]);
    const [wholeMs, twoMs, fourMs] = [mean((r) => r.wholeMs), mean((r) => r.twoRangesMs), mean((r) => r.fourRangesMs)];
    rangeRows.push([input.label, ms(wholeMs), ms(twoMs), ratio(twoMs, wholeMs), ms(fourMs), ratio(fourMs, wholeMs)]);
  }
  return {
    tables: [
      {
        title:
          `S3 client levers: a miss's GetObject of the original, body read whole (s3rver on loopback over HTTPS; ` +
          `fresh processes; median ms of ${runs})`,
        note:
          "Ours asks for no checksum. The SDK's defaults ask for the stored one and verify the body against it; " +
          'the stored CRC64NVME real S3 would send is handed to that client, since s3rver stores none. First ' +
          "GET: a fresh process's first, by that client.",
        columns: [
          'input',
          'MB',
          'ours',
          'SDK defaults (CRC64NVME verified)',
          'defaults / ours',
          'first GET, ours',
          'first GET, defaults',
        ],
        rows,
      },
      {
        title:
          `S3 client levers: one client per container, its connection kept alive (the same GETs; median ms of ` +
          `${runs})`,
        note:
          "Ours: the container's one client, whose connection the SDK's agent keeps between misses. A new " +
          'connection: the same settings with keep-alive off, so each GET makes its own TCP connection and TLS ' +
          'handshake. A new client: one made for each GET and closed after, as a handler that makes its client ' +
          'inside would. On loopback a handshake costs only CPU; against S3 each also waits two round trips or ' +
          'more.',
        columns: [
          'input',
          'ours',
          'a new connection each GET',
          'against ours',
          'a new client each GET',
          'against ours',
        ],
        rows: reuseRows,
      },
      {
        title: `S3 client levers: the original in parallel ranged GETs (the same client; median ms of ${runs})`,
        note:
          'Ours: one GET of the whole object. Ranges: the object in two or four equal byte ranges asked for at ' +
          "once, each on its own kept-alive connection, put together after; the object's size is given, the best " +
          'case (a miss would first have to learn it). Checked byte for byte against the whole. On loopback ' +
          'every byte costs CPU on both sides of two cores, and no connection is limited by distance, as one to ' +
          'S3 across regions can be.',
        columns: ['input', 'one GET', 'two ranges at once', 'against one', 'four ranges at once', 'against one'],
        rows: rangeRows,
      },
    ],
    verdicts: [],
  };
}
