// The page activities of the send task queues (send-sms, send-email). A page is a seq range of
// one order's messages; the workflow passes only numbers. Each page:
//   1. loads its messages (one query), skipping those already past submission;
//   2. reconciles messages left in 'submitting' by a crash with the carrier before resubmitting;
//   3. re-checks suppression and quiet hours (→ 'suppressed' / 'held');
//   4. marks the rest 'submitting' in one UPDATE, then submits them with bounded concurrency
//      (a per-worker semaphore = the keep-alive pool's size) and a per-sender token bucket,
//      retrying 429 / 5xx / timeouts with backoff and jitter, never permanent errors;
//   5. writes outcomes in bulk (status + history in one statement), never overwriting a final
//      status an early webhook may have written;
//   6. heartbeats its offset; a retried attempt re-reads statuses, so accepted messages are skipped.
// Each attempt leases the messages it marks (sending/lease.ts) and submits only while its lease is
// valid by its own clock; a retry takes over what another attempt left 'submitting' only once that
// lease has expired, and reconciles it with the carrier after that.
// The mark (4) first reads the account under a share lock: a page of an account that is not active
// submits nothing and says so (`refused`), and a suspension committed after the mark waits for it.
// Nothing accumulates per campaign: memory is bounded by the pages in flight.
// This file composes the parts of activities/sending/: concurrency.ts (semaphore, token buckets,
// backoff), page-store.ts (the SQL), sms-page.ts (Twilio), email-page.ts (SendGrid) and
// carrier-errors.ts (one classifier per carrier). Activity names are part of workflow histories.
import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { TwilioClient } from './carriers/twilio-client';
import type { SendGridClient } from './carriers/sendgrid-client';
import { Semaphore, senderBuckets } from './sending/concurrency';
import { createPageStore, type PageInput, type PageResult } from './sending/page-store';
import { createSmsPage } from './sending/sms-page';
import { createEmailPage } from './sending/email-page';
import { countingCarrierErrors, countPageAttempt } from './sending/page-metrics';
import { PageLease } from './sending/lease';
import { createSingleDispatch } from './sending/single-batch';
import type { SingleSendWake } from '../lib/single-send-wake';

export type { PageInput, PageResult } from './sending/page-store';

export interface SendActivityDeps {
  db: Knex;
  twilio: TwilioClient | null;
  sendgrid: SendGridClient | null;
  config: Pick<
    Config,
    | 'PUBLIC_BASE_URL'
    | 'SEND_CONCURRENCY'
    | 'SMS_SENDER_MPS'
    | 'SMS_OPT_OUT_MENTION'
    | 'TWILIO_ACCOUNT_SID'
    | 'SEND_LEASE_TTL_MS'
    | 'SEND_LEASE_MARGIN_MS'
    | 'SINGLE_SEND_CONCURRENCY'
    | 'SINGLE_SEND_BATCH_SIZE'
  >;
  /** Wakes the single-send dispatch at once on the API's NOTIFY; without it, it polls. */
  wake?: SingleSendWake | null;
  /** Tests shorten the backoff. */
  retry?: { attempts: number; baseMs: number; maxMs: number };
  now?: () => Date;
}

/** Heartbeats every second from the first query on (reconciliation can take a while). */
function withHeartbeat<T>(fn: (progress: { offset: number; total: number }) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const progress = { offset: (ctx.info.heartbeatDetails as { offset?: number } | undefined)?.offset ?? 0, total: 0 };
  const beat = setInterval(() => ctx.heartbeat({ ...progress }), 1_000);
  return fn(progress).finally(() => clearInterval(beat));
}

export function createSendActivities(deps: SendActivityDeps) {
  const { db, config } = deps;
  const retry = deps.retry ?? { attempts: 6, baseMs: 200, maxMs: 5_000 };
  const store = createPageStore(db, deps.now ?? (() => new Date()));
  const { smsPage, submitSms } = createSmsPage({
    store: countingCarrierErrors('sms', store),
    carriers: deps,
    config,
    retry,
    slots: new Semaphore(config.SEND_CONCURRENCY),
    bucketOf: senderBuckets(config.SMS_SENDER_MPS),
  });
  const emailPage = createEmailPage({ store: countingCarrierErrors('email', store), carriers: deps, retry });

  /** One lease per attempt, renewed while the page runs and stopped when it ends. */
  const leased = <T>(input: PageInput, fn: (lease: PageLease) => Promise<T>): Promise<T> => {
    const lease = new PageLease(db, config, input);
    return fn(lease)
      .then((r) => {
        lease.assertUncontended();
        return r;
      })
      .finally(() => lease.stop());
  };
  const sendSmsPage = (input: PageInput): Promise<PageResult> =>
    countPageAttempt('sms', () =>
      withHeartbeat((progress) => leased(input, (lease) => smsPage(input, progress, lease))),
    );
  const sendEmailPage = (input: PageInput): Promise<PageResult> =>
    countPageAttempt('email', () => withHeartbeat(() => leased(input, (lease) => emailPage(input, lease))));

  // Single sends: their own lane and their own carrier slots (SINGLE_SEND_CONCURRENCY).
  const { dispatchSingles } = createSingleDispatch({
    db,
    config,
    store,
    submitSms,
    emailPage: (input) => leased(input, (lease) => emailPage(input, lease)),
    slots: new Semaphore(config.SINGLE_SEND_CONCURRENCY),
    wake: deps.wake ?? null,
  });

  return {
    sendSmsPage,
    sendEmailPage,
    dispatchSingles,
  };
}

export type SendActivities = ReturnType<typeof createSendActivities>;
