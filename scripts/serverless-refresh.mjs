// Runs Serverless Framework v3 on serverless.refresh.yml, the regional refresh function (npm run package:refresh /
// deploy:refresh / remove:refresh pass their arguments through). It must live in the bucket's region, which S3
// event notifications require: --region is mandatory. package and deploy build and stage dist/lambda/ first.
import { execFileSync } from 'node:child_process';
import { runServerless } from './serverless-cli.mjs';

const args = process.argv.slice(2);
const command = args[0];
if (!command)
  fail('usage: node scripts/serverless-refresh.mjs <package|deploy|remove|info> --region <bucket region> [options]');
if (!args.some((arg) => arg === '--region' || arg === '-r' || arg.startsWith('--region='))) {
  fail("--region is required: the refresh function and the bucket's notifications must share the bucket's region");
}
if (command === 'package' || command === 'deploy') {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/stage-lambda.mjs'], { stdio: 'inherit' });
}
const result = runServerless([...args, '--config', 'serverless.refresh.yml']);
if (command === 'deploy' && result.status === 0) {
  // The function's ARN from the stack's output, then the bucket's notifications (scripts/refresh-notifications.mjs).
  const info = runServerless(['info', '--verbose', ...args.slice(1), '--config', 'serverless.refresh.yml'], {
    encoding: 'utf8',
  });
  const functionArn = /RefreshFunctionArn: (\S+)/.exec(info.stdout ?? '')?.[1];
  if (!functionArn)
    fail('deployed, but the function ARN was not found in `serverless info`: notifications not attached');
  const { attachNotifications } = await import('./refresh-notifications.mjs');
  await attachNotifications({
    bucket: param('bucket'),
    region: option('--region'),
    functionArn,
    prefix: param('originalsPrefix') ?? '',
  });
  console.log(`s3://${param('bucket')} notifies ${functionArn} of ObjectCreated:* and ObjectRemoved:*`);
}
process.exit(result.status ?? 1);

function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function param(name) {
  const found = args
    .flatMap((a, i) => (a === '--param' ? [args[i + 1] ?? ''] : []))
    .find((p) => p.startsWith(`${name}=`));
  return found?.slice(name.length + 1);
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
