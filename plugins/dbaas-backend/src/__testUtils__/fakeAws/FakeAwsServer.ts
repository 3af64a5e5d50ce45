import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RDSClient } from '@aws-sdk/client-rds';
import { ClusterConnection } from '@dbaas/plugin-dbaas-node';
import {
  FakeAwsError,
  QueryParams,
  sendJson,
  sendJsonError,
  sendQueryError,
  sendQueryResult,
} from './awsWire';
import { FakeRds } from './FakeRds';
import { FakeSecretsManager } from './FakeSecretsManager';

/** Credentials the fake accepts (it reads no signature). */
export const FAKE_AWS_CREDENTIALS = {
  accessKeyId: 'AKIAFAKEAWSTEST',
  secretAccessKey: 'fake-aws-secret',
};

/**
 * One local HTTP endpoint that answers the AWS SDK as RDS (query protocol,
 * form-encoded `Action=`) and as Secrets Manager (JSON 1.1,
 * `X-Amz-Target: secretsmanager.*`): clients are pointed at it with
 * `endpoint`, so requests and answers go through the SDK's real
 * serialisers, parsers, error mapping and retries.
 */
export class FakeAwsServer {
  readonly rds: FakeRds;
  readonly secretsManager: FakeSecretsManager;
  readonly #server: Server;

  private constructor(server: Server, rds: FakeRds, sm: FakeSecretsManager) {
    this.#server = server;
    this.rds = rds;
    this.secretsManager = sm;
  }

  /** `server`: the PostgreSQL the fake clusters' databases live on. */
  static async start(options: {
    server: ClusterConnection;
  }): Promise<FakeAwsServer> {
    const rds = new FakeRds(options.server);
    const sm = new FakeSecretsManager();
    const server = createServer((req, res) => {
      void readBody(req).then(async body => {
        const target = req.headers['x-amz-target'];
        if (typeof target === 'string') {
          const operation = target.replace(/^secretsmanager\./, '');
          try {
            sendJson(res, await sm.handle(operation, JSON.parse(body || '{}')));
          } catch (error) {
            sendJsonError(res, asAwsError(error));
          }
          return;
        }
        const params = new QueryParams(new URLSearchParams(body));
        const action = params.get('Action') ?? '';
        try {
          sendQueryResult(
            res,
            action,
            rds.namespace,
            await rds.handle(action, params),
          );
        } catch (error) {
          sendQueryError(res, rds.namespace, asAwsError(error));
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new FakeAwsServer(server, rds, sm);
  }

  get endpoint(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** What an SDK client needs to talk to the fake. */
  clientConfig(region = 'eu-west-1') {
    return {
      region,
      endpoint: this.endpoint,
      credentials: FAKE_AWS_CREDENTIALS,
      // Failures the tests inject must reach the code, not the SDK's retries.
      maxAttempts: 1,
    };
  }

  rdsClient(region?: string): RDSClient {
    return new RDSClient(this.clientConfig(region));
  }

  /** A Secrets Manager call as any client sends it (no SDK needed). */
  async secretsManagerCall(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `secretsmanager.${operation}`,
      },
      body: JSON.stringify(input),
    });
    return { status: response.status, body: await response.json() };
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
    await this.rds.close();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function asAwsError(error: unknown): FakeAwsError {
  return error instanceof FakeAwsError
    ? error
    : new FakeAwsError(
        'InternalFailure',
        `fake AWS failed: ${(error as Error)?.message}`,
        500,
      );
}
