// A real send worker for system tests: the send activities on the test's own task queue, with the
// real Twilio (and optionally SendGrid) clients pointed at the carrier simulator; and the lane of
// single sends: its own worker, and its dispatcher workflows on the system's lifecycle queue.
import { NativeConnection, Worker } from '@temporalio/worker';
import type { CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { createSendGridClient, type SendGridClient } from '../../activities/carriers/sendgrid-client';
import { createSendActivities, type SendActivities, type SendActivityDeps } from '../../activities/send';
import { loadConfig, type Config } from '../../lib/config';
import type { System } from './system';
import { singleSendLane, TASK_QUEUES } from '../../lib/temporal';
import { SingleSendWake } from '../../lib/single-send-wake';
import { singleDispatchWorkflowId, startSingleDispatcher } from '../../lib/workflow-clients/single-dispatch';

export interface SendWorkerHandle {
  twilio: TwilioClient;
  sendgrid: SendGridClient | null;
  /** The activities' dependencies (a test may take a carrier away mid-campaign). */
  deps: SendActivityDeps;
  stop(): Promise<void>;
}

/**
 * A clock that starts on Tuesday 2026-12-08 at 10:00 Paris (a working day, outside the quiet hours
 * of marketing SMS, 10.3) and runs at real speed: a suite's marketing sends leave as in daytime
 * even when CI runs at night or on a Sunday.
 */
function daytimeClock(): () => Date {
  const base = Date.parse('2026-12-08T09:00:00Z');
  const t0 = Date.now();
  return () => new Date(base + (Date.now() - t0));
}

export async function startSendWorker(opts: {
  sys: System;
  sim: CarrierSimulator;
  taskQueue: string;
  concurrency: number;
  retry: NonNullable<SendActivityDeps['retry']>;
  /** Without SendGrid unless asked. */
  email?: boolean;
  /** Defaults to the environment's, with the system's public URL and `concurrency`. */
  config?: Config;
  /**
   * The quiet-hours clock of the pages (default: daytimeClock(), so that a marketing SMS is not held
   * whatever the hour the suite runs at; tests of the quiet hours pass their own instant).
   */
  now?: () => Date;
  /** Wraps the real activities (to observe or disturb them). */
  wrap?: (real: SendActivities) => SendActivities;
  /**
   * The single-send lane's worker and dispatchers: by default only on a lane of the test's own
   * (SEND_TASK_QUEUE or SINGLE_SEND_TASK_QUEUE set), never on the default lane files share.
   */
  single?: boolean;
}): Promise<SendWorkerHandle> {
  const { sys, sim } = opts;
  const twilio = createTwilioClient({
    accountSid: sim.twilio.accountSid,
    authToken: sim.twilio.authToken,
    baseUrl: sim.url,
    connections: opts.concurrency,
  });
  const sendgrid = opts.email ? createSendGridClient({ apiKey: sim.sendgrid.apiKey, baseUrl: sim.url }) : null;
  const config =
    opts.config ??
    loadConfig({ ...process.env, PUBLIC_BASE_URL: sys.baseUrl, SEND_CONCURRENCY: String(opts.concurrency) });
  const wake = new SingleSendWake(process.env.DATABASE_URL!);
  const now = opts.now ?? daytimeClock();
  const deps: SendActivityDeps = { db: sys.db, twilio, sendgrid, config, retry: opts.retry, wake, now };
  const real = createSendActivities(deps);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const activities = opts.wrap ? opts.wrap(real) : real;
  const worker = await Worker.create({ connection, taskQueue: opts.taskQueue, activities });
  const lane = singleSendLane(config);
  const ownLane = opts.single ?? lane !== TASK_QUEUES.sendSingle;
  const single = ownLane ? await Worker.create({ connection, taskQueue: lane, activities }) : null;
  const running = Promise.all([worker.run(), single?.run()]);
  const channels = opts.email ? (['sms', 'email'] as const) : (['sms'] as const);
  const dispatchConfig = { ...config, LIFECYCLE_TASK_QUEUE: sys.taskQueue };
  if (single)
    for (const channel of channels)
      await startSingleDispatcher({ db: sys.db, temporal: sys.client, config: dispatchConfig }, channel, {
        idleMs: 2_000,
      });
  return {
    twilio,
    sendgrid,
    deps,
    async stop() {
      worker.shutdown();
      single?.shutdown();
      await running;
      if (single)
        for (const channel of channels)
          await sys.client.workflow
            .getHandle(singleDispatchWorkflowId(lane, channel))
            .terminate('test over')
            .catch(() => undefined);
      await wake.close();
      await twilio.close();
      sendgrid?.close();
    },
  };
}
