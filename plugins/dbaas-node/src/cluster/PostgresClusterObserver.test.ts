import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import { PostgresClusterObserver } from './PostgresClusterObserver';
import { PostgresProvisioner } from './PostgresProvisioner';
import { quoteIdent } from './sql';
import {
  connectAs,
  postgresSuite,
  TEST_DATABASE_URL,
  dropEverything,
  MemorySecretStore,
  testConnection,
  uniqueNamespace,
  withSuperuser,
} from './__testUtils__/postgres';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;
import { ClusterConnection } from './connectionConfig';

jest.setTimeout(60_000);

const PASSWORD = 'Observer-Secret-Password-123';

function connectionTo(port: number): ClusterConnection {
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: PASSWORD,
    database: 'postgres',
    ssl: false,
  };
}

describe('PostgresClusterObserver when it cannot look', () => {
  it('reports a refused connection as unreachable, without the password', async () => {
    const observer = new PostgresClusterObserver({
      cluster: 'gone',
      connection: connectionTo(1),
    });
    const observation = await observer.observe();
    expect(observation).toEqual({
      cluster: 'gone',
      reachable: false,
      observedAt: expect.any(Date),
      error: expect.stringMatching(
        /^Cannot observe cluster 'gone' at postgres@127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/,
      ),
    });
    expect(JSON.stringify(observation)).not.toContain(PASSWORD);
  });

  describe('with a server that accepts and never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      server = createServer(socket => sockets.push(socket));
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
    });
    afterAll(async () => {
      sockets.forEach(s => s.destroy());
      await new Promise(resolve => server.close(resolve));
    });

    it('gives up after connectionTimeoutMillis', async () => {
      const { port } = server.address() as AddressInfo;
      const observer = new PostgresClusterObserver({
        cluster: 'slow',
        connection: connectionTo(port),
        connectionTimeoutMillis: 300,
      });
      const started = Date.now();
      const observation = await observer.observe();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(observation.reachable).toBe(false);
      expect(observation.reachable === false && observation.error).toMatch(
        /^Cannot observe cluster 'slow' at .*: .*(timeout|terminated)/i,
      );
      expect(observation.reachable === false && observation.error).not.toMatch(
        /\n/,
      );
    });
  });
});

describeWithPostgres(
  postgresSuite('PostgresClusterObserver on a real server'),
  () => {
    const ns = uniqueNamespace('obs');
    const provisioned = deriveDatabaseNames(ns, 'ledger');
    const bare = deriveDatabaseNames(ns, 'bare');
    const chartLike = deriveDatabaseNames(ns, 'chart');
    const noDash = `${ns}nodash`;
    const roles = [provisioned, chartLike].flatMap(n => [
      n.roles.read,
      n.roles.write,
      n.roles.admin,
    ]);

    beforeAll(async () => {
      const provisioner = new PostgresProvisioner({
        cluster: 'test',
        connection: testConnection(),
        publicEndpoint: { host: 'localhost', port: 5432 },
        secretStore: new MemorySecretStore(),
      });
      await provisioner.ensure({
        namespace: ns,
        name: 'ledger',
        mode: 'standard',
      });
      await provisioner.ensure({
        namespace: ns,
        name: 'chart',
        mode: 'standard',
      });
      await withSuperuser(async c => {
        await c.query(`CREATE DATABASE ${quoteIdent(bare.databaseName)}`);
        await c.query(`CREATE DATABASE ${quoteIdent(noDash)}`);
        // Like a chart that keeps the database owned by the master user and
        // only hands schema public to the admin role.
        await c.query(
          `ALTER DATABASE ${quoteIdent(
            chartLike.databaseName,
          )} OWNER TO CURRENT_USER`,
        );
      });
    });

    afterAll(() =>
      dropEverything(
        [
          provisioned.databaseName,
          bare.databaseName,
          chartLike.databaseName,
          noDash,
        ],
        roles,
      ),
    );

    function observer(publicSchemaCheck?: 'database-owner' | 'schema-owner') {
      return new PostgresClusterObserver({
        cluster: 'test',
        connection: testConnection(),
        publicSchemaCheck,
      });
    }

    it('sees databases, roles, ownership, size and connections in one pass', async () => {
      const { user, password } = testConnection();
      const session = await connectAs(
        user,
        password!,
        provisioned.databaseName,
      );
      try {
        const observation = await observer().observe();
        if (!observation.reachable) {
          throw new Error(observation.error);
        }
        expect(observation.cluster).toBe('test');
        expect(observation.serverVersion).toMatch(/^\d+(\.\d+)?/);
        expect(observation.databases.get(provisioned.databaseName)).toEqual({
          databaseName: provisioned.databaseName,
          sizeBytes: expect.any(Number),
          roles: { read: true, write: true, admin: true },
          adminOwnsPublicSchema: true,
          connections: 1,
        });
        expect(
          observation.databases.get(provisioned.databaseName)!.sizeBytes,
        ).toBeGreaterThan(1_000_000);
        expect(observation.databases.get(bare.databaseName)).toMatchObject({
          roles: { read: false, write: false, admin: false },
          adminOwnsPublicSchema: false,
          connections: 0,
        });
        for (const name of observation.databases.keys()) {
          expect(name).toContain('-');
        }
        expect(observation.databases.has(noDash)).toBe(false);
        expect(observation.databases.has('postgres')).toBe(false);
        expect(observation.databases.has('template1')).toBe(false);
      } finally {
        await session.end();
      }
    });

    it('uses one connection per pass', async () => {
      const spy = jest.spyOn(
        jest.requireActual('pg').Client.prototype,
        'connect',
      );
      try {
        await observer().observe();
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
    });

    it('by default judges schema ownership by the database owner', async () => {
      const observation = await observer().observe();
      expect(
        observation.reachable &&
          observation.databases.get(chartLike.databaseName),
      ).toMatchObject({
        roles: { read: true, write: true, admin: true },
        adminOwnsPublicSchema: false,
      });
    });

    it('with schema-owner, looks inside databases whose owner is not the admin role', async () => {
      const observation = await observer('schema-owner').observe();
      expect(
        observation.reachable &&
          observation.databases.get(chartLike.databaseName)
            ?.adminOwnsPublicSchema,
      ).toBe(true);
      // Databases without the roles are not opened and stay false.
      expect(
        observation.reachable &&
          observation.databases.get(bare.databaseName)?.adminOwnsPublicSchema,
      ).toBe(false);
    });

    it('reports a refused login as unreachable, without the password', async () => {
      const wrong = { ...testConnection(), password: PASSWORD };
      const observation = await new PostgresClusterObserver({
        cluster: 'test',
        connection: wrong,
      }).observe();
      expect(observation.reachable).toBe(false);
      const error = observation.reachable ? '' : observation.error;
      expect(error).toContain('password authentication failed');
      expect(error).not.toContain(PASSWORD);
    });
  },
);
