/**
 * `npm run keyspace`: how many variant keys your `edge-resize.config.ts` lets an anonymous client mint per
 * original, and what a million of them cost the owner.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import userConfig from '../edge-resize.config';
import { resolveConfig } from '../shared/config';
import { keySpaceReport } from './key-space';
import { REPO_ROOT } from './paths';

const { values } = parseArgs({
  options: {
    'seconds-per-miss': { type: 'string' },
    'variant-kb': { type: 'string' },
    'viewer-seconds': { type: 'string' },
  },
});

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) {
    process.stderr.write(`--${name} must be a positive number, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

const report = keySpaceReport(resolveConfig(userConfig), readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8'), {
  secondsPerMiss: positive('seconds-per-miss', values['seconds-per-miss']),
  averageVariantKb: positive('variant-kb', values['variant-kb']),
  viewerSecondsPerRequest: positive('viewer-seconds', values['viewer-seconds']),
});
process.stdout.write(`${report}\n`);
