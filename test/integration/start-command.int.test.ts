import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { locateTemporalCli } from '../../server/embedded/temporal-cli.js';
import { hasFixtures, reminderBundle } from '../support/fixtures.js';
import { derivedSiu } from '../support/hl7-messages.js';
import { connectMllp } from '../support/mllp-sender.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// `pathwell start` as a user runs it, on free ports and a fresh data folder so it never meets a
// running `npm start`: embedded PGlite, the development SMTP sink, its own Temporal dev server,
// the demo journey, then the server and worker processes.
describe.skipIf(!hasFixtures)('pathwell start (embedded development mode)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-start-'));
  let child: ChildProcess | undefined;
  let ports: { http: number; temporal: number; ui: number; mllp: number };

  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes up with everything embedded, delivers the demo reminder, and stops cleanly', async () => {
    ports = {
      http: await getPort(),
      temporal: await getPort(),
      ui: await getPort(),
      mllp: await getPort(),
    };
    child = spawn(process.execPath, [path.join(ROOT, 'bin/pathwell.js'), 'start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TEMPORAL_CLI: await locateTemporalCli(),
        PORT: String(ports.http),
        PATHWELL_DATA_DIR: dataDir,
        PATHWELL_TEMPORAL_PORT: String(ports.temporal),
        PATHWELL_TEMPORAL_UI_PORT: String(ports.ui),
        PATHWELL_MLLP_PORT: String(ports.mllp),
        PATHWELL_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await readyLine(child);
    expect(ready).toContain(`http://localhost:${ports.http}`);

    const base = `http://127.0.0.1:${ports.http}`;
    const { bundle } = reminderBundle({ start: new Date(Date.now() + 2 * 3_600_000) });
    const posted = await fetch(`${base}/api/hooks/fhir`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    const answer = (await posted.json()) as { accepted: Array<{ duplicate: boolean }> };
    expect(posted.status).toBe(202);
    expect(answer.accepted).toMatchObject([{ duplicate: false }]);

    await expect
      .poll(
        async () => ((await (await fetch(`${base}/api/dev/outbox`)).json()) as unknown[]).length,
        { timeout: 60_000, interval: 500 },
      )
      .toBe(1);
    const [message] = (await (await fetch(`${base}/api/dev/outbox`)).json()) as Array<{
      secure: boolean;
      subject: string;
      envelope: { to: string[] };
    }>;
    expect(message).toMatchObject({
      secure: true,
      subject: 'Appointment reminder from your care team',
      envelope: { to: ['p.heuvel@gmail.com'] },
    });

    // The server process also listens for HL7 v2 over MLLP.
    const sender = await connectMllp(ports.mllp);
    const ack = await sender.send(
      derivedSiu({ trigger: 'S15', appointmentId: 'start-command', start: new Date() }),
    );
    await sender.close();
    expect(ack).toContain('MSA|AA|');

    // The CLI's database commands find the embedded database of the running start on their own.
    const cli = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/pathwell.js'), 'sources', 'add', 'ehr-a'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PATHWELL_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let printed = '';
    cli.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    expect(await new Promise((resolve) => cli.once('exit', resolve))).toBe(0);
    expect(printed).toContain('ehr-a');
    expect(fs.existsSync(path.join(dataDir, 'embedded-database-url'))).toBe(true);

    const exited = new Promise<number | null>((resolve) =>
      child?.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const port of [ports.http, ports.temporal, ports.ui, ports.mllp]) {
      expect(await isFree(port)).toBe(true);
    }
    expect(fs.existsSync(path.join(dataDir, 'embedded-database-url'))).toBe(false);
  });
});

function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`not ready after 150 s; output: ${output}`)),
      150_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output
        .split('\n')
        .find((candidate) => candidate.includes('Pathwell is ready at'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before ready; output: ${output}`)),
    );
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
