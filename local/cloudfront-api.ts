/**
 * A local stand-in for the CloudFront control-plane API (REST-XML, API version 2020-05-31), for tests and tools
 * that must change a distribution: GetDistribution, GetDistributionConfig, UpdateDistribution, CreateInvalidation
 * and GetInvalidation, on 127.0.0.1. The real @aws-sdk/client-cloudfront talks to it (endpoint override, any static
 * credentials). Each distribution's configuration is kept as the XML last sent, so a field a client's model does not
 * know is lost exactly as CloudFront would lose it: UpdateDistribution replaces the whole configuration.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { XMLParser } from 'fast-xml-parser';

const VERSION = '2020-05-31';
const NAMESPACE = `http://cloudfront.amazonaws.com/doc/${VERSION}/`;
const ACCOUNT = '123456789012';
/** CloudFront's request body limit is far above any configuration; this only bounds a runaway client. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface Invalidation {
  id: string;
  callerReference: string;
  paths: string[];
  createTime: string;
}

export interface MockDistribution {
  id: string;
  domainName: string;
  /** The stored `<DistributionConfig>` document, as CloudFront returns it. */
  configXml: string;
  etag: string;
  lastModified: string;
  invalidations: Invalidation[];
}

export interface CloudFrontApi {
  /** `http://127.0.0.1:PORT`: the SDK's `endpoint`. */
  endpoint: string;
  distribution(id: string): MockDistribution;
  /** A change made by someone else (the console, another tool): the configuration and its ETag change. */
  replaceConfig(id: string, configXml: string): void;
  /** Runs before an UpdateDistribution is judged: a test may change the distribution under the caller's feet. */
  beforeUpdate: ((id: string) => void) | undefined;
  /** Every request: method, path, status. */
  requests: { method: string; path: string; status: number }[];
  stop(): Promise<void>;
}

export async function startCloudFrontApi(distributions: { id: string; domainName: string; configXml: string }[]): Promise<CloudFrontApi> {
  const state = new Map<string, MockDistribution>();
  for (const d of distributions) {
    state.set(d.id, { ...d, etag: newEtag(), lastModified: new Date().toISOString(), invalidations: [] });
  }
  const requests: CloudFrontApi['requests'] = [];
  const api: CloudFrontApi = {
    endpoint: '',
    distribution(id) {
      const found = state.get(id);
      if (!found) throw new Error(`no distribution ${id}`);
      return found;
    },
    replaceConfig(id, configXml) {
      const found = api.distribution(id);
      Object.assign(found, { configXml, etag: newEtag(), lastModified: new Date().toISOString() });
    },
    beforeUpdate: undefined,
    requests,
    stop: async () => {},
  };
  const server = createServer((req, res) => {
    handle(req, res, state, api).then(
      (status) => requests.push({ method: req.method ?? '', path: req.url ?? '', status }),
      (error: unknown) => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', status: 500 });
        sendError(res, 500, 'InternalError', error instanceof Error ? error.message : String(error), 'Receiver');
      },
    );
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  api.endpoint = `http://127.0.0.1:${port}`;
  api.stop = () => close(server);
  return api;
}

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, state: Map<string, MockDistribution>, api: CloudFrontApi): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = new RegExp(`^/${VERSION}/distribution/([A-Z0-9]+)(/config|/invalidation(?:/([A-Z0-9]+))?)?$`).exec(url.pathname);
  try {
    if (!match) throw new ApiError(404, 'NotFound', `no such resource: ${req.method} ${url.pathname}`);
    const [, id, sub, invalidationId] = match;
    const distribution = state.get(id!);
    if (!distribution) throw new ApiError(404, 'NoSuchDistribution', 'The specified distribution does not exist.');
    const body = await readBody(req);
    if (sub === '/config' && req.method === 'GET') {
      return send(res, 200, distribution.configXml, { ETag: distribution.etag });
    }
    if (sub === '/config' && req.method === 'PUT') {
      api.beforeUpdate?.(distribution.id);
      updateDistribution(distribution, req.headers['if-match'], body);
      return send(res, 200, distributionXml(distribution), { ETag: distribution.etag });
    }
    if (sub === undefined && req.method === 'GET') {
      return send(res, 200, distributionXml(distribution), { ETag: distribution.etag });
    }
    if (sub === '/invalidation' && req.method === 'POST') {
      const invalidation = createInvalidation(distribution, body);
      return send(res, 201, invalidationXml(invalidation), {
        Location: `${api.endpoint}/${VERSION}/distribution/${distribution.id}/invalidation/${invalidation.id}`,
      });
    }
    if (invalidationId && req.method === 'GET') {
      const invalidation = distribution.invalidations.find((i) => i.id === invalidationId);
      if (!invalidation) throw new ApiError(404, 'NoSuchInvalidation', 'The specified invalidation does not exist.');
      return send(res, 200, invalidationXml(invalidation));
    }
    throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return sendError(res, error.status, error.code, error.message, 'Sender');
  }
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => LIST_ITEMS.has(name) });
/** Element names that are list members in the configuration (one or many, always an array once parsed). */
const LIST_ITEMS = new Set(['Path', 'LambdaFunctionAssociation', 'FunctionAssociation', 'CacheBehavior', 'Origin']);

