// A real send worker for system tests: the send activities on the test's own task queue, with the
// real Twilio (and optionally SendGrid) clients pointed at the carrier simulator.
import { NativeConnection, Worker } from '@temporalio/worker';
import type { CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { createSendGridClient, type SendGridClient } from '../../activities/carriers/sendgrid-client';
import { createSendActivities, type SendActivities, type SendActivityDeps } from '../../activities/send';
import { loadConfig, type Config } from '../../lib/config';
import type { System } from './system';

export interface SendWorkerHandle {
  twilio: TwilioClient;
  sendgrid: SendGridClient | null;
  /** The activities' dependencies (a test may take a carrier away mid-campaign). */
  deps: SendActivityDeps;
  stop(): Promise<void>;
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
  /** Wraps the real activities (to observe or disturb them). */
  wrap?: (real: SendActivities) => SendActivities;
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
  const deps: SendActivityDeps = { db: sys.db, twilio, sendgrid, config, retry: opts.retry };
  const real = createSendActivities(deps);
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    taskQueue: opts.taskQueue,
    activities: opts.wrap ? opts.wrap(real) : real,
  });
  const running = worker.run();
  return {
    twilio,
    sendgrid,
    deps,
    async stop() {
      worker.shutdown();
      await running;
      await twilio.close();
      sendgrid?.close();
    },
  };
}
