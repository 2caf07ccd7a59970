import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { createCarrierWatch } from '../lib/metrics/carrier-watch';
import { createTwilioClient, type TwilioClient } from '../activities/carriers/twilio-client';
import { createSendGridClient, type SendGridClient } from '../activities/carriers/sendgrid-client';
import { createSendActivities as createPageActivities } from '../activities/send';
import type { SingleSendWake } from '../lib/single-send-wake';

export interface SendWorkerDeps {
  db: Knex;
  config: Config;
}

/** The carrier clients of a send worker, from config (base URLs point at the simulator in dev/test). */
export function createCarrierClients(
  config: Config,
  logger: Logger,
): { twilio: TwilioClient | null; sendgrid: SendGridClient | null } {
  const watch = { warnAfterMs: config.CARRIER_SLOW_WARN_SECONDS * 1000, logger };
  const twilio =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? createTwilioClient({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          baseUrl: config.TWILIO_BASE_URL,
          connections: config.SEND_CONCURRENCY,
          timeoutMs: 15_000,
          watch: createCarrierWatch('twilio', watch),
        })
      : null;
  const sendgrid = config.SENDGRID_API_KEY
    ? createSendGridClient({
        apiKey: config.SENDGRID_API_KEY,
        baseUrl: config.SENDGRID_BASE_URL,
        maxSockets: 64,
        timeoutMs: 60_000,
        watch: createCarrierWatch('sendgrid', watch),
      })
    : null;
  return { twilio, sendgrid };
}

/** Activities of the carrier task queues. */
export function createSendActivities(
  deps: SendWorkerDeps & { twilio: TwilioClient | null; sendgrid: SendGridClient | null; wake: SingleSendWake },
) {
  const { db, twilio, sendgrid, config, wake } = deps;
  return createPageActivities({ db, twilio, sendgrid, config, wake });
}
