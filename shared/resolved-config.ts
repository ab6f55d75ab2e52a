/**
 * The deployment's configuration: `edge-resize.config.ts` merged over the defaults and validated. The build
 * replaces this module with the resulting plain JSON (scripts/build.mjs), so the bundles carry the values, not
 * the validation code, and a bad setting fails `npm run build` rather than a Lambda.
 */
import userConfig from '../edge-resize.config';
import { resolveConfig } from './config';

export default resolveConfig(userConfig);
