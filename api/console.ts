import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express } from 'express';

/** Where `npm run console:build` puts the console (console/vite.config.ts). */
export const CONSOLE_DIST = path.resolve(__dirname, '..', 'console', 'dist');

/**
 * The web console, served by the API's own process on the same origin: its built files, and its
 * index page for every other GET a browser makes for a page (the console routes in the browser).
 * The API, the OpenAPI document and the health checks are mounted before this and keep their paths.
 */
export function serveConsole(app: Express, dist = CONSOLE_DIST): void {
  const index = path.join(dist, 'index.html');
  // The build names each asset by its content's hash: cached for good, sent compressed (a third of its size).
  app.use('/assets', compression(), express.static(path.join(dist, 'assets'), { index: false, maxAge: '365d', immutable: true }));
  app.use(express.static(dist, { index: false, maxAge: '1h', immutable: false }));
  app.get(/^\/(?!api\/|openapi\.json$|healthz$|readyz$).*/, (req, res, next) => {
    // A browser asking for a page says text/html first; a client asking for anything (*/*) gets the API's 404.
    if (req.accepts(['json', 'html']) !== 'html') return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run console:build` (npm start does it).');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
}
