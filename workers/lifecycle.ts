// Lifecycle worker: every workflow, plus the light activities (Postgres writes, notices).
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb, migrate } from '../lib/db';
import { connectClient, connectWorkerConnection, ensureSearchAttributes } from '../lib/temporal';
import { createLifecycleActivities } from './activities';
import { reconcileAccountLifecycles } from './reconcile';

async function main() {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });
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
  // Accounts whose workflow start failed after registration get it now.
  const started = await reconcileAccountLifecycles(db, client, config);
  if (started > 0) logger.info({ started }, 'started missing account lifecycles');
  logger.info({ taskQueue: config.LIFECYCLE_TASK_QUEUE }, 'worker polling');
  await worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks finish
  await db.destroy();
  await client.connection.close();
  logger.info('worker stopped');
}

main().catch((err) => { console.error(err); process.exit(1); });
