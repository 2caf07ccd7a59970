// Checks of what Postgres holds open against what Temporal runs, for the two kinds whose rows
// say when their workflow was first seen: campaigns in a started status and subscriptions not
// ended. Starting workflows is the outbox's job (lib/workflow-clients/outbox.ts: the start is
// written with the fact, so none is lost); what stays here is what no start can repair: a
// workflow found closed while its row is still open (its order stays reserved, or its billing has
// stopped) is reported and never restarted (the messages would be sent again), and one found
// running is marked so that later passes skip it. The lifecycle worker runs these at start-up and
// every minute, in bounded batches, on rows older than a minute (the relay starts them first).
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Logger } from '../lib/logger';
import { campaignHandle, STARTED_CAMPAIGN_STATUSES } from '../lib/workflow-clients/campaign';
import { subscriptionBillingHandle } from '../lib/workflow-clients/subscription-billing';

export interface ReconcileDeps {
  db: Knex;
  temporal: Client;
}

export interface ReconcileOptions {
  /** Rows read per query. */
  batchSize?: number;
  /** Queries per kind and pass at most (the rest waits for the next pass). */
  maxBatches?: number;
  /** Rows committed less than this long ago are left alone (their start may be pending in the outbox). */
  minAgeSeconds?: number;
  /** Only these accounts (ops on one customer; tests sharing a database). */
  accountIds?: string[];
}

/**
 * Per kind: rows examined, workflows not found (their start is pending in the outbox: nothing to
 * do here), found running (marked), found closed while the row is open, errors.
 */
export interface ReconcileCounts {
  checked: number;
  pending: number;
  running: number;
  closed: number;
  errors: number;
}

const defaults = (o: ReconcileOptions) => ({
  batchSize: o.batchSize ?? 200,
  maxBatches: o.maxBatches ?? 50,
  minAgeSeconds: o.minAgeSeconds ?? 60,
});
const zero = (): ReconcileCounts => ({ checked: 0, pending: 0, running: 0, closed: 0, errors: 0 });

const statusOrNull = (p: Promise<{ status: { name: string } }>): Promise<string | null> =>
  p.then(
    (d) => d.status.name,
    (err: Error) => {
      if (err.name === 'WorkflowNotFoundError') return null;
      throw err;
    },
  );

/** Runs `fn` for one row; an error is logged and counted, and the next row is tried. */
async function guarded(
  counts: ReconcileCounts,
  logger: Logger | undefined,
  ctx: object,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    counts.errors += 1;
    logger?.warn({ err, ...ctx }, 'reconciliation of one workflow failed; retried at the next pass');
  }
}

/**
 * Campaigns in a started status whose workflow was never seen (campaigns.workflow_seen_at, set by
 * the workflow's first status projection): one found running is marked; one found closed while
 * the campaign is still open (e.g. terminated by hand before its first projection) is reported,
 * never restarted: its order needs a person.
 */
export async function reconcileCampaigns(
  deps: ReconcileDeps,
  opts: ReconcileOptions = {},
  logger?: Logger,
): Promise<ReconcileCounts> {
  const { db, temporal } = deps;
  const { batchSize, maxBatches, minAgeSeconds } = defaults(opts);
  const counts = zero();
  let after = '00000000-0000-0000-0000-000000000000';
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const rows: { order_id: string; status: string }[] = await db('campaigns')
      .whereIn('status', [...STARTED_CAMPAIGN_STATUSES])
      .whereNot('kind', 'single') // no workflow of their own: the dispatcher sends them
      .whereNull('workflow_seen_at')
      .andWhere('order_id', '>', after)
      .modify((q) => {
        if (opts.accountIds) q.whereIn('account_id', opts.accountIds);
      })
      .andWhere(
        db.raw('coalesce(started_at, created_at)'),
        '<',
        db.raw('now() - make_interval(secs => ?)', [minAgeSeconds]),
      )
      .orderBy('order_id')
      .limit(batchSize)
      .select('order_id', 'status');
    for (const c of rows) {
      counts.checked += 1;
      await guarded(counts, logger, { orderId: c.order_id }, async () => {
        const status = await statusOrNull(campaignHandle(temporal, c.order_id).describe());
        if (status === null) {
          counts.pending += 1;
        } else if (status === 'RUNNING') {
          counts.running += 1;
          await db('campaigns')
            .where({ order_id: c.order_id })
            .whereNull('workflow_seen_at')
            .update({ workflow_seen_at: db.fn.now() });
        } else {
          counts.closed += 1;
          logger?.error(
            { orderId: c.order_id, status: c.status, workflowStatus: status },
            'campaign workflow closed but the campaign is not finalised: its order stays reserved',
          );
        }
      });
    }
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1].order_id;
  }
  return counts;
}

