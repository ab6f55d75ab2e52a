import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEventKey, encodeEventKey, readInvocation, unquote } from '../../refresh/events';

const s3Record = (eventName: string, key: string, eTag?: string) => ({
  eventVersion: '2.1',
  eventName,
  s3: { bucket: { name: 'photos' }, object: { key: encodeEventKey(key), ...(eTag && { eTag }) } },
});

describe('event keys', () => {
  it('decodes what S3 writes: a space as +, a plus as %2B, and round-trips any key', () => {
    expect(decodeEventKey('a+b%2Bc.jpg')).toBe('a b+c.jpg');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (key) => {
        expect(decodeEventKey(encodeEventKey(key))).toBe(key);
      }),
    );
  });

  it('answers undefined for a key that is not URL-encoded correctly', () => {
    expect(decodeEventKey('bad%E0%A4%A.jpg')).toBeUndefined();
  });

  it('strips the quotes S3 puts around an ETag in headers', () => {
    expect(unquote('"abc"')).toBe('abc');
    expect(unquote('abc')).toBe('abc');
  });
});

describe('S3 event notifications', () => {
  it('reads created and removed objects with their decoded keys and bare ETags', () => {
    const keys = ['products/a b.jpg', 'x+y.png'];
    const event = {
      Records: [s3Record('ObjectCreated:Put', keys[0]!, '"e1"'), s3Record('ObjectRemoved:Delete', keys[1]!)],
    };
    expect(readInvocation(event)).toEqual({
      kind: 's3',
      changes: [
        { bucket: 'photos', key: keys[0], removed: false, eTag: 'e1' },
        { bucket: 'photos', key: keys[1], removed: true, eTag: undefined },
      ],
      problems: [],
    });
  });

  it('names each record it cannot act on, and keeps the others', () => {
    const event = {
      Records: [s3Record('ObjectRestore:Completed', 'a.jpg'), { s3: {} }, s3Record('ObjectCreated:Copy', 'b.jpg')],
    };
    const read = readInvocation(event);
    expect(read.kind).toBe('s3');
    if (read.kind !== 's3') return;
    expect(read.changes.map((c) => c.key)).toEqual(['b.jpg']);
    expect(read.problems).toEqual([
      expect.stringMatching(/^record 0 is a ObjectRestore:Completed event/),
      'record 1 is not an S3 object event',
    ]);
  });
});

describe('S3 Batch Operations events', () => {
  it('1.0: the bucket from its ARN, the action warm', () => {
    const event = {
      invocationSchemaVersion: '1.0',
      invocationId: 'inv',
      job: { id: 'job' },
      tasks: [{ taskId: 't1', s3Key: encodeEventKey('a b.jpg'), s3BucketArn: 'arn:aws:s3:::photos' }],
    };
    expect(readInvocation(event)).toEqual({
      kind: 'batch',
      job: {
        invocationSchemaVersion: '1.0',
        invocationId: 'inv',
        action: 'warm',
        tasks: [{ taskId: 't1', bucket: 'photos', key: 'a b.jpg' }],
      },
    });
  });

  it('2.0: the bucket by name and the action from userArguments; unreadable tasks carry their problem', () => {
    const event = {
      invocationSchemaVersion: '2.0',
      invocationId: 'inv',
      job: { id: 'job', userArguments: { action: 'purge' } },
      tasks: [
        { taskId: 't1', s3Key: 'c.jpg', s3Bucket: 'photos' },
        { taskId: 't2' },
        { taskId: 't3', s3Key: '%E0%A4%A' },
      ],
    };
    const read = readInvocation(event);
    expect(read.kind).toBe('batch');
    if (read.kind !== 'batch') return;
    expect(read.job.action).toBe('purge');
    expect(read.job.tasks[0]).toEqual({ taskId: 't1', bucket: 'photos', key: 'c.jpg' });
    expect(read.job.tasks[1]?.problem).toMatch(/no s3Key/);
    expect(read.job.tasks[2]?.problem).toMatch(/not URL-encoded/);
  });

  it('an unknown action marks every task, rather than acting on a guess', () => {
    const event = {
      invocationSchemaVersion: '2.0',
      invocationId: 'inv',
      job: { userArguments: { action: 'delete-all' } },
      tasks: [{ taskId: 't1', s3Key: 'c.jpg', s3Bucket: 'photos' }],
    };
    const read = readInvocation(event);
    if (read.kind !== 'batch') throw new Error(read.kind);
    expect(read.job.tasks[0]?.problem).toContain(JSON.stringify('delete-all'));
  });

  it('anything else is unknown, with a reason', () => {
    for (const event of [null, 'x', [], {}, { invocationSchemaVersion: '3.0' }, { invocationSchemaVersion: '2.0' }]) {
      const read = readInvocation(event);
      expect(read.kind, JSON.stringify(event)).toBe('unknown');
      if (read.kind === 'unknown') expect(read.problem).not.toBe('');
    }
  });
});
