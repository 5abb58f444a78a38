import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../temporal/temporal-client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The workflows module the worker bundles. */
export const WORKFLOWS_PATH = path.join(ROOT, 'workflows', 'index.ts');

/**
 * The workflow bundle, built with Temporal's bundler and cached by a hash of every source it
 * can include (workflows, engine, the SDK version), so a worker restart after a crash does not
 * spend seconds re-bundling unchanged code.
 *
 * @param cacheDir - where bundles are kept, e.g. `<data>/cache`
 */
export async function workflowBundle(cacheDir: string): Promise<{ code: string }> {
  const file = path.join(cacheDir, `workflows-${sourceHash()}.js`);
  if (fs.existsSync(file)) {
    return { code: fs.readFileSync(file, 'utf8') };
  }
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop },
  });
  fs.mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, bundle.code);
  fs.renameSync(temporary, file);
  return bundle;
}

function noop(): void {}

function sourceHash(): string {
  const hash = createHash('sha256');
  const sdk = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'node_modules/@temporalio/workflow/package.json'), 'utf8'),
  ) as { version: string };
  hash.update(sdk.version);
  for (const dir of ['workflows', 'engine']) {
    for (const file of listTs(path.join(ROOT, dir))) {
      hash.update(path.relative(ROOT, file));
      hash.update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function listTs(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'),
    )
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
