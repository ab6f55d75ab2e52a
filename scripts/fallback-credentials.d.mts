/** See fallback-credentials.mjs. */
export declare const FALLBACK_CREDENTIALS: readonly string[];
