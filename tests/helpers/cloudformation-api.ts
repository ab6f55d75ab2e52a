/**
 * CloudFormation's DescribeStacks on loopback (the Query protocol: a form-encoded POST, an XML answer), holding
 * stacks and their outputs as serverless leaves them, so the attach step's read of the published versions runs
 * through the real SDK v3 client.
 */
import { createServer, type Server } from 'node:http';

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export interface CloudFormationApi {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startCloudFormationApi(
  stacks: Record<string, Record<string, string>>,
): Promise<CloudFormationApi> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const name = form.get('StackName') ?? '';
      const outputs = stacks[name];
      if (form.get('Action') !== 'DescribeStacks' || !outputs) {
        res
          .writeHead(400, { 'Content-Type': 'text/xml' })
          .end(
            `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type>` +
              `<Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error>` +
              '<RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ErrorResponse>',
          );
        return;
      }
      const members = Object.entries(outputs)
        .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`)
        .join('');
      res
        .writeHead(200, { 'Content-Type': 'text/xml' })
        .end(
          `<DescribeStacksResponse xmlns="${NAMESPACE}"><DescribeStacksResult>` +
            `<Stacks><member><StackName>${name}</StackName>` +
            `<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1a2b3c4d</StackId>` +
            '<CreationTime>2026-11-30T09:00:00.000Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus>' +
            `<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>` +
            '<ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>' +
            '</DescribeStacksResponse>',
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
