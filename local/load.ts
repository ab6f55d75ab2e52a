/**
 * `npm run load`: a load run against the local stack, started and removed by the run itself. Prints the
 * report's table when it stops; exits 1, with the reasons, when the run fails its pass rule.
 *
 *   npm run load                                  2,000 requests, 32 at a time
 *   npm run load -- --requests 500 --concurrency 8
 *   npm run load -- --json                        the report as one JSON object on stdout (the table on stderr)
 */
import { parseArgs } from 'node:util';
import { commandLine, failCommand } from './cli-options';
import { dropStdout } from './drop-stdout';
import { minimumRequests } from './load-plan';
import { formatReport, type LoadReport } from './load-report';
import { DEFAULT_SETTINGS, runLoad } from './load-run';

const USAGE =
  `usage: npm run load -- [--requests N] [--concurrency N] [--max-seconds S] [--seed N] [--json]
  --requests N     requests to send (default ${DEFAULT_SETTINGS.requests}; ` +
  `at least ${minimumRequests(DEFAULT_SETTINGS.concurrency)} at concurrency ${DEFAULT_SETTINGS.concurrency})
  --concurrency N  requests in flight at once (default ${DEFAULT_SETTINGS.concurrency}; at least 2)
  --max-seconds S  stop and fail after S seconds (default ${DEFAULT_SETTINGS.maxSeconds})
  --seed N         the plan's seed: the same seed sends the same requests (default ${DEFAULT_SETTINGS.seed})
  --json           print the report as one JSON object on stdout, the table on stderr`;

/** How often the progress line is written to stderr. */
const PROGRESS_EVERY_MS = 5000;

async function main(): Promise<void> {
  const { values, whole } = commandLine('edge-resize load', USAGE, () =>
    parseArgs({
      options: {
        requests: { type: 'string' },
        concurrency: { type: 'string' },
        'max-seconds': { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const settings = {
    requests: whole('--requests', values.requests, DEFAULT_SETTINGS.requests),
    concurrency: whole('--concurrency', values.concurrency, DEFAULT_SETTINGS.concurrency),
    maxSeconds: whole('--max-seconds', values['max-seconds'], DEFAULT_SETTINGS.maxSeconds),
    seed: whole('--seed', values.seed, DEFAULT_SETTINGS.seed),
  };

  const started = performance.now();
  let answered = 0;
  const progress = setInterval(() => {
    console.error(
      `  load: ${answered} of ${settings.requests} answered, ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }, PROGRESS_EVERY_MS);
  // The functions write their CloudWatch lines (two per generated variant) to stdout, as on Lambda. They are
  // dropped while the run is in flight so that stdout holds the report only; an unexpected status is reported
  // with the emulator's reason, and `npm start` shows every line.
  const restoreStdout = dropStdout();
  // Ctrl-C stops the run and still cleans up (stack stopped, temporary folders removed); a second one does not wait.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    console.error('  load: interrupted, stopping the stack and removing its folders… (Ctrl-C again to quit at once)');
    interrupt.abort();
  });
  let report: LoadReport;
  try {
    report = await runLoad({
      ...settings,
      signal: interrupt.signal,
      onAnswer: (n) => {
        answered = n;
      },
    });
  } catch (error) {
    restoreStdout();
    fail(
      error instanceof RangeError
        ? `${error.message}\n${USAGE}`
        : `the run could not complete: ${error instanceof Error ? error.stack : String(error)}`,
    );
  } finally {
    clearInterval(progress);
  }
  restoreStdout();

  if (values.json) console.error(formatReport(report));
  const output = values.json ? JSON.stringify(report) : formatReport(report);
  // Exit once the report is out: a run stopped by --max-seconds may leave generations running in the stack.
  process.stdout.write(`${output}\n`, () => process.exit(report.passed ? 0 : 1));
}

function fail(message: string): never {
  return failCommand('edge-resize load', message);
}

await main();
