/**
 * The emulator's edge cache: one in-memory store keyed by the URI the viewer-request left (the distribution's
 * cache policy forwards no query string, no header and no cookie, so the URI is the whole cache key).
 *
 * How long an answer stays follows CloudFront's expiration rules for a cache policy with minimum TTL 0,
 * default TTL 1 day and maximum TTL 1 year (so `no-store` really means not stored, which the origin-response's
 * redirect relies on).
 */

export interface CachePolicy {
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  /** CloudFront's "error caching minimum TTL" for error statuses without a Cache-Control of their own. */
  errorTtl: number;
}

export const DEFAULT_CACHE_POLICY: CachePolicy = { minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000, errorTtl: 10 };

/** Statuses CloudFront caches by default (with the default TTL when the origin says nothing). */
const CACHEABLE = new Set([200, 203, 300, 301, 410]);
/** Error statuses CloudFront caches for the error caching minimum TTL when the origin says nothing. */
const CACHED_ERRORS = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);

/** Seconds an answer may be served from the edge cache; 0 means not stored at all. */
export function cacheTtlSeconds(
  status: number,
  cacheControl: string | undefined,
  policy = DEFAULT_CACHE_POLICY,
): number {
  if (status === 206 || status === 304 || status < 200) return 0;
  const directives = parseCacheControl(cacheControl ?? '');
  if (policy.minTtl === 0 && (directives.has('no-store') || directives.has('no-cache') || directives.has('private')))
    return 0;
  // A shared cache prefers s-maxage over max-age.
  const explicit = directives.get('s-maxage') ?? directives.get('max-age');
  if (explicit !== undefined) return Math.min(Math.max(explicit, policy.minTtl), policy.maxTtl);
  if (CACHEABLE.has(status)) return policy.defaultTtl;
  if (CACHED_ERRORS.has(status)) return policy.errorTtl;
  return 0;
}

/** `public, max-age=60` → { public: undefined, max-age: 60 }; an unparsable number counts as 0 (stale at once). */
function parseCacheControl(value: string): Map<string, number | undefined> {
  const directives = new Map<string, number | undefined>();
  for (const part of value.split(',')) {
    const [rawName, rawValue] = part.split('=', 2);
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    if (rawValue === undefined) directives.set(name, undefined);
    else {
      const seconds = Number(rawValue.trim().replace(/^"|"$/g, ''));
      directives.set(name, Number.isInteger(seconds) && seconds >= 0 ? seconds : 0);
    }
  }
  return directives;
}

export interface CachedAnswer {
  status: number;
  statusText: string;
  /** Header name (original case) and value pairs, as they will be sent. */
  headers: [string, string][];
  body: Buffer;
}

interface Entry {
  answer: CachedAnswer;
  storedAt: number;
  expiresAt: number;
}

/** An LRU-bounded map from cache key to answer; `now` is injectable so expiry is testable without waiting. */
export class EdgeCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 256 * 1024 * 1024,
    private readonly now = () => Date.now(),
  ) {}

  /** The fresh answer for `key` and its age in seconds, or `undefined`. */
  get(key: string): { answer: CachedAnswer; ageSeconds: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.expiresAt) {
      this.delete(key);
      return undefined;
    }
    // Re-insert so the Map's order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { answer: entry.answer, ageSeconds: Math.floor((now - entry.storedAt) / 1000) };
  }

  /** Stores `answer` for `ttlSeconds`; a TTL of 0 stores nothing. */
  set(key: string, answer: CachedAnswer, ttlSeconds: number): void {
    this.delete(key);
    if (ttlSeconds <= 0 || answer.body.length > this.maxBytes) return;
    const now = this.now();
    this.entries.set(key, { answer, storedAt: now, expiresAt: now + ttlSeconds * 1000 });
    this.bytes += answer.body.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  /**
   * Drops what a CloudFront invalidation path names: the one key, or every key starting with what comes before a
   * trailing `*`. Returns how many answers were dropped.
   */
  invalidate(path: string): number {
    const prefix = path.endsWith('*') ? path.slice(0, -1) : undefined;
    const keys = prefix === undefined ? [path] : [...this.entries.keys()].filter((key) => key.startsWith(prefix));
    let dropped = 0;
    for (const key of keys) {
      if (this.entries.has(key)) dropped += 1;
      this.delete(key);
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.answer.body.length;
    this.entries.delete(key);
  }
}
