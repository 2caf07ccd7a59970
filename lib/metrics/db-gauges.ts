// The gauges read from Postgres when the API is scraped: messages by channel and status, those
// accepted by the carrier still without a final status by age, and the workflow outbox's backlog.
// Cost: messages has no index on status on purpose (migration 008: status updates stay HOT), so
// both message gauges come from one sequential scan, grouped once; a scrape within
// `minIntervalMs` of the last one (two Prometheus servers, a dashboard refresh) reuses it, and
// the statement is cut at STATEMENT_TIMEOUT (a failed collection leaves the gauges out of the
// scrape rather than stale).
import type { Knex } from 'knex';
import type { Gauge } from 'prom-client';
import {
  awaitingFinalGauge,
  messagesGauge,
  outboxBacklogGauge,
  outboxOldestGauge,
  postgresRegistry,
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

// The outbox table and its columns belong to the outbox (lib/workflow-clients/); until it exists
// the gauges are absent. A pending row has no "done" instant (or a 'pending' status).
const DONE_COLUMNS = ['done_at', 'relayed_at', 'started_at', 'processed_at', 'completed_at', 'sent_at'];
const CREATED_COLUMNS = ['created_at', 'enqueued_at', 'inserted_at'];

async function outboxPending(db: Knex, table: string): Promise<{ rows: { n: string; oldest: number }[] } | null> {
  const { rows } = await db.raw(
    `select a.attname as name from pg_attribute a
      where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped`,
    [table],
  );
  const columns = new Set((rows as { name: string }[]).map((r) => r.name));
  if (columns.size === 0) return null;
  const done = DONE_COLUMNS.find((c) => columns.has(c));
  const pending = done ? `${done} is null` : columns.has('status') ? `status = 'pending'` : null;
  const created = CREATED_COLUMNS.find((c) => columns.has(c));
  if (!pending) return null;
  const oldest = created ? `coalesce(extract(epoch from now() - min(${created})), 0)` : '0';
  return db.raw(`select count(*)::bigint as n, ${oldest}::float8 as oldest from ?? where ${pending}`, [table]);
}

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

async function collect(db: Knex, outboxTable: string): Promise<void> {
  const { messages, outbox } = await db.transaction(async (trx) => {
    await trx.raw(`set local statement_timeout = '${STATEMENT_TIMEOUT}'`);
    const m = await trx.raw(MESSAGES_SQL);
    const o = await outboxPending(trx, outboxTable);
    return {
      messages: m.rows as { channel: string; status: string; age: string | null; n: string }[],
      outbox: o ? (o.rows[0] as { n: string; oldest: number }) : null,
    };
  });
  messagesGauge.reset();
  awaitingFinalGauge.reset();
  for (const r of messages) {
    messagesGauge.labels(r.channel, r.status).inc(Number(r.n));
    if (r.age) awaitingFinalGauge.labels(r.channel, r.age).set(Number(r.n));
  }
  present(outboxBacklogGauge, outbox ? Number(outbox.n) : null);
  present(outboxOldestGauge, outbox ? outbox.oldest : null);
}

/**
 * The Postgres gauges in the text format for one scrape ('' when Postgres did not answer: /health
 * says why); concurrent and close scrapes share one query.
 */
export function postgresGauges(
  db: Knex,
  { minIntervalMs = 5_000, outboxTable = 'workflow_outbox' } = {},
): () => Promise<string> {
  let last = 0;
  let ok = false;
  let running: Promise<void> | null = null;
  const text = async () => (ok ? postgresRegistry.metrics() : '');
  return async () => {
    if (!running && Date.now() - last >= minIntervalMs) {
      running = collect(db, outboxTable)
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
