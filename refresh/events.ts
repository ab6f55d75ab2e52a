/**
 * The two event shapes the refresh function is invoked with, as AWS documents them, read into one list of
 * originals to act on:
 *   - S3 event notifications (`Records[]`, eventVersion 2.x): `s3.object.key` is URL-encoded form-style (a space
 *     arrives as `+`, a plus as `%2B`); `eTag` on ObjectCreated; delivery is at least once and in any order.
 *   - S3 Batch Operations "Invoke AWS Lambda function" (invocationSchemaVersion 1.0 and 2.0): one task per
 *     manifest line, `s3Key` URL-encoded the same way, the bucket as `s3BucketArn` (1.0) or `s3Bucket` (2.0),
 *     and in 2.0 the job's `userArguments`.
 */

export type Action = 'refresh' | 'purge' | 'warm';

export interface S3Change {
  bucket: string;
  /** The decoded S3 key. */
  key: string;
  removed: boolean;
  /** The written object's ETag (no quotes), on ObjectCreated. */
  eTag: string | undefined;
}

export interface BatchTask {
  taskId: string;
  /** `undefined` with `problem` when the task cannot be read. */
  bucket: string | undefined;
  key: string | undefined;
  problem?: string;
}

export interface BatchJob {
  invocationSchemaVersion: '1.0' | '2.0';
  invocationId: string;
  action: Action;
  tasks: BatchTask[];
}

export type ResultCode = 'Succeeded' | 'TemporaryFailure' | 'PermanentFailure';

/** The answer Batch Operations expects, one result per task. */
export interface BatchResponse {
  invocationSchemaVersion: '1.0' | '2.0';
  treatMissingKeysAs: ResultCode;
  invocationId: string;
  results: { taskId: string; resultCode: ResultCode; resultString: string }[];
}

export type Invocation =
  | { kind: 's3'; changes: S3Change[]; problems: string[] }
  | { kind: 'batch'; job: BatchJob }
  | { kind: 'unknown'; problem: string };

/** A key as S3 events and Batch Operations spell it: form-style URL encoding, `+` for a space. */
export function decodeEventKey(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The inverse, for building events locally: what S3 puts in `s3.object.key`. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

export function readInvocation(event: unknown): Invocation {
  if (!isObject(event)) return { kind: 'unknown', problem: 'the event is not an object' };
  if (Array.isArray(event.Records)) return readS3Event(event.Records);
  if (event.invocationSchemaVersion === '1.0' || event.invocationSchemaVersion === '2.0') return readBatchEvent(event);
  return { kind: 'unknown', problem: 'the event is neither an S3 notification nor a Batch Operations task' };
}

function readS3Event(records: unknown[]): Invocation {
  const changes: S3Change[] = [];
  const problems: string[] = [];
  records.forEach((record, i) => {
    const s3 = isObject(record) && isObject(record.s3) ? record.s3 : undefined;
    const name = isObject(record) ? record.eventName : undefined;
    const bucket = s3 && isObject(s3.bucket) ? s3.bucket.name : undefined;
    const object = s3 && isObject(s3.object) ? s3.object : undefined;
    const key = object && typeof object.key === 'string' ? decodeEventKey(object.key) : undefined;
    if (typeof name !== 'string' || typeof bucket !== 'string' || key === undefined) {
      problems.push(`record ${i} is not an S3 object event`);
      return;
    }
    if (!name.startsWith('ObjectCreated:') && !name.startsWith('ObjectRemoved:')) {
      problems.push(`record ${i} is a ${name} event, not ObjectCreated or ObjectRemoved`);
      return;
    }
    const eTag = typeof object?.eTag === 'string' ? unquote(object.eTag) : undefined;
    changes.push({ bucket, key, removed: name.startsWith('ObjectRemoved:'), eTag });
  });
  return { kind: 's3', changes, problems };
}

function readBatchEvent(event: Record<string, unknown>): Invocation {
  const version = event.invocationSchemaVersion as '1.0' | '2.0';
  const invocationId = typeof event.invocationId === 'string' ? event.invocationId : '';
  if (!Array.isArray(event.tasks)) return { kind: 'unknown', problem: 'the Batch Operations event has no tasks' };
  const job = isObject(event.job) ? event.job : {};
  const args = isObject(job.userArguments) ? job.userArguments : {};
  const asked = args.action ?? 'warm';
  const action: Action = asked === 'refresh' || asked === 'purge' ? asked : 'warm';
  const tasks = event.tasks.map((task, i): BatchTask => {
    const taskId = isObject(task) && typeof task.taskId === 'string' ? task.taskId : `task-${i}`;
    if (!isObject(task) || typeof task.s3Key !== 'string')
      return { taskId, bucket: undefined, key: undefined, problem: 'the task has no s3Key' };
    const key = decodeEventKey(task.s3Key);
    const bucket =
      typeof task.s3Bucket === 'string'
        ? task.s3Bucket
        : typeof task.s3BucketArn === 'string'
          ? task.s3BucketArn.replace(/^arn:[^:]+:s3:::/, '')
          : undefined;
    if (key === undefined) return { taskId, bucket, key, problem: "the task's s3Key is not URL-encoded correctly" };
    if (!bucket) return { taskId, bucket, key, problem: 'the task names no bucket' };
    return { taskId, bucket, key };
  });
  if (asked !== action) {
    const problem = `userArguments.action must be warm, refresh or purge, got ${JSON.stringify(asked)}`;
    for (const task of tasks) task.problem = problem;
  }
  return { kind: 'batch', job: { invocationSchemaVersion: version, invocationId, action, tasks } };
}

/** S3 writes ETags quoted in HTTP headers and bare in events. */
export function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
