/** Lambda@Edge entry point: the handler with the build-time configuration baked in. */
import userConfig from '../edge-resize.config';
import { resolveConfig } from '../shared/config';
import { createOriginResponseHandler } from './handler';

export const handler = createOriginResponseHandler(resolveConfig(userConfig));
