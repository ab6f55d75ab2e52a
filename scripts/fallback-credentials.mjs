// Shared by scripts/build.mjs, which leaves these out of the origin-response bundle, and scripts/stage-lambda.mjs,
// which ships them beside it.
/**
 * The SDK's credential providers after the first, which its default chain loads by `import()` only when the one
 * before it found nothing. Lambda gives a function its role's keys in the environment, which the first link,
 * fromEnv (bundled), reads; these never load there. Left out of the bundle and shipped beside it in node_modules
 * (scripts/stage-lambda.mjs), the chain still works whole, and a cold start does not compile their 126 KB
 * (with the clients for STS, SSO and sign-in they bring) for nothing. scripts/build.mjs's checkLazy holds each
 * to an `import()`.
 */
export const FALLBACK_CREDENTIALS = [
  '@aws-sdk/credential-provider-sso', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity', '@smithy/credential-provider-imds', '@aws-sdk/credential-provider-http',
];
