// s3rver ships no types; this is the part of its API the local stack and the tests use.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: unknown[] }[];
  }
  /**
   * What s3rver emits as `event` after each write or delete: one record shaped like S3's, except that the key is
   * not URL-encoded and the bucket ARN is malformed. DeleteObjects (several keys) emits nothing.
   */
  export interface S3rverEvent {
    Records: {
      eventName: string;
      eventTime: string;
      s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } };
    }[];
  }
  export interface S3rverListing {
    objects: { key: string }[];
    commonPrefixes: string[];
    isTruncated: boolean;
  }
  /** Its on-disk store (lib/stores/filesystem.js), the one method local/s3rver-listing.ts corrects. */
  export interface S3rverStore {
    listObjects(
      bucket: string,
      options: { delimiter?: string; prefix?: string; startAfter?: string; maxKeys?: number },
    ): Promise<S3rverListing>;
  }
  /** A Koa application, hence an EventEmitter. */
  export default class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    off(event: 'event', listener: (event: S3rverEvent) => void): this;
    store: S3rverStore;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
