/** Lambda@Edge entry point: the handler with the build-time configuration baked in. */
import config from '../shared/resolved-config';
import { createViewerRequestHandler } from './handler';

export const handler = createViewerRequestHandler(config);
