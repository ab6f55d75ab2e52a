/**
 * `npm start`: the local stack in the foreground. Prints the URL to open; Ctrl-C stops everything.
 *
 *   npm start                          sample photos, port 3000, data in .data/
 *   npm start -- --images ~/Pictures   seed from your own folder (recursively)
 *   npm start -- --port 8080 --data /tmp/edge-data
 */
import { parseArgs } from 'node:util';
import { commandLine, failCommand } from './cli-options';
import { DEFAULT_PORT, PortInUseError, startLocalStack } from './stack';

const USAGE = `usage: npm start -- [--port N] [--images DIR] [--data DIR]
  --port N      the CloudFront emulator's port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --images DIR  put the pictures under DIR into the bucket (recursively; keys are the relative paths)
  --data DIR    where S3 keeps its data across restarts (default .data/)`;

async function main(): Promise<void> {
  const { values } = commandLine('edge-resize', USAGE, () =>
    parseArgs({
      options: {
        port: { type: 'string' },
        images: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a port number, got "${values.port}"\n${USAGE}`);

  const stack = await startLocalStack({ port, images: values.images, dataDir: values.data }).catch((error: unknown) => {
    if (error instanceof PortInUseError) fail(error.message);
    fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  });
  const seeded = stack.seeded;
  console.error(
    [
      '',
      `  edge-resize is running. Open ${stack.url}`,
      '',
      `  S3 (s3rver)   ${stack.s3.endpoint}, bucket ${stack.s3.bucket}, data in ${stack.dataDir}`,
      seeded
        ? `  seeded        ${seeded.uploaded} new, ${seeded.present} already there` +
          (seeded.ignored.length ? `, ${seeded.ignored.length} ignored (paths shaped like variant keys)` : '')
        : '  seeded        no (the bucket was kept from an earlier start)',
      '  try           curl -sI "' + stack.url + 'orient6.jpg?width=200"',
      '  stop          Ctrl-C',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: do not wait any longer
    stopping = true;
    console.error(`\n  ${signal}: stopping…`);
    stack.stop().then(
      () => {
        console.error('  stopped.');
        process.exit(0);
      },
      (error: unknown) => fail(`could not stop cleanly: ${String(error)}`),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function fail(message: string): never {
  return failCommand('edge-resize', message);
}

await main();
