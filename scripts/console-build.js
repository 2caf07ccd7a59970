#!/usr/bin/env node
// Builds the staff console (issue #13) from console/ into dist/console/ with esbuild: one
// bundle app.js (+ app.css) and index.html, served by the API under /console (api/console.ts).
// Run by scripts/bootstrap.js before `npm start` and `npm test`, and by the browser test; it
// rebuilds only when a source changed (a hash of console/ kept next to the output).
'use strict';
const { createHash } = require('node:crypto');
const { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const src = join(root, 'console');
const out = join(root, 'dist', 'console');

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

function sourcesHash() {
  const h = createHash('sha256');
  for (const f of files(src)) h.update(f).update(readFileSync(f));
  h.update(readFileSync(join(root, 'package-lock.json')));
  return h.digest('hex');
}

async function buildConsole() {
  const want = sourcesHash();
  const marker = join(out, '.sources-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want && existsSync(join(out, 'app.js'))) return false;
  const esbuild = require('esbuild');
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: { app: join(src, 'src', 'main.ts') },
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: out,
    logLevel: 'warning',
  });
  copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
  writeFileSync(marker, want);
  return true;
}

buildConsole().then(
  (built) => console.log(built ? '[console] built into dist/console' : '[console] up to date'),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
