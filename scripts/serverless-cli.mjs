// Serverless Framework v3 as the project runs it, shared by scripts/serverless.mjs and scripts/serverless-refresh.mjs:
// no telemetry, no notifications and no interactive setup, so `package` makes no network call and needs no
// credentials.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** Runs serverless with `args` (stdio inherited unless `options` say otherwise); spawnSync's result. */
export function runServerless(args, options = { stdio: 'inherit' }) {
  const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
  const env = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
  };
  return spawnSync(process.execPath, [cli, ...args], { ...options, env });
}
