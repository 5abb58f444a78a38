import net from 'node:net';

/** A TCP proxy on loopback that a test can cut (every connection dropped, new ones refused). */
export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones until {@link TcpProxy.restore}. */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
}

/** Forwards 127.0.0.1:<free port> to `target`, so a test can make a service unreachable. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let isCut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => {
      isCut = true;
      for (const socket of sockets) {
        socket.destroy();
      }
    },
    restore: () => {
      isCut = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
