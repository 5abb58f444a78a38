import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../engine/errors/app-error.js';

/** The CLI release Pathwell builds; later tags carry a replace directive `go install` refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/**
 * Finds the `temporal` CLI: `TEMPORAL_CLI`, then `PATH`, then Go's bin folder. If it is nowhere
 * and Go is installed, builds it with `go install` (a few minutes on two cores), telling the
 * person watching through `onProgress`.
 *
 * @throws AppError `temporal_cli_missing` with what to install when neither exists
 */
export async function locateTemporalCli(
  onProgress: (message: string) => void = () => undefined,
): Promise<string> {
  const found = findExisting();
  if (found !== undefined) {
    return found;
  }
  const gopath = goEnv('GOPATH');
  if (gopath === undefined) {
    throw new AppError(
      'temporal_cli_missing',
      'The temporal CLI was not found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin) and Go is not installed to build it. ' +
        `Install Go and run: go install ${TEMPORAL_CLI_MODULE}, or set TEMPORAL_CLI to the binary, or set TEMPORAL_ADDRESS to a running server.`,
    );
  }

  onProgress(
    `Building the temporal CLI with "go install ${TEMPORAL_CLI_MODULE}"; this takes a few minutes on a 2-core machine, once.`,
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new AppError(
              'temporal_cli_missing',
              `go install ${TEMPORAL_CLI_MODULE} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
            ),
          ),
    );
  });
  const built = path.join(gopath, 'bin', 'temporal');
  if (!fs.existsSync(built)) {
    throw new AppError(
      'temporal_cli_missing',
      `go install finished but ${built} does not exist; check GOBIN.`,
    );
  }
  return built;
}

function findExisting(): string | undefined {
  const candidates = [
    process.env.TEMPORAL_CLI,
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .map((dir) => (dir === '' ? undefined : path.join(dir, 'temporal'))),
    goEnv('GOBIN') === undefined ? undefined : path.join(goEnv('GOBIN') as string, 'temporal'),
    goEnv('GOPATH') === undefined
      ? undefined
      : path.join(goEnv('GOPATH') as string, 'bin', 'temporal'),
  ];
  return candidates.find(
    (candidate): candidate is string => candidate !== undefined && isExecutable(candidate),
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function goEnv(name: string): string | undefined {
  try {
    const value = execFileSync('go', ['env', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
