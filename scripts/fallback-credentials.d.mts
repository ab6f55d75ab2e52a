/** See fallback-credentials.mjs. */
export declare const FALLBACK_CREDENTIALS: readonly string[];
/** The credential chain and esbuild versions this rewrite was verified against. */
export declare const VERIFIED: Readonly<Record<string, string>>;
/** Throws unless the installed versions (or `versions`) are the verified ones. */
export function checkFallbackCredentials(versions?: Readonly<Record<string, string | undefined>>): void;
/** Throws unless `code` loads every fallback provider only through import(). */
export function checkLazy(code: string, file: string): void;
