import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where end-to-end screenshots go (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');

/** Debian's Chromium, which `.ci/run` installs; playwright-core downloads no browser. */
export const CHROMIUM = process.env.PATHWELL_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Builds the UI from the sources under test, so the browser never runs a stale `dist`. The
 * production build takes about a second.
 */
export function buildUi(): void {
  execFileSync(
    'npx',
    ['vite', 'build', '--config', 'builder-ui/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

/**
 * Serves an Express app on a local port (a free one unless given); resolves with its base URL
 * and a closer. The URL names `localhost`, not an address: WebAuthn refuses an IP as the
 * relying party, and browsers count localhost as a secure context for the Secure cookie.
 */
export async function serve(
  app: express.Express,
  port = 0,
): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = await new Promise<ReturnType<express.Express['listen']>>((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    baseUrl: `http://localhost:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A headless Chromium page with a desktop-sized window; page errors fail the test. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { browser, page, errors };
}

/** Saves a screenshot of the page as a test artifact. */
export async function snap(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
