import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { buildAck } from '../../engine/events/hl7/ack.js';
import { mllpSources, type Source } from '../db/sources.store.js';
import { isLoopbackAddress, LOCAL_SOURCE } from '../http/webhook-access.js';
import { ingestHl7 } from '../ingest/ingest-hl7.js';
import { errorFacts } from '../log/logger.js';
import type { ServerDeps } from '../server-deps.js';
import { MllpDecoder, mllpFrame } from './mllp-framing.js';

/** A running MLLP listener. */
export interface MllpListener {
  port: number;
  stop: () => Promise<void>;
}

/** Where the listener listens. */
export interface MllpOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
}

// Peers change rarely; the allow-list is read again at most this often.
const PEERS_CACHE_MS = 5_000;
// A connection that sends nothing for this long is closed; interface engines reconnect.
const IDLE_TIMEOUT_MS = 10 * 60_000;
// How long stop() waits for messages in flight before it cuts their connections.
const STOP_GRACE_MS = 5_000;

/**
 * Starts the MLLP listener: HL7 v2 over TCP, each message framed `0x0B … 0x1C 0x0D` and
 * answered, in order, with an ACK or a NAK in the same framing. A connection is accepted only
 * from an address a registered source lists as an MLLP peer (its messages are filed under that
 * source), or in development mode from this machine (source `local`); any other peer is
 * disconnected before it is read.
 *
 * TODO: TLS with client certificates as an alternative to address allow-lists is not built;
 * until it is, run MLLP inside a network you control (or behind a TLS-terminating tunnel).
 */
export async function startMllpListener(
  deps: ServerDeps,
  options: MllpOptions,
): Promise<MllpListener> {
  const sockets = new Set<net.Socket>();
  const inFlight = new Set<Promise<void>>();
  const allowList = peerAllowList(deps);

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const work = serve(deps, socket, allowList).catch((error: unknown) => {
      deps.log.warn({ ...errorFacts(error) }, 'MLLP connection failed');
      socket.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  deps.log.info({ host: options.host, port }, 'MLLP listener up');
  return {
    port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        socket.end();
      }
      // Messages being stored get a moment to be answered; after that the peer must resend.
      await Promise.race([
        Promise.allSettled([...inFlight]),
        delay(STOP_GRACE_MS, undefined, { ref: false }),
      ]);
      for (const socket of sockets) {
        socket.destroy();
      }
      await closed;
    },
  };
}

async function serve(
  deps: ServerDeps,
  socket: net.Socket,
  allowList: (address: string) => Promise<string | undefined>,
): Promise<void> {
  // Listen for the end first: a peer can hang up while the allow-list is being read, and a
  // close that happened before the listener was attached would leave this connection pending.
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const source = await allowList(address);
  if (source === undefined) {
    deps.log.warn({ peer: address }, 'MLLP peer not allowed; disconnected');
    socket.destroy();
    return;
  }
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.end());
  const decoder = new MllpDecoder();
  let queue = Promise.resolve();

  socket.on('data', (chunk: Buffer) => {
    let messages: Buffer[];
    try {
      messages = decoder.push(chunk);
    } catch {
      deps.log.warn({ peer: address }, 'MLLP frame too large; disconnected');
      socket.destroy();
      return;
    }
    for (const message of messages) {
      // One message at a time, in the order sent: a cancellation never overtakes its booking.
      queue = queue.then(() => answer(deps, socket, source, message.toString('utf8')));
    }
  });
  await closed;
  await queue;
}

async function answer(
  deps: ServerDeps,
  socket: net.Socket,
  source: string,
  text: string,
): Promise<void> {
  let reply: string;
  try {
    reply = (await ingestHl7(deps, source, text)).text;
  } catch (error) {
    // Pathwell's own services failed: nothing was stored, so the sender is asked to resend.
    deps.log.error({ ...errorFacts(error) }, 'MLLP message not stored');
    reply = buildAck({
      ack: 'AE',
      header: {},
      controlId: randomUUID(),
      now: new Date().toISOString(),
      fault: {
        ack: 'AE',
        code: '207',
        message: 'Pathwell could not store the message; send it again.',
      },
    });
  }
  if (!socket.destroyed) {
    socket.write(mllpFrame(reply));
  }
}

function peerAllowList(deps: ServerDeps): (address: string) => Promise<string | undefined> {
  let cached:
    | { sources: Source[]; lists: Array<[string, net.BlockList]>; until: number }
    | undefined;
  return async (address) => {
    if (cached === undefined || cached.until < Date.now()) {
      const sources = await mllpSources(deps.pool, deps.keyring);
      cached = {
        sources,
        lists: sources.map((source) => [source.name, blockListOf(source.mllpPeers)]),
        until: Date.now() + PEERS_CACHE_MS,
      };
    }
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    const match = cached.lists.find(
      ([, list]) => net.isIP(address) !== 0 && list.check(address, family),
    );
    if (match !== undefined) {
      return match[0];
    }
    return deps.config.mode === 'development' && isLoopbackAddress(address)
      ? LOCAL_SOURCE
      : undefined;
  };
}

/** An allow-list from addresses and CIDR ranges (`10.0.0.5`, `10.1.0.0/16`, `::1`). */
export function blockListOf(peers: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const peer of peers) {
    const [address = '', prefix] = peer.split('/');
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (net.isIP(address) === 0) {
      continue;
    }
    if (prefix === undefined) {
      list.addAddress(address, family);
    } else {
      list.addSubnet(address, Number(prefix), family);
    }
  }
  return list;
}
