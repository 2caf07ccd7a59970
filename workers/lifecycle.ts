// Lifecycle worker: every workflow, plus the light activities (Postgres writes, notices).
import { Worker } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb, migrate } from '../lib/db';
import { connectClient, connectWorkerConnection, ensureSearchAttributes } from '../lib/temporal';
import { createLifecycleActivities } from './activities';
import { startRelayLoop } from '../lib/workflow-clients/outbox-relay';
import { startReconcileLoop } from './reconcile';
import { installWorkerRuntime, startMetricsServer } from '../lib/metrics/worker';
import { startStatusReconciliation } from '../lib/workflow-clients/status-reconciliation';
import { startSingleDispatcher } from '../lib/workflow-clients/single-dispatch';

/** How often open rows whose workflow was never seen are checked (workers/reconcile.ts). */
const RECONCILE_INTERVAL_MS = 60_000;
/** How often the outbox relay looks for workflow starts that no kick has done. */
const RELAY_INTERVAL_MS = 1_000;

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
  // Every workflow start is written to the outbox with its fact; the relay starts what the
  // writer's kick did not (its process died, Temporal was down), every second (a repair loop
  // between Postgres and Temporal, not business time: it must work precisely when starting
  // workflows failed). Both loops never throw: errors are logged and retried.
  const relay = startRelayLoop({ db, temporal: client, logger }, { intervalMs: RELAY_INTERVAL_MS });
  const reconcile = startReconcileLoop({ db, temporal: client }, logger, RECONCILE_INTERVAL_MS);
  // Delivery reports the carriers' retries never brought: one durable reconciliation per channel
  // (workflows/status-reconciliation.ts), started once for the platform (an existing run is kept).
  for (const channel of ['sms', 'email'] as const) {
    startStatusReconciliation({ db, temporal: client, config }, channel).then(
      (s) => logger.debug({ ...s }, 'status reconciliation workflow'),
      (err: unknown) => logger.error({ err, channel }, 'status reconciliation workflow not started'),
    );
    // Single sends: the dispatcher of the lane (workflows/single-dispatch.ts), also started once.
    startSingleDispatcher({ db, temporal: client, config }, channel).then(
      (s) => logger.debug({ ...s }, 'single-send dispatcher workflow'),
      (err: unknown) => logger.error({ err, channel }, 'single-send dispatcher workflow not started'),
    );
  }
  logger.info({ taskQueue: config.LIFECYCLE_TASK_QUEUE, metrics: metrics.url }, 'worker polling');
  try {
    await worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks finish
  } finally {
    await relay.stop();
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
