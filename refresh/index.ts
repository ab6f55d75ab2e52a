/** Regional Lambda entry point: the refresh handler with the build-time configuration and its environment. */
import config from '../shared/resolved-config';
import { createRefreshHandler, settingsFromEnv } from './handler';

export const handler = createRefreshHandler(config, settingsFromEnv(process.env));
