import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;

/**
 * A PostgreSQL endpoint that is another server's databases under other
 * names: the fake's temporary clusters. It reads the client's startup
 * message, replaces the `database` parameter by the name the map gives
 * (other names pass unchanged), and from then on relays bytes both ways.
 * Encryption requests are answered "no" (the test server speaks plain
 * TCP), so the client goes on in plain text as libpq's `prefer` does.
 */
export class PgDatabaseProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(
    server: Server,
    readonly databases: ReadonlyMap<string, string>,
  ) {
    this.#server = server;
  }

  static async start(options: {
    upstream: { host: string; port: number };
    /** Name the client asks for -> name on the upstream server. */
    databases: ReadonlyMap<string, string>;
  }): Promise<PgDatabaseProxy> {
    const server = createServer();
    const proxy = new PgDatabaseProxy(server, options.databases);
    server.on('connection', client => proxy.#handle(client, options.upstream));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get endpoint(): { host: string; port: number } {
    const { port } = this.#server.address() as AddressInfo;
    return { host: '127.0.0.1', port };
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  #track(socket: Socket) {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  #handle(client: Socket, upstream: { host: string; port: number }) {
    this.#track(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 8) {
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) {
          return;
        }
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        const code = message.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          client.write('N');
          continue;
        }
        client.off('data', onData);
        this.#relay(client, upstream, message, buffered);
        return;
      }
    };
    client.on('data', onData);
  }

  /** Sends the (mapped) first message and what followed, then relays. */
  #relay(
    client: Socket,
    upstream: { host: string; port: number },
    first: Buffer,
    rest: Buffer,
  ) {
    client.pause();
    const server = connect(upstream.port, upstream.host);
    this.#track(server);
    server.on('connect', () => {
      const code = first.readInt32BE(4);
      server.write(code === PROTOCOL_3 ? this.#rewrite(first) : first);
      if (rest.length > 0) {
        server.write(rest);
      }
      client.pipe(server);
      server.pipe(client);
      client.resume();
    });
    server.on('close', () => client.destroy());
    client.on('close', () => server.destroy());
  }

  /** The startup message with its `database` parameter mapped. */
  #rewrite(message: Buffer): Buffer {
    const fields = message.subarray(8, message.length - 1).toString('utf8');
    const parts = fields.split('\0').slice(0, -1);
    const params: Array<[string, string]> = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      params.push([parts[i], parts[i + 1]]);
    }
    const mapped = params.map(([key, value]): [string, string] =>
      key === 'database'
        ? [key, this.databases.get(value) ?? value]
        : [key, value],
    );
    const body = Buffer.from(
      `${mapped.map(([k, v]) => `${k}\0${v}\0`).join('')}\0`,
      'utf8',
    );
    const header = Buffer.alloc(8);
    header.writeInt32BE(8 + body.length, 0);
    header.writeInt32BE(PROTOCOL_3, 4);
    return Buffer.concat([header, body]);
  }
}
