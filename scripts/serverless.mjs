// Runs the project's Serverless Framework v3 (npm run package / deploy / remove pass their arguments through):
//   - package and deploy first build the bundles into dist/package/ with the pathPattern's prefix baked in (from
//     --param pathPattern, else edge-resize.config.ts's, which must agree) and stage dist/lambda/ (what
//     serverless.yml zips), after refusing a pathPattern the variant keys cannot stay under;
//   - no telemetry and no notifications, so `package` makes no network call and needs no credentials;
//   - Lambda@Edge lives in us-east-1: any other --region is refused rather than half-deployed;
//   - deploy then attaches both published versions in one UpdateDistribution (deploy/, not the plugin: see
//     docs/deploying.md), and with --verify-url runs `verify` on it;
//   - detach and verify are ours alone (deploy/cli.ts), with the same --param and --stage options.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildDeploy } from './build-deploy.mjs';
import { runServerless } from './serverless-cli.mjs';

// Where packaging builds the bundles: apart from dist/<function>/, which `npm run build` makes from the config.
const PACKAGE_BUILD = 'dist/package';

const given = process.argv.slice(2);
const command = given[0];
if (!command) fail('usage: node scripts/serverless.mjs <package|deploy|remove|info|detach|verify> [options]');
// Ours, not serverless's: the URL of an original for the verify run at the end of a deploy.
const verifyUrl = optionValue(given, '--verify-url');
let args = withoutOption(given, '--verify-url');

const region = optionValue(args, '--region') ?? optionValue(args, '-r');
if (region !== undefined && region !== 'us-east-1') fail(`Lambda@Edge functions live in us-east-1, not ${region}`);

if (command === 'detach' || command === 'verify' || command === 'attach') {
  await buildDeploy();
  process.exit(runDeployCli(args));
}

if (command === 'package' || command === 'deploy') {
  const userConfig = await readUserConfig();
  requireOneBucket(userConfig.bucket, paramValue(args, 'bucket'));
  // One pattern for the build, the attach step and the template: the param, else the config file's.
  const pathPattern = paramValue(args, 'pathPattern') ?? userConfig.pathPattern;
  if (userConfig.pathPattern !== undefined && pathPattern !== userConfig.pathPattern) {
    fail(
      `edge-resize.config.ts sets pathPattern "${userConfig.pathPattern}" but --param pathPattern=${pathPattern}: ` +
        'the variant keys would not match the behaviour',
    );
  }
  if (pathPattern !== undefined && paramValue(args, 'pathPattern') === undefined) {
    args = [...args, '--param', `pathPattern=${pathPattern}`];
  }
  await buildDeploy();
  const check = runDeployCli(['check-pattern', ...args.slice(1)]);
  if (check !== 0) process.exit(check);
  const build = ['scripts/build.mjs', '--out', PACKAGE_BUILD, ...(pathPattern ? ['--path-pattern', pathPattern] : [])];
  execFileSync(process.execPath, build, { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/stage-lambda.mjs', '--from', PACKAGE_BUILD], { stdio: 'inherit' });
}

const result = runServerless(args);
if (command !== 'deploy' || result.status !== 0) process.exit(result.status ?? 1);

// The stack is deployed and both versions published; nothing is attached yet (the plugin's update is off).
const attached = runDeployCli(['attach', ...args.slice(1)]);
if (attached !== 0) {
  console.error(
    'The functions are deployed but not attached: the distribution is as it was. Fix the cause above ' +
      'and run `npm run deploy` again (docs/deploying.md, "Recovering a half-done deploy").',
  );
  process.exit(attached);
}
if (verifyUrl) process.exit(runDeployCli(['verify', '--url', verifyUrl, ...args.slice(1)]));
console.log(
  'Attached. Check it end to end: npm run verify -- --url https://<your domain>/<an original> ' +
    'with the same --param options.',
);
process.exit(0);

/** Runs dist/deploy/cli.mjs (built by buildDeploy) with `list`; its exit status. */
function runDeployCli(list) {
  return spawnSync(process.execPath, ['dist/deploy/cli.mjs', ...list], { stdio: 'inherit' }).status ?? 1;
}

/** The settings edge-resize.config.ts sets, as written (not merged over the defaults). */
async function readUserConfig() {
  const result = await build({
    entryPoints: ['edge-resize.config.ts'],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    logLevel: 'error',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(
    module,
    module.exports,
    createRequire(import.meta.url),
  );
  return module.exports.default ?? {};
}

/**
 * The role may read and write `--param bucket` only; the function uses the bucket from edge-resize.config.ts when
 * set there, else the one in the event (the distribution's S3 origin). Two different names would deploy a function
 * that is denied every read: refuse that here, before anything is built.
 */
function requireOneBucket(configBucket, paramBucket) {
  if (configBucket !== undefined && paramBucket !== undefined && configBucket !== paramBucket) {
    fail(
      `edge-resize.config.ts sets bucket "${configBucket}" but --param bucket=${paramBucket}: the function ` +
        `would be denied its own bucket`,
    );
  }
}

/** The value of `--param name=value` (or `--param=name=value`), if given. */
function paramValue(list, name) {
  const params = list.flatMap((arg, i) =>
    arg === '--param' ? [list[i + 1] ?? ''] : arg.startsWith('--param=') ? [arg.slice(8)] : [],
  );
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

/** `list` without `--name value` / `--name=value`. */
function withoutOption(list, name) {
  return list.filter((arg, i) => arg !== name && list[i - 1] !== name && !arg.startsWith(`${name}=`));
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