function updateDistribution(distribution: MockDistribution, ifMatch: string | string[] | undefined, body: string): void {
  if (typeof ifMatch !== 'string' || !ifMatch) {
    throw new ApiError(400, 'InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.');
  }
  if (ifMatch !== distribution.etag) {
    throw new ApiError(412, 'PreconditionFailed', 'The precondition given in one or more of the request-header fields evaluated to false.');
  }
  const sent = parseXml(body).DistributionConfig as Record<string, unknown> | undefined;
  if (!sent) throw new ApiError(400, 'MalformedXML', 'The request body is not a DistributionConfig document.');
  const stored = parseXml(distribution.configXml).DistributionConfig as Record<string, unknown>;
  if (sent.CallerReference !== stored.CallerReference) {
    throw new ApiError(400, 'IllegalUpdate', 'CallerReference cannot be changed.');
  }
  const inconsistent = inconsistentQuantity(sent, 'DistributionConfig');
  if (inconsistent) throw new ApiError(400, 'InconsistentQuantities', `Quantity does not match Items in ${inconsistent}.`);
  const behaviours = [sent.DefaultCacheBehavior, ...listItems(sent.CacheBehaviors, 'CacheBehavior')] as Record<string, unknown>[];
  for (const behaviour of behaviours) {
    const reason = associationProblem(behaviour);
    if (reason) throw new ApiError(400, 'InvalidLambdaFunctionAssociation', reason);
  }
  distribution.configXml = body;
  distribution.etag = newEtag();
  distribution.lastModified = new Date().toISOString();
}

/** CloudFront's rules for a behaviour's triggers: one per event type, numbered versions, no Lambda and Function on one event. */
function associationProblem(behaviour: Record<string, unknown> | undefined): string | undefined {
  if (!behaviour) return 'a cache behavior is missing';
  const lambdas = listItems(behaviour.LambdaFunctionAssociations, 'LambdaFunctionAssociation');
  const functions = listItems(behaviour.FunctionAssociations, 'FunctionAssociation');
  const seen = new Set<string>();
  for (const association of lambdas) {
    const type = String(association.EventType);
    if (seen.has(type)) return `more than one Lambda function association for ${type}`;
    seen.add(type);
    if (!/^arn:aws:lambda:us-east-1:\d{12}:function:[\w-]+:\d+$/.test(String(association.LambdaFunctionARN))) {
      return `The function ARN must reference a specific function version in us-east-1: ${String(association.LambdaFunctionARN)}`;
    }
  }
  for (const association of functions) {
    if (seen.has(String(association.EventType))) {
      return `a Lambda@Edge function and a CloudFront function are both associated with ${String(association.EventType)}`;
    }
  }
  return undefined;
}

