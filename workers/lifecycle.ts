// Lifecycle worker: every workflow, plus the light activities (Postgres writes, notices).
import { Worker } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb, migrate } from '../lib/db';
import { connectClient, connectWorkerConnection, ensureSearchAttributes } from '../lib/temporal';
import { createLifecycleActivities } from './activities';
import { startReconcileLoop } from './reconcile';
import { installWorkerRuntime, startMetricsServer } from '../lib/metrics/worker';
import { startStatusReconciliation } from '../lib/workflow-clients/status-reconciliation';

/** How often workflows whose start was lost after the commit are looked for (workers/reconcile.ts). */
const RECONCILE_INTERVAL_MS = 60_000;

async function main() {
  const config = loadConfig();
  const coreMetrics = await installWorkerRuntime(config);
  const logger = createLogger('worker-lifecycle', config.LOG_LEVEL);
  const metrics = await startMetricsServer(config, config.LIFECYCLE_WORKER_METRICS_PORT, coreMetrics, logger);
  const db = createDb(requireDatabaseUrl(config));
  await migrate(db);
  const client = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  await ensureSearchAttributes(client.connection as Connection, config.TEMPORAL_NAMESPACE);

  const worker = await Worker.create({
    connection: await connectWorkerConnection(config.TEMPORAL_ADDRESS),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createLifecycleActivities({ db, config, temporal: client }),
  });
  // Account lifecycles, subscription billing and campaigns whose workflow start failed after
  // their commit get it now, and every minute after (a repair loop between Postgres and
  // Temporal, not business time: it must work precisely when starting workflows failed).
  // The first pass runs while the worker starts polling (it never throws: errors are logged).
  const reconcile = startReconcileLoop({ db, temporal: client, config }, logger, RECONCILE_INTERVAL_MS);
  // Delivery reports the carriers' retries never brought: one durable reconciliation per channel
  // (workflows/status-reconciliation.ts), started once for the platform (an existing run is kept).
  for (const channel of ['sms', 'email'] as const) {
    startStatusReconciliation({ temporal: client, config }, channel).then(
      (s) => logger.debug({ ...s }, 'status reconciliation workflow'),
      (err: unknown) => logger.error({ err, channel }, 'status reconciliation workflow not started'),
    );
  }
  logger.info({ taskQueue: config.LIFECYCLE_TASK_QUEUE, metrics: metrics.url }, 'worker polling');
  try {
    await worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks finish
  } finally {
    await reconcile.stop();
    await metrics.close();
  }
  await db.destroy();
  await client.connection.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
