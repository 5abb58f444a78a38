import { Client, Connection } from '@temporalio/client';
import { fileURLToPath } from 'node:url';
import type { Keyring } from '../crypto/keyring.js';
import { EncryptionCodec } from './payload-codec.js';

/** The failure converter module, shared by clients, workers and the workflow bundle. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(
  new URL('../../workflows/failure-converter.ts', import.meta.url),
);

/** Where the Temporal service is and which namespace and task queue Pathwell uses. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

/** A connected Temporal client whose payloads are encrypted with Pathwell's key. */
export interface TemporalHandle {
  client: Client;
  connection: Connection;
  taskQueue: string;
}

/** Connects a Temporal client that encrypts every payload it sends and decrypts what it reads. */
export async function connectTemporal(
  settings: TemporalSettings,
  keyring: Keyring,
): Promise<TemporalHandle> {
  const connection = await Connection.connect({
    address: settings.address,
    connectTimeout: '10 seconds',
  });
  const client = new Client({
    connection,
    namespace: settings.namespace,
    dataConverter: {
      payloadCodecs: [new EncryptionCodec(keyring)],
      failureConverterPath: FAILURE_CONVERTER_PATH,
    },
  });
  return { client, connection, taskQueue: settings.taskQueue };
}
