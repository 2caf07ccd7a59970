// console/src/api-types.ts is generated from the OpenAPI document (scripts/console-types.ts):
// this fails when the two differ (a staff route or body changed without `npm run console:types`),
// so the console cannot silently drift from the API it is a client of (issue #13). The generator
// runs in a child process (openapi-typescript loads ES modules, which jest's runtime does not).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('console/src/api-types.ts is what the OpenAPI document generates', () => {
  const root = join(__dirname, '../..');
  const run = spawnSync(
    process.execPath,
    ['-r', './test/support/swc-register.js', 'scripts/console-types.ts', '--check'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  expect([run.status, run.stderr.trim()]).toEqual([0, '']);
});
