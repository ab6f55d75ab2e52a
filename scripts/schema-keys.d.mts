import type { Plugin } from 'esbuild';

/** `source` with each computed key naming a top-level string constant written as that string; throws on any other. */
export function inlineSchemaKeys(source: string, file: string): { code: string; keys: number };

/** The esbuild plugin that applies inlineSchemaKeys to every SDK schema module a bundle reads. */
export function schemaKeysInlined(): Plugin;

/** The S3 client and esbuild versions this rewrite was verified against. */
export declare const VERIFIED: Readonly<Record<string, string>>;
/** Throws unless the installed versions (or `versions`) are the verified ones. */
export function checkSchemaKeys(versions?: Readonly<Record<string, string | undefined>>): void;
