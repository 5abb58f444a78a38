import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** What the socket server's query queue takes: one protocol message of one connection. */
type Enqueue = (
  handlerId: number,
  message: Uint8Array,
  onData: (data: Uint8Array) => void,
) => Promise<number>;

// The messages of an extended-protocol query: Parse, Bind, Describe, Execute, Close, Flush. A
// cycle of them ends with Sync.
const CYCLE_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((type) => type.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);

/**
 * Makes the embedded socket server run each connection's extended-protocol query whole.
 *
 * PGlite has one session. pglite-socket (0.2.17) queues every protocol message on its own and
 * keeps a connection's messages together only inside a transaction, so under concurrent
 * connections one connection's Parse could land between another's Parse and Bind on that one
 * session: wrong rows, `26000 unnamed prepared statement does not exist`, `34000 portal ""
 * does not exist`, and hangs. Here each connection's messages are held until its Sync and
 * queued as one entry, so cycles never interleave. Simple queries (`Q`) and everything else go
 * through as before.
 */
export function runQueryCyclesWhole(server: PGLiteSocketServer): void {
  const queue = (
    server as unknown as {
      queryQueue: { enqueue: Enqueue; clearQueueForHandler: (handlerId: number) => void };
    }
  ).queryQueue;
  const enqueue = queue.enqueue.bind(queue);
  const clear = queue.clearQueueForHandler.bind(queue);
  const held = new Map<number, Uint8Array[]>();

  queue.clearQueueForHandler = (handlerId) => {
    held.delete(handlerId);
    clear(handlerId);
  };

  queue.enqueue = async (handlerId, message, onData) => {
    const type = message[0] ?? 0;
    const pending = held.get(handlerId) ?? [];
    if (CYCLE_MESSAGES.has(type)) {
      pending.push(message);
      held.set(handlerId, pending);
      return 0;
    }

    held.delete(handlerId);
    if (type !== SYNC && pending.length > 0) {
      // A cycle cut short by another kind of message: its parts go first, as they would have.
      await enqueue(handlerId, concat(pending), onData);
      return enqueue(handlerId, message, onData);
    }
    return enqueue(handlerId, concat([...pending, message]), onData);
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? (parts[0] as Uint8Array) : new Uint8Array(Buffer.concat(parts));
}
