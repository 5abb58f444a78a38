import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../builder-ui/dist');

/**
 * Serves the built builder UI at `/`, and its `index.html` for client-side routes. Before the
 * UI has been built, `/` says how to build it instead of failing.
 */
export function mountBuilderUi(app: express.Express): void {
  app.use(express.static(DIST, { index: 'index.html', maxAge: '1h' }));
  app.get(/^\/(?!api\/).*/, (_req, res) => {
    const index = path.join(DIST, 'index.html');
    if (fs.existsSync(index)) {
      res.sendFile(index);
      return;
    }
    res
      .status(200)
      .type('text/html')
      .send(
        '<!doctype html><title>Pathwell</title><p>Pathwell is running. The builder UI is not built yet: run <code>npm run build:ui</code>.</p>',
      );
  });
}
