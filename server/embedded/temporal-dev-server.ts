import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { AppError } from '../../engine/errors/app-error.js';
import { devServerSearchAttributeFlags } from '../temporal/search-attributes.js';

/** A running Temporal dev server owned by this process. */
export interface TemporalDevServer {
  address: string;
  uiPort: number | undefined;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** How to run the dev server. */
export interface TemporalDevServerOptions {
  cli: string;
  port: number;
  /** `undefined`: no UI (`--headless`). */
  uiPort?: number | undefined;
  /** SQLite file so runs survive a restart; `undefined` keeps state in memory. */
  dbFile?: string | undefined;
  namespace: string;
  logFile: string;
}

const READY_TIMEOUT_MS = 90_000;

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and waits until it answers. Its output goes
 * to `logFile`, not this terminal.
 */
export async function startTemporalDevServer(
  options: TemporalDevServerOptions,
): Promise<TemporalDevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile === undefined ? [] : ['--db-filename', options.dbFile]),
    // Registered at start, so runs can be listed by journey, version, status and failure.
    ...devServerSearchAttributeFlags(),
  ];
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(options.cli, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const address = `127.0.0.1:${options.port}`;

  let exitCode: number | null = null;
  child.on('exit', (code) => {
    exitCode = code ?? -1;
  });
  await waitUntilReady(address, options.namespace, () => exitCode, options.logFile);

  return {
    address,
    uiPort: options.uiPort,
    child,
    stop: () => stopChild(child),
  };
}

/** Sends SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitUntilReady(
  address: string,
  namespace: string,
  exited: () => number | null,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const code = exited();
    if (code !== null) {
      throw new AppError(
        'dependency_unavailable',
        `The Temporal dev server exited with code ${code} before it was ready; see ${logFile}.`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) {
        throw new AppError(
          'dependency_unavailable',
          `The Temporal dev server at ${address} did not become ready in ${READY_TIMEOUT_MS / 1000} s; see ${logFile}.`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
