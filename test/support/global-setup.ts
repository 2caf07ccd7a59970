// Starts, once per `jest` run, the real components of the system tests: an embedded PostgreSQL
// (migrated), a Temporal dev server and a pre-built workflow bundle; and resolves the Java
// time-skipping test server, which each workflow test file starts for itself
// (test/support/temporal.ts). Addresses reach the test workers through environment variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveTestServer, startPostgres, startTemporalDevServer, Running } from '../../scripts/infra';
import { createDb, migrate } from '../../lib/db';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const running: Running[] = [];
  (globalThis as { __tentacleInfra?: Running[] }).__tentacleInfra = running;
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-test-'));

  const external = Boolean(process.env.DATABASE_URL);
  const testServer = resolveTestServer();
  if (testServer) process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  const [pg, temporal, bundle] = await Promise.all([
    external ? null : startPostgres(join(dir, 'pg')),
    process.env.TEMPORAL_ADDRESS ? null : startTemporalDevServer({ headless: true }),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
    }),
  ]);
  if (pg) {
    running.push(pg);
    process.env.DATABASE_URL = pg.url;
  }
  if (temporal) {
    running.push(temporal);
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;

  const db = createDb(process.env.DATABASE_URL!);
  await migrate(db);
  await db.destroy();
  console.log(
    `\n[setup] postgres, temporal dev server, workflow bundle ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
