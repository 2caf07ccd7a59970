// The staff console (issue #13): a single-page application built by scripts/console-build.js from
// console/ into dist/console and served here under /console, from our own build only (a CSP of
// 'self': no CDN, no inline script). It is a client of the staff API (/v1/staff/...), which
// checks the session, the roles and the access reason (Appendix 1) of every call it makes.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router } from 'express';

/** dist/console, whether this module runs from api/ (tests) or dist/api/ (npm start); looked up when the app is made. */
const builtConsole = () =>
  [resolve(__dirname, '../dist/console'), resolve(__dirname, '../console')].find((d) =>
    existsSync(join(d, 'index.html')),
  );

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

export function consoleRouter(): Router {
  const r = Router();
  const DIR = builtConsole();
  r.use('/console', (req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.originalUrl === '/console') return res.redirect(301, '/console/');
    if (!DIR) {
      res.status(503).type('text/plain').send('The staff console is not built: run `npm run console:build`.');
      return;
    }
    next();
  });
  if (DIR) r.use('/console', express.static(DIR, { index: 'index.html' }));
  return r;
}
