import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
const HistoryMessage = proto.temporal.api.history.v1.History;

/** The folder of saved workflow histories the replay test replays. */
export const HISTORIES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/histories',
);

/** One saved history and what it shows. */
export interface HistoryFixture {
  name: string;
  description: string;
  workflowId: string;
  workflowType: string;
  history: History;
}

// Saved with protobufjs's own object form (enums by name, 64-bit numbers and bytes as strings)
// rather than Temporal's historyToJSON: with @temporalio/common 1.24 installed beside a
// protobufjs 7 (gRPC's), common and proto get separate protobufjs 8 copies and historyToJSON
// and historyFromJSON fail with "type must be a Type".
/** A fetched history as JSON-safe data. */
export function historyToFixture(history: History): unknown {
  return HistoryMessage.toObject(HistoryMessage.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
  });
}

/** Every saved history, read back into History messages. */
export function readHistoryFixtures(): HistoryFixture[] {
  if (!fs.existsSync(HISTORIES_DIR)) {
    return [];
  }
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const saved = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as Omit<
        HistoryFixture,
        'history'
      > & { history: Record<string, unknown> };
      return { ...saved, history: HistoryMessage.fromObject(saved.history) };
    });
}
