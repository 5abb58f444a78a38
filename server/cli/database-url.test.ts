import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { cliDatabaseUrl, embeddedDatabaseUrlFile } from './database-url.js';

function configIn(dataDir: string, extra: Record<string, string> = {}) {
  return loadConfig({ PATHWELL_MODE: 'development', PATHWELL_DATA_DIR: dataDir, ...extra });
}

describe('the database a CLI command works on', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-cli-db-'));

  it('is DATABASE_URL when it is set', () => {
    const config = configIn(dataDir, { DATABASE_URL: 'postgres://db.example:5432/pathwell' });
    expect(cliDatabaseUrl(config, 'of the server')).toBe('postgres://db.example:5432/pathwell');
  });

  it('says what to set when there is neither DATABASE_URL nor a running start', () => {
    expect(() => cliDatabaseUrl(configIn(dataDir), 'of the server')).toThrow(
      /Set DATABASE_URL to the database of the server, or run this beside a running/,
    );
  });

  it('is the embedded database of a running "pathwell start" in development mode', () => {
    fs.writeFileSync(embeddedDatabaseUrlFile(dataDir), 'postgres://postgres@127.0.0.1:4321/x\n');
    expect(cliDatabaseUrl(configIn(dataDir), 'of the server')).toBe(
      'postgres://postgres@127.0.0.1:4321/x',
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
