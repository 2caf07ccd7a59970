// Starts, once per `jest` run, the real components of the system tests: an embedded PostgreSQL
// (migrated), a Temporal dev server, one Java time-skipping test server per jest worker (time
// skipping is global to a server, so two test files must never share one), and a pre-built
// workflow bundle. Addresses reach the test workers through environment variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startPostgres, startTemporalDevServer, startTestServer, Running } from '../../scripts/infra';
import { createDb, migrate } from '../../lib/db';

export default async function globalSetup(config: { maxWorkers: number }): Promise<void> {
  const started = Date.now();
  const running: Running[] = [];
  (globalThis as { __tentacleInfra?: Running[] }).__tentacleInfra = running;
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-test-'));

  const external = Boolean(process.env.DATABASE_URL);
  const [pg, temporal, testServers, bundle] = await Promise.all([
    external ? null : startPostgres(join(dir, 'pg')),
    process.env.TEMPORAL_ADDRESS ? null : startTemporalDevServer({ headless: true }),
    Promise.all(Array.from({ length: Math.max(1, config.maxWorkers) }, () => startTestServer())),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never }),
  ]);
  if (pg) { running.push(pg); process.env.DATABASE_URL = pg.url; }
  if (temporal) { running.push(temporal); process.env.TEMPORAL_ADDRESS = temporal.address; }
  for (const ts of testServers) if (ts) running.push(ts);
  if (testServers.every(Boolean)) process.env.TEMPORAL_TEST_SERVERS = testServers.map((t) => t!.address).join(',');
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;

  const db = createDb(process.env.DATABASE_URL!);
  await migrate(db);
  await db.destroy();
  console.log(`\n[setup] postgres, temporal dev server, ${testServers.length} test server(s), workflow bundle ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
