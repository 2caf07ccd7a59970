// Send worker: the carrier task queues (send-sms, send-email). Holds no state a crash can lose
// (statuses are in Postgres, ambiguity is reconciled with the carrier); run as many as the
// carriers' rate limits allow. SEND_TASK_QUEUES overrides the queues (tests, benchmarks). Single
// sends have their own lane (SINGLE_SEND_TASK_QUEUE) polled by a Worker of their own, so that
// campaign pages never take its activity slots, and their own carrier slots; SEND_WORKER_LANES
// (campaigns | single) makes a process poll one kind only, so that a one-time code never waits for
// an event loop, a connection pool or a database pool that a campaign keeps busy.
import { Worker } from '@temporalio/worker';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createDb } from '../lib/db';
import { connectWorkerConnection, singleSendLane, TASK_QUEUES } from '../lib/temporal';
import { SingleSendWake } from '../lib/single-send-wake';
import { createCarrierClients, createSendActivities } from './send-activities';
import { installWorkerRuntime, startMetricsServer } from '../lib/metrics/worker';

async function main() {
  const config = loadConfig();
  const coreMetrics = await installWorkerRuntime(config);
  const logger = createLogger('worker-send', config.LOG_LEVEL);
  const metrics = await startMetricsServer(config, config.SEND_WORKER_METRICS_PORT, coreMetrics, logger);
  // Pages in flight each hold a connection for their reads and bulk writes.
  const db = createDb(requireDatabaseUrl(config), { min: 0, max: 16 });
  const connection = await connectWorkerConnection(config.TEMPORAL_ADDRESS);
  const carriers = createCarrierClients(config, logger);
  const wake = new SingleSendWake(requireDatabaseUrl(config));
  const activities = createSendActivities({ db, config, wake, ...carriers });
  const lanes = config.SEND_WORKER_LANES;
  const queues =
    lanes === 'single'
      ? []
      : (process.env.SEND_TASK_QUEUES?.split(',').filter(Boolean) ?? [TASK_QUEUES.sendSms, TASK_QUEUES.sendEmail]);
  const workers = await Promise.all(
    queues.map((taskQueue) =>
      Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue,
        activities,
        // Pages of every campaign share the worker's carrier concurrency (SEND_CONCURRENCY): more
        // pages in flight than that only queue inside the worker.
        maxConcurrentActivityTaskExecutions: 64,
      }),
    ),
  );
  const lane = lanes === 'campaigns' ? null : singleSendLane(config);
  if (lane)
    workers.push(
      await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: lane,
        activities,
        // A few dispatch activities per dispatcher: each holds one slot while it runs batches.
        maxConcurrentActivityTaskExecutions: 16,
      }),
    );
  logger.info(
    { taskQueues: queues, singleLane: lane, concurrency: config.SEND_CONCURRENCY, metrics: metrics.url },
    'worker polling',
  );
  // Diagnostics for benchmarks: SEND_WORKER_MEMORY_LOG_MS=1000 prints memory and event-loop use.
  const memoryLogMs = Number(process.env.SEND_WORKER_MEMORY_LOG_MS ?? 0);
  let elu = performance.eventLoopUtilization();
  const memoryLog =
    memoryLogMs > 0
      ? setInterval(() => {
          const m = process.memoryUsage();
          const busy = performance.eventLoopUtilization(elu); // since the last line: how busy the JS thread was
          elu = performance.eventLoopUtilization();
          const mb = (n: number) => Math.round(n / 1048576);
          process.stderr.write(
            `[worker-send] rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} MB, event loop ${Math.round(busy.utilization * 100)}% busy\n`,
          );
        }, memoryLogMs)
      : null;
  await Promise.all(workers.map((w) => w.run()));
  if (memoryLog) clearInterval(memoryLog);
  await wake.close();
  await carriers.twilio?.close();
  carriers.sendgrid?.close();
  await db.destroy();
  await connection.close();
  await metrics.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
