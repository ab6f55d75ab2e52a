/**
 * Not shipped: the key grammar without the viewer-request's refusal of keys off the policy or not in canonical
 * form, built in place of shared/variant-key.ts wherever a bench build of the viewer-request imports it (only
 * rewrite.ts does), so the bench can weigh what that refusal adds to the bundle (bench/viewer-bundle.ts). The origin-response would still refuse such a key
 * (it never generates one); the viewer would only hear so after S3's miss, and each try would cost a run.
 */
import type { ViewerConfig } from '../../shared/config';
import { readVariantKey, type KeyParse } from '../../shared/variant-key';

export { formatVariantKey } from '../../shared/variant-key';

export function parseVariantKey(uri: string, _config: ViewerConfig): KeyParse {
  const variant = readVariantKey(uri);
  return variant ? { kind: 'variant', variant } : { kind: 'not-variant' };
}
