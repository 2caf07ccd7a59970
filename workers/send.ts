// Send worker: the carrier task queues (send-sms, send-email). Holds no state a crash can lose;
// run as many as the carriers' rate limits allow.
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb } from '../lib/db';
import { connectWorkerConnection, TASK_QUEUES } from '../lib/temporal';
import { createSendActivities } from './send-activities';

async function main() {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });
  const logger = createLogger('worker-send', config.LOG_LEVEL);
  const db = createDb(requireDatabaseUrl(config), { min: 0, max: 20 });
  const connection = await connectWorkerConnection(config.TEMPORAL_ADDRESS);
  const activities = createSendActivities({ db, config });
  const workers = await Promise.all([TASK_QUEUES.sendSms, TASK_QUEUES.sendEmail].map((taskQueue) =>
    Worker.create({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue, activities })));
  logger.info({ taskQueues: [TASK_QUEUES.sendSms, TASK_QUEUES.sendEmail] }, 'worker polling');
  await Promise.all(workers.map((w) => w.run()));
  await db.destroy();
  await connection.close();
  logger.info('worker stopped');
}

main().catch((err) => { console.error(err); process.exit(1); });
