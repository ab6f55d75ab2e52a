/** Lambda@Edge entry point: the handler with the build-time configuration baked in. */
import userConfig from '../edge-resize.config';
import { resolveConfig } from '../shared/config';
import { createViewerRequestHandler } from './handler';

export const handler = createViewerRequestHandler(resolveConfig(userConfig));
