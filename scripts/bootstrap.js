#!/usr/bin/env node
// Entry point of `npm start`, `npm test` and `npm run tools` on a fresh clone. Plain Node with no
// dependencies, because it runs before node_modules exists: it installs the npm dependencies
// (again only when package-lock.json changed), obtains the tools (Temporal CLI, Java test
// server) into the per-user cache, builds, then hands over.
'use strict';
const { spawnSync, execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const [command, ...rest] = process.argv.slice(2);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function timed(label, fn) {
  const t = Date.now();
  const out = fn();
  const s = (Date.now() - t) / 1000;
  if (s > 1) console.log(`[bootstrap] ${label}: ${s.toFixed(1)} s`);
  return out;
}

function ensureDependencies() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const want = createHash('sha256').update(lock).digest('hex');
  const marker = join(root, 'node_modules', '.tentacle-lock-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return;
  console.log('[bootstrap] installing npm dependencies (npm ci)...');
  timed('npm ci', () => run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']));
  writeFileSync(marker, want);
}

function ensureTool(script, what) {
  return timed(what, () => {
    try {
      return execFileSync('bash', [join(root, 'scripts/tools', script)], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
    } catch (err) {
      if (err.status === 3) {
        console.log(`[bootstrap] ${what}: cannot be built here; the Temporal SDK will download it`);
        return null;
      }
      throw err;
    }
  });
}

// Not fatal: without Chromium (and without root to install it) only the browser tests fail, saying why.
function ensureChromium() {
  timed('chromium', () => spawnSync('bash', [join(root, 'scripts/tools/install-chromium.sh')], { stdio: 'inherit' }));
}

function ensureTools() {
  const cli = ensureTool('install-temporal-cli.sh', 'Temporal CLI');
  const testServer = ensureTool('install-test-server.sh', 'Java time-skipping test server');
  console.log(`[bootstrap] tools: temporal=${cli ?? 'SDK download'} test-server=${testServer ?? 'SDK download'}`);
  // The API fuzzer of test/integration/openapi-schemathesis.test.ts (a Python venv in the cache).
  if (command === 'test' || command === 'tools') {
    const st = ensureTool('install-schemathesis.sh', 'schemathesis');
    console.log(`[bootstrap] schemathesis=${st ?? 'unavailable (needs python3 with venv)'}`);
  }
}

const build = () => timed('build', () => run('npx', ['tsc', '-p', 'tsconfig.build.json']));
// The staff console (console/ → dist/console, served under /console): rebuilt when its sources change.
const buildConsole = () => timed('console', () => run(process.execPath, [join(root, 'scripts/console-build.js')]));

// Commands that build the project and run one of its compiled scripts.
const scripts = {
  start: 'start.js',
  'bench-send': 'bench-send.js',
  'bench-single': 'bench-single.js',
  'bench-upload': 'bench-upload.js',
  chaos: 'chaos.js',
  staff: 'staff.js',
};

if (command in scripts) {
  ensureDependencies();
  if (command !== 'staff') ensureTools(); // staff members need the database only
  build();
  if (command === 'start') buildConsole();
  run(process.execPath, [join(root, 'dist/scripts', scripts[command]), ...rest]);
} else if (command === 'test') {
  ensureDependencies();
  ensureTools();
  timed('typecheck', () => run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
  timed('typecheck console', () => run('npx', ['tsc', '-p', 'console/tsconfig.json', '--noEmit']));
  timed('lint', () => run('npx', ['eslint', '.', '--max-warnings=0']));
  timed('format:check', () => run('npx', ['prettier', '--check', '.', '--log-level=warn']));
  // Unused files, exports and dependencies fail the run (knip.jsonc says what the entries are).
  timed('knip', () => run('npx', ['knip']));
  buildConsole();
  ensureChromium(); // the browser tests (test/browser/) drive Debian's Chromium
  run('npx', ['jest', ...rest]);
} else if (command === 'tools') {
  ensureTools();
} else {
  console.error('usage: bootstrap.js start|test|tools|staff|bench-send|bench-single|bench-upload|chaos [args]');
  process.exit(2);
}
