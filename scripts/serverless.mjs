// Runs the project's Serverless Framework v3 (npm run package / deploy / remove pass their arguments through):
//   - package and deploy first build the bundles and stage dist/lambda/ (what serverless.yml zips);
//   - no telemetry and no notifications, so `package` makes no network call and needs no credentials;
//   - Lambda@Edge lives in us-east-1: any other --region is refused rather than half-deployed.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const command = args[0];
if (!command) fail('usage: node scripts/serverless.mjs <package|deploy|remove|info> [serverless options]');

const region = optionValue(args, '--region') ?? optionValue(args, '-r');
if (region !== undefined && region !== 'us-east-1') fail(`Lambda@Edge functions live in us-east-1, not ${region}`);

if (command === 'package' || command === 'deploy') {
  await requireOneBucket(paramValue(args, 'bucket'));
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/stage-lambda.mjs'], { stdio: 'inherit' });
}

const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_INTERACTIVE_SETUP_DISABLE: '1' };
const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env });
process.exit(result.status ?? 1);

/**
 * The role may read and write `--param bucket` only; the function uses the bucket from edge-resize.config.ts when
 * set there, else the one in the event (the distribution's S3 origin). Two different names would deploy a function
 * that is denied every read: refuse that here, before anything is built.
 */
async function requireOneBucket(paramBucket) {
  const result = await build({ entryPoints: ['edge-resize.config.ts'], bundle: true, write: false, format: 'cjs', platform: 'node', logLevel: 'error' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  const configBucket = (module.exports.default ?? {}).bucket;
  if (configBucket !== undefined && paramBucket !== undefined && configBucket !== paramBucket) {
    fail(`edge-resize.config.ts sets bucket "${configBucket}" but --param bucket=${paramBucket}: the function would be denied its own bucket`);
  }
}

/** The value of `--param name=value` (or `--param=name=value`), if given. */
function paramValue(list, name) {
  const params = list.flatMap((arg, i) => (arg === '--param' ? [list[i + 1] ?? ''] : arg.startsWith('--param=') ? [arg.slice(8)] : []));
  const match = params.find((param) => param.startsWith(`${name}=`));
  return match?.slice(name.length + 1);
}

/** The value of `--name value` or `--name=value`, if given. */
function optionValue(list, name) {
  for (let i = 0; i < list.length; i += 1) {
    if (list[i] === name) return list[i + 1];
    if (list[i]?.startsWith(`${name}=`)) return list[i].slice(name.length + 1);
  }
  return undefined;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