/**
 * Subscriptions (accounts not terminated, not ended) whose `subscription-billing:<id>` was never
 * seen (subscriptions.billing_workflow_seen_at): one found running is marked so that later
 * passes skip it; one found closed is reported (the monthly billing has stopped).
 */
export async function reconcileBilling(
  deps: ReconcileDeps,
  opts: ReconcileOptions = {},
  logger?: Logger,
): Promise<ReconcileCounts> {
  const { db, temporal } = deps;
  const { batchSize, maxBatches, minAgeSeconds } = defaults(opts);
  const counts = zero();
  let after = '00000000-0000-0000-0000-000000000000';
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const rows: { id: string }[] = await db('accounts as a')
      .join('subscriptions as s', 's.account_id', 'a.id')
      .where('a.formula', 'subscription')
      .whereNot('a.status', 'terminated')
      .andWhere('a.id', '>', after)
      .modify((q) => {
        if (opts.accountIds) q.whereIn('a.id', opts.accountIds);
      })
      .andWhere('a.created_at', '<', db.raw('now() - make_interval(secs => ?)', [minAgeSeconds]))
      .whereNull('s.ended_at')
      .whereNull('s.billing_workflow_seen_at')
      .orderBy('a.id')
      .limit(batchSize)
      .select('a.id');
    for (const a of rows) {
      counts.checked += 1;
      await guarded(counts, logger, { accountId: a.id }, async () => {
        const before = await statusOrNull(subscriptionBillingHandle(temporal, a.id).describe());
        if (before === null) {
          counts.pending += 1;
        } else if (before === 'RUNNING') {
          counts.running += 1;
          await db('subscriptions')
            .where({ account_id: a.id })
            .whereNull('billing_workflow_seen_at')
            .update({ billing_workflow_seen_at: db.fn.now() });
        } else {
          counts.closed += 1;
          logger?.error(
            { accountId: a.id, workflowStatus: before },
            'subscription billing workflow closed but the subscription has not ended',
          );
        }
      });
    }
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1].id;
  }
  return counts;
}

/** One pass over every kind, logged; errors of one kind do not stop the others. */
async function reconcileAll(deps: ReconcileDeps, logger: Logger, opts: ReconcileOptions = {}): Promise<void> {
  const run = async (kind: string, fn: () => Promise<ReconcileCounts>) => {
    try {
      const counts = await fn();
      const { running, closed, errors } = counts;
      if (running + closed + errors > 0) logger.info({ kind, counts }, 'reconciled workflows');
      else logger.debug({ kind }, 'reconciled workflows: nothing to do');
    } catch (err) {
      logger.error({ err, kind }, 'reconciliation failed; retried at the next pass');
    }
  };
  await run('campaign', () => reconcileCampaigns(deps, opts, logger));
  await run('subscription-billing', () => reconcileBilling(deps, opts, logger));
}

/** Runs reconcileAll now and then every `intervalMs` (never two passes at once); returns a stop function. */
export function startReconcileLoop(
  deps: ReconcileDeps,
  logger: Logger,
  intervalMs = 60_000,
  opts: ReconcileOptions = {},
): { first: Promise<void>; stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  const pass = () => {
    current = reconcileAll(deps, logger, opts).finally(() => {
      if (!stopped) timer = setTimeout(pass, intervalMs);
    });
    return current;
  };
  const first = pass();
  return {
    first,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
