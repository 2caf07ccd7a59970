// Lifecycle worker: every workflow, plus the light activities (Postgres writes, notices).
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb, migrate } from '../lib/db';
import { connectClient, connectWorkerConnection, ensureSearchAttributes } from '../lib/temporal';
import { createLifecycleActivities } from './activities';
import { startRelayLoop } from '../lib/workflow-clients/outbox-relay';
import { startReconcileLoop } from './reconcile';

/** How often open rows whose workflow was never seen are checked (workers/reconcile.ts). */
const RECONCILE_INTERVAL_MS = 60_000;
/** How often the outbox relay looks for workflow starts that no kick has done. */
const RELAY_INTERVAL_MS = 1_000;

async function main() {
  const config = loadConfig();
  Runtime.install({
    logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN'),
  });
  const logger = createLogger('worker-lifecycle', config.LOG_LEVEL);
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
  logger.info({ taskQueue: config.LIFECYCLE_TASK_QUEUE }, 'worker polling');
  try {
    await worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks finish
  } finally {
    await relay.stop();
    await reconcile.stop();
  }
  await db.destroy();
  await client.connection.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
