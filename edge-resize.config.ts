/**
 * Your deployment's settings, baked into both functions by `npm run build` (Lambda@Edge has no environment
 * variables). Every setting, its meaning and its default are documented in `shared/config.ts`; leave a
 * setting out to keep the default.
 *
 * Examples:
 *   sizes: { mode: 'ladder', steps: [100, 320, 640, 1280] },   // round up to these, cap at 1280
 *   sizes: { mode: 'exact', max: 1500 },                        // any size from 1 to 1500 px
 *   bucket: 'my-images',                                        // when the origin is not the S3 bucket itself
 */
import { defineConfig } from './shared/config';

export default defineConfig({});