function createInvalidation(distribution: MockDistribution, body: string): Invalidation {
  const batch = parseXml(body).InvalidationBatch as Record<string, unknown> | undefined;
  if (!batch) throw new ApiError(400, 'MalformedXML', 'The request body is not an InvalidationBatch document.');
  const paths = listItems(batch.Paths, 'Path') as unknown as string[];
  if (Number((batch.Paths as Record<string, unknown> | undefined)?.Quantity) !== paths.length) {
    throw new ApiError(400, 'InconsistentQuantities', 'Quantity does not match the number of paths.');
  }
  for (const path of paths) {
    if (!path.startsWith('/')) throw new ApiError(400, 'InvalidArgument', `Your request contains one or more invalid invalidation paths: ${path}`);
    const star = path.indexOf('*');
    if (star !== -1 && star !== path.length - 1) throw new ApiError(400, 'InvalidArgument', `A wildcard may only end a path: ${path}`);
  }
  const callerReference = String(batch.CallerReference ?? '');
  const earlier = distribution.invalidations.find((i) => i.callerReference === callerReference);
  if (earlier) {
    if (earlier.paths.join('\n') === paths.join('\n')) return earlier;
    throw new ApiError(409, 'InvalidationBatchAlreadyExists', 'The CallerReference was already used for another batch.');
  }
  const invalidation = { id: `I${randomId(13)}`, callerReference, paths, createTime: new Date().toISOString() };
  distribution.invalidations.push(invalidation);
  return invalidation;
}

function distributionXml(d: MockDistribution): string {
  const config = d.configXml.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/^<DistributionConfig[^>]*>/, '<DistributionConfig>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Distribution xmlns="${NAMESPACE}"><Id>${d.id}</Id>`
    + `<ARN>arn:aws:cloudfront::${ACCOUNT}:distribution/${d.id}</ARN><Status>Deployed</Status>`
    + `<LastModifiedTime>${d.lastModified}</LastModifiedTime><InProgressInvalidationBatches>0</InProgressInvalidationBatches>`
    + `<DomainName>${d.domainName}</DomainName><ActiveTrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedSigners>`
    + `<ActiveTrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedKeyGroups>${config}</Distribution>`;
}

function invalidationXml(i: Invalidation): string {
  const paths = i.paths.map((path) => `<Path>${escapeXml(path)}</Path>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Invalidation xmlns="${NAMESPACE}"><Id>${i.id}</Id><Status>Completed</Status>`
    + `<CreateTime>${i.createTime}</CreateTime><InvalidationBatch><Paths><Quantity>${i.paths.length}</Quantity>`
    + `<Items>${paths}</Items></Paths><CallerReference>${escapeXml(i.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`;
}

/** The first element path under `node` whose `Quantity` differs from its number of `Items`, if any. */
function inconsistentQuantity(node: unknown, path: string): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if ('Quantity' in record) {
    const items = record.Items;
    const count = items === undefined || items === '' ? 0
      : Object.values(items as Record<string, unknown>).reduce<number>((sum, v) => sum + (Array.isArray(v) ? v.length : 1), 0);
    if (Number(record.Quantity) !== count) return path;
  }
  for (const [name, child] of Object.entries(record)) {
    for (const item of Array.isArray(child) ? child : [child]) {
      const found = inconsistentQuantity(item, `${path}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}

function listItems(list: unknown, member: string): Record<string, unknown>[] {
  const items = (list as { Items?: Record<string, unknown> } | undefined)?.Items;
  return items && typeof items === 'object' ? (items[member] as Record<string, unknown>[] | undefined) ?? [] : [];
}

function parseXml(text: string): Record<string, unknown> {
  try {
    return parser.parse(text, true) as Record<string, unknown>;
  } catch (error) {
    throw new ApiError(400, 'MalformedXML', `The XML you provided was not well-formed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) req.destroy(new ApiError(413, 'EntityTooLarge', 'request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): number {
  res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amz-request-id': randomId(16), ...headers }).end(xml);
  return status;
}

function sendError(res: ServerResponse, status: number, code: string, message: string, type: 'Sender' | 'Receiver'): number {
  if (res.headersSent) return status;
  return send(res, status, `<?xml version="1.0"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type>`
    + `<Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomId(16)}</RequestId></ErrorResponse>`);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** CloudFront's ETags look like `E2QWRUHAPOMQZL`. */
function newEtag(): string {
  return `E${randomId(13)}`;
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
