// The gauges read from Postgres when the API is scraped: messages by channel and status, those
// accepted by the carrier still without a final status by age, the workflow outbox's backlog, the
// single-send lane's (how many wait, since when) and the customer webhooks' (events not delivered).
// Cost: messages has no index on status on purpose (migration 008: status updates stay HOT), so
// both message gauges come from one sequential scan, grouped once; a scrape within
// `minIntervalMs` of the last one (two Prometheus servers, a dashboard refresh) reuses it, and
// the statement is cut at STATEMENT_TIMEOUT (a failed collection leaves the gauges out of the
// scrape rather than stale).
import type { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import { outboxBacklog } from '../workflow-clients/outbox';
import {
  awaitingFinalGauge,
  messagesGauge,
  outboxBacklogGauge,
  outboxOldestGauge,
  postgresRegistry,
  singleSendsOldestGauge,
  singleSendsWaitingGauge,
  webhookOldestGauge,
  webhookPendingGauge,
} from './definitions';

const STATEMENT_TIMEOUT = '5s';

// 'submitted' is the one status that waits for the carrier's final report (delivered, undelivered,
// failed); the age buckets are those a reconciliation threshold is read against.
const MESSAGES_SQL = `
  select channel, status,
         case when status <> 'submitted' then null
              when coalesce(submitted_at, updated_at) > now() - interval '1 minute' then '<1m'
              when coalesce(submitted_at, updated_at) > now() - interval '10 minutes' then '1m-10m'
              when coalesce(submitted_at, updated_at) > now() - interval '1 hour' then '10m-1h'
              else '>1h' end as age,
         count(*)::bigint as n
    from messages group by 1, 2, 3`;

// The queue rows are few (deleted once settled); the messages are read by primary key.
const SINGLE_SENDS_SQL = `
  select s.channel, count(*)::bigint as n,
         coalesce(extract(epoch from now() - min(m.created_at)), 0)::float8 as oldest
    from single_sends s join messages m on m.id = s.message_id
   where s.done_at is null group by 1`;

// Through the partial index of pending events (webhook_events_due).
const WEBHOOKS_SQL = `
  select count(*)::bigint as n, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest
    from webhook_events where status = 'pending'`;

/** An unlabelled gauge always prints a value (0 by default): out of the registry while unknown. */
function present(gauge: Gauge, value: number | null): void {
  const name = (gauge as unknown as { name: string }).name;
  const registered = postgresRegistry.getSingleMetric(name) !== undefined;
  if (value === null) {
    if (registered) postgresRegistry.removeSingleMetric(name);
    return;
  }
  gauge.set(value);
  if (!registered) postgresRegistry.registerMetric(gauge);
}

async function collect(db: Knex): Promise<void> {
  const { messages, outbox, singles, webhooks } = await db.transaction(async (trx) => {
    await trx.raw(`set local statement_timeout = '${STATEMENT_TIMEOUT}'`);
    const m = await trx.raw(MESSAGES_SQL);
    return {
      messages: m.rows as { channel: string; status: string; age: string | null; n: string }[],
      outbox: await outboxBacklog(trx),
      singles: (await trx.raw(SINGLE_SENDS_SQL)).rows as { channel: string; n: string; oldest: number }[],
      webhooks: (await trx.raw(WEBHOOKS_SQL)).rows[0] as { n: string; oldest: number },
    };
  });
  messagesGauge.reset();
  awaitingFinalGauge.reset();
  for (const r of messages) {
    messagesGauge.labels(r.channel, r.status).inc(Number(r.n));
    if (r.age) awaitingFinalGauge.labels(r.channel, r.age).set(Number(r.n));
  }
  singleSendsWaitingGauge.reset();
  singleSendsOldestGauge.reset();
  for (const channel of ['sms', 'email']) {
    const r = singles.find((x) => x.channel === channel);
    singleSendsWaitingGauge.labels(channel).set(Number(r?.n ?? 0));
    singleSendsOldestGauge.labels(channel).set(Math.round(r?.oldest ?? 0));
  }
  webhookPendingGauge.set(Number(webhooks.n));
  webhookOldestGauge.set(Math.round(webhooks.oldest));
  present(outboxBacklogGauge, outbox.pending);
  present(outboxOldestGauge, outbox.oldestAgeSeconds);
}

/**
 * The Postgres gauges in the text format for one scrape ('' when Postgres did not answer: /health
 * says why); concurrent and close scrapes share one query.
 */
export function postgresGauges(db: Knex, { minIntervalMs = 5_000 } = {}): () => Promise<string> {
  let last = 0;
  let ok = false;
  let running: Promise<void> | null = null;
  const text = async () => (ok ? postgresRegistry.metrics() : '');
  return async () => {
    if (!running && Date.now() - last >= minIntervalMs) {
      running = collect(db)
        .then(
          () => void (ok = true),
          () => void (ok = false),
        )
        .finally(() => {
          last = Date.now();
          running = null;
        });
    }
    if (running) await running;
    return text();
  };
}
