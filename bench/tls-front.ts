/**
 * HTTPS in front of s3rver on loopback, for the bench's fresh processes: the deployed function always speaks
 * HTTPS to S3, so its first miss pays a TLS handshake (and its process the trust store), which plain HTTP to
 * s3rver would leave out. Plain HTTP would also put in a cost Lambda never pays: for an `http:` endpoint the SDK
 * loads `node:http` by `import()`, and on Node 22 that import loads undici (docs/performance.md).
 *
 * A TLS server that pipes each connection to s3rver's port, with a certificate for 127.0.0.1 signed by a CA made
 * for this run by the machine's `openssl` (Debian's ca-certificates depends on it). The children trust that CA
 * through NODE_EXTRA_CA_CERTS: Node still loads its own root store beside it, as Lambda's does. The bench's own
 * calls (seeding the bucket) go to s3rver directly. The CA's key is thrown away with the run's folder.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

export interface TlsFront {
  /** `https://127.0.0.1:PORT`, for AWS_ENDPOINT_URL_S3. */
  endpoint: string;
  /** The CA that signed the front's certificate (PEM file), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  stop(): Promise<void>;
}

/** RSA 2048 like S3's own certificates; valid for two days, for one run. */
function makeCertificates(directory: string): { key: Buffer; chain: string; caFile: string } {
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? "the bench's TLS front needs openssl (apt-get install -y openssl)"
          : `openssl ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
        { cause: error },
      );
    }
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=edge-resize bench CA',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'front.key',
    '-out',
    'front.csr',
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(join(directory, 'front.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'front.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'front.pem',
    '-days',
    '2',
    '-extfile',
    'front.ext',
  );
  const caFile = join(directory, 'ca.pem');
  // The chain as S3 sends one: the server's certificate, then its issuer.
  return {
    key: readFileSync(join(directory, 'front.key')),
    chain: readFileSync(join(directory, 'front.pem'), 'utf8') + readFileSync(caFile, 'utf8'),
    caFile,
  };
}

/** Starts the front for s3rver on `backendPort`, its certificates in `directory` (which must exist). */
export async function startTlsFront(backendPort: number, directory: string): Promise<TlsFront> {
  const { key, chain, caFile } = makeCertificates(directory);
  const sockets = new Set<Socket>();
  const server = createServer({ key, cert: chain }, (client) => {
    const backend = connect(backendPort, '127.0.0.1');
    for (const socket of [client, backend]) {
      // As Node's http does on its own sockets: with Nagle's algorithm a relayed request's last small write waits
      // for the peer's delayed ACK, about 40 ms.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    // Either side failing ends both: the child then sees a reset, as from a broken connection to S3.
    client.on('error', () => backend.destroy());
    backend.on('error', () => client.destroy());
    client.pipe(backend).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    caFile,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
