/**
 * The bench weighs the viewer-request built with stand-ins (scripts/build.mjs, bench/stand-ins/). Its figures mean
 * something only if each build replaced exactly what it says, kept everything else, and never reached the
 * shipped bundle: checked here on the builds `npm run build` made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answers } from '../../bench/viewer-bundle';
import { REPO_ROOT } from '../../local/paths';

const built = (file: string) => join(REPO_ROOT, file);
const inputs = (meta: string) => Object.keys((JSON.parse(readFileSync(built(meta), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
const benchInputs = (meta: string) => inputs(meta).filter((i) => i.startsWith('bench/')).sort();

const SHIPPED = built('dist/viewer-request/index.js');
const NO_KEY_REFUSAL = built('dist/bench/viewer-request-no-key-refusal.js');
const PLAIN_LOG_TOO = built('dist/bench/viewer-request-plain-log-too.js');

describe('the bench\'s stand-in builds of the viewer-request', () => {
  it('the shipped bundle holds no stand-in; each stand-in build holds its own and the module it builds on', () => {
    expect(benchInputs('dist/viewer-request/meta.json')).toEqual([]);
    expect(benchInputs('dist/bench/viewer-request-no-key-refusal.meta.json')).toEqual(['bench/stand-ins/key-grammar-only.ts']);
    expect(inputs('dist/bench/viewer-request-no-key-refusal.meta.json')).toEqual(expect.arrayContaining(['shared/variant-key.ts', 'shared/log.ts']));
    expect(benchInputs('dist/bench/viewer-request-plain-log-too.meta.json')).toEqual(['bench/stand-ins/key-grammar-only.ts', 'bench/stand-ins/plain-log.ts']);
    // The plain log builds on the real module for errorText only: the hand-built line's code is gone.
    expect(readFileSync(PLAIN_LOG_TOO, 'utf8')).not.toContain('"level":"');
    expect(readFileSync(SHIPPED, 'utf8')).toContain('"level":"');
  });

  it('without the key refusal, an off-policy key passes to the origin; the shipped bundle answers 400', async () => {
    const sample = [{ uri: '/333w/default/img.jpg', querystring: '', headers: {} }];
    const [shipped] = await answers(SHIPPED, sample);
    expect(shipped).toMatch(/^\{"status":"400".*"body":"width 333 is not an allowed size\\n"/);
    const [standIn] = await answers(NO_KEY_REFUSAL, sample);
    expect(standIn).toMatch(/^\{[^ ]*"uri":"\/333w\/default\/img\.jpg"/);
  });

  it('every build answers the rest as the shipped one does, with the same log lines', async () => {
    const samples = [
      { uri: '/photos/cat.jpg', querystring: 'width=400&style=bw', headers: {} },
      { uri: '/img.jpg', querystring: 'width=abc', headers: {} },
      { uri: '/400w/avif/photos/cat.jpg', querystring: '', headers: {} },
      { uri: '/index.html', querystring: '', headers: {} },
    ];
    const shipped = await answers(SHIPPED, samples);
    for (const line of shipped) expect(line).toMatch(/ \{"level":"INFO","message":"[a-z ]+",,?"service":"edge-resize-viewer-request"/);
    expect(await answers(NO_KEY_REFUSAL, samples)).toEqual(shipped);
    expect(await answers(PLAIN_LOG_TOO, samples)).toEqual(shipped);
  });
});
