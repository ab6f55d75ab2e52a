/**
 * Lambda@Edge entry point: the handler with the build-time configuration baked in. The same file, started with
 * CHILD_ROLE_ENV set, is the child process transforms run in (transform-process.ts), so the deadline can kill it.
 */
import config from '../shared/resolved-config';
import { createOriginResponseHandler } from './handler';
import { CHILD_ROLE_ENV, serveTransforms } from './transform-process';

if (process.env[CHILD_ROLE_ENV]) serveTransforms();

export const handler = createOriginResponseHandler(config, { transformScript: __filename });
