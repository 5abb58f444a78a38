import { Client, Message } from 'node-hl7-client';

/**
 * An MLLP sender for tests, built on node-hl7-client (an independent HL7 implementation, so the
 * listener is not only tested against its own framing): sends messages in order on one
 * connection and resolves with each acknowledgment's text.
 */
export interface MllpSender {
  send: (text: string) => Promise<string>;
  close: () => Promise<void>;
}

/** Connects to an MLLP listener. */
export async function connectMllp(port: number, host = '127.0.0.1'): Promise<MllpSender> {
  const client = new Client({ host });
  const waiting: Array<(ack: string) => void> = [];
  const connection = client.createConnection({ port, waitAck: true }, (response) => {
    waiting.shift()?.(response.getMessage().toString());
  });
  await connection.connect().catch(() => undefined);
  return {
    send: async (text) => {
      const answered = new Promise<string>((resolve) => waiting.push(resolve));
      await connection.sendMessage(new Message({ text }));
      return answered;
    },
    close: async () => {
      await connection.close();
      client.closeAll();
    },
  };
}
