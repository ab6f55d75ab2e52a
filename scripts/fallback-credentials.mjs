// Shared by scripts/build.mjs, which leaves these out of the origin-response bundle, and scripts/stage-lambda.mjs,
// which ships them beside it.
import { checkVerified, installedVersion, packageJsonOf } from './verified.mjs';

/**
 * The SDK's credential providers after the first, which its default chain (@aws-sdk/credential-provider-node)
 * loads by `import()` only when the one before it found nothing. Lambda gives a function its role's keys in the
 * environment, which the first link, fromEnv (bundled), reads; these never load there. Left out of the bundle and
 * shipped beside it in node_modules (scripts/stage-lambda.mjs), the chain still works whole, and a cold start
 * does not compile them (with the clients for STS, SSO and sign-in they bring) for nothing.
 */
export const FALLBACK_CREDENTIALS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@smithy/credential-provider-imds',
  '@aws-sdk/credential-provider-http',
];

/** The credential chain whose providers these are, and the esbuild whose output checkLazy reads. */
export const VERIFIED = { '@aws-sdk/credential-provider-node': '3.972.99', esbuild: '0.28.2' };

/** The chain's version as the S3 client resolves it, and esbuild's. */
function installed() {
  const chain = installedVersion('@aws-sdk/credential-provider-node', packageJsonOf('@aws-sdk/client-s3'));
  return { '@aws-sdk/credential-provider-node': chain, esbuild: installedVersion('esbuild') };
}

/** Throws unless the installed chain and esbuild (or `versions`, for a test) are the verified ones. */
export function checkFallbackCredentials(versions = installed()) {
  checkVerified('scripts/fallback-credentials.mjs', VERIFIED, versions);
}

/**
 * Throws unless the bundle `code` reaches every fallback provider only through an `import()`: were the SDK ever
 * to import one statically, every cold start would load it (from node_modules, so still working).
 */
export function checkLazy(code, file) {
  for (const name of FALLBACK_CREDENTIALS) {
    const quoted = JSON.stringify(name);
    const uses = code.split(quoted).length - 1;
    const lazy = code.split(`import(${quoted})`).length - 1;
    if (lazy === 0 || uses !== lazy) {
      throw new Error(`${file}: ${name} must be loaded only by import(), found ${uses} uses, ${lazy} of them import()`);
    }
  }
}
