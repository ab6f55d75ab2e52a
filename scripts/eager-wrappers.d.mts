/**
 * `code`, a CommonJS bundle from esbuild, with each module wrapper `h(() => {…})` written as `h((function () {…}))`,
 * which V8 compiles with the script; `eager` counts those, `kept` those left as arrows (their bodies use `this`,
 * `arguments`, `super` or `new.target`).
 */
export function eagerWrappers(code: string, file: string): { code: string; eager: number; kept: number };
