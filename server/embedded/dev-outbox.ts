import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** One message the development sink received, as `GET /api/dev/outbox` lists it. */
export const OutboxMessageSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
  subject: z.string(),
  secure: z.boolean().describe('Whether the SMTP session was TLS'),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  text: z.string(),
  html: z.string(),
});
/** One message the development sink received. */
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

/**
 * The development outbox: every message the sink received, one JSON file each in the data
 * folder, so it survives restarts. Development only; it holds whole messages in clear.
 */
export class DevOutbox {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'outbox');
  }

  /** Keeps a message. */
  add(message: Omit<OutboxMessage, 'id' | 'receivedAt'>): OutboxMessage {
    fs.mkdirSync(this.dir, { recursive: true });
    const receivedAt = new Date();
    const stored: OutboxMessage = {
      id: randomUUID(),
      receivedAt: receivedAt.toISOString(),
      ...message,
    };
    const name = `${String(receivedAt.getTime()).padStart(15, '0')}-${stored.id}.json`;
    // Written under a temporary name and renamed, so a reader never sees half a file.
    const temporary = path.join(this.dir, `.${name}`);
    fs.writeFileSync(temporary, JSON.stringify(stored), { mode: 0o600 });
    fs.renameSync(temporary, path.join(this.dir, name));
    return stored;
  }

  /** Every message, oldest first. */
  list(): OutboxMessage[] {
    if (!fs.existsSync(this.dir)) {
      return [];
    }
    return fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort()
      .map(
        (name) => JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as OutboxMessage,
      );
  }
}
