// Reconciliation of what Postgres committed with what Temporal runs. The API commits a fact
// (an account registered, a campaign started) and then starts its workflow; if the process dies
// or Temporal refuses in between, nothing else would start it. The lifecycle worker runs these
// at start-up and every minute: each is idempotent (workflow ids are business keys, reuse policy
// REJECT_DUPLICATE: a workflow that has closed is never started again), reads bounded batches,
// and skips rows younger than a few seconds (the API is probably starting them right now).
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { startAccountLifecycle } from '../lib/workflow-clients/account';
import {
  campaignHandle,
  campaignStartInput,
  startCampaign,
  STARTED_CAMPAIGN_STATUSES,
  type CampaignStartRow,
} from '../lib/workflow-clients/campaign';
import { startBilling, subscriptionBillingHandle } from '../lib/workflow-clients/subscription-billing';

export interface ReconcileDeps {
  db: Knex;
  temporal: Client;
  config: Config;
}

export interface ReconcileOptions {
  /** Rows read per query. */
  batchSize?: number;
  /** Queries per kind and pass at most (the rest waits for the next pass). */
  maxBatches?: number;
  /** Rows committed less than this long ago are left to the API. */
  minAgeSeconds?: number;
  /** Only these accounts (ops on one customer; tests sharing a database). */
  accountIds?: string[];
}

/** Per kind: rows examined, workflows started, found running (marked), found closed but not settled, errors. */
export interface ReconcileCounts {
  checked: number;
  started: number;
  running: number;
  closed: number;
  errors: number;
}

const defaults = (o: ReconcileOptions) => ({
  batchSize: o.batchSize ?? 200,
  maxBatches: o.maxBatches ?? 50,
  minAgeSeconds: o.minAgeSeconds ?? 10,
});
const zero = (): ReconcileCounts => ({ checked: 0, started: 0, running: 0, closed: 0, errors: 0 });

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

/** Starts the lifecycle workflow of every account that has none yet (idempotent by workflow id). */
async function reconcileAccountLifecycles(
  db: Knex,
  temporal: Client,
  config: Config,
  opts: ReconcileOptions = {},
): Promise<number> {
  const { batchSize, minAgeSeconds } = defaults(opts);
  // The workflow's first activity sets lifecycle_started_at: a started one leaves this set.
  const rows = await db('accounts')
    .whereNull('lifecycle_started_at')
    .andWhere('created_at', '<', db.raw('now() - make_interval(secs => ?)', [minAgeSeconds]))
    .modify((q) => {
      if (opts.accountIds) q.whereIn('id', opts.accountIds);
    })
    .orderBy('id')
    .limit(batchSize * 5)
    .select('id', 'terms_version', 'formula');
  for (const r of rows)
    await startAccountLifecycle({ temporal, config }, r.id, r.terms_version, { formula: r.formula });
  return rows.length;
}

/**
 * Campaigns in a started status whose workflow was never seen (campaigns.workflow_seen_at, set by
 * the workflow's first status projection): started with the input the API builds; one found
 * running is marked; one found closed while the campaign is still open (e.g. a run from before
 * failures settled, or terminated by hand) is reported, never restarted: its order needs a person.
 */
export async function reconcileCampaigns(
  deps: ReconcileDeps,
  opts: ReconcileOptions = {},
  logger?: Logger,
): Promise<ReconcileCounts> {
  const { db, temporal, config } = deps;
  const { batchSize, maxBatches, minAgeSeconds } = defaults(opts);
  const counts = zero();
  let after = '00000000-0000-0000-0000-000000000000';
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const rows: (CampaignStartRow & { status: string })[] = await db('campaigns')
      .whereIn('status', [...STARTED_CAMPAIGN_STATUSES])
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
      .select('order_id', 'account_id', 'channel', 'purpose', 'total', 'scheduled_at', 'status');
    for (const c of rows) {
      counts.checked += 1;
      await guarded(counts, logger, { orderId: c.order_id }, async () => {
        const { started } = await startCampaign({ temporal, config }, campaignStartInput(c, config));
        if (started) {
          counts.started += 1;
          logger?.warn({ orderId: c.order_id, status: c.status }, 'campaign workflow was missing: started');
          return;
        }
        const status = await statusOrNull(campaignHandle(temporal, c.order_id).describe());
        if (status === 'RUNNING') {
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
 * Subscription accounts (not terminated) whose `subscription-billing:<id>` was never seen
 * (subscriptions.billing_workflow_seen_at, or no subscription row at all when registration
 * failed before writing it): startBilling writes the row if needed and starts the workflow
 * (REJECT_DUPLICATE); one found running is marked so that later passes skip it.
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
    const rows: { id: string; has_subscription: boolean }[] = await db('accounts as a')
      .leftJoin('subscriptions as s', 's.account_id', 'a.id')
      .where('a.formula', 'subscription')
      .whereNot('a.status', 'terminated')
      .andWhere('a.id', '>', after)
      .modify((q) => {
        if (opts.accountIds) q.whereIn('a.id', opts.accountIds);
      })
      .andWhere('a.created_at', '<', db.raw('now() - make_interval(secs => ?)', [minAgeSeconds]))
      .andWhere((q) =>
        q.whereNull('s.account_id').orWhere((q2) => q2.whereNull('s.ended_at').whereNull('s.billing_workflow_seen_at')),
      )
      .orderBy('a.id')
      .limit(batchSize)
      .select('a.id', db.raw('s.account_id is not null as has_subscription'));
    for (const a of rows) {
      counts.checked += 1;
      await guarded(counts, logger, { accountId: a.id }, async () => {
        const before = await statusOrNull(subscriptionBillingHandle(temporal, a.id).describe());
        if (before === null) {
          await startBilling({ db, temporal, config: deps.config }, a.id); // writes the row if missing, then starts
          counts.started += 1;
          logger?.warn(
            { accountId: a.id, hadSubscription: a.has_subscription },
            'subscription billing workflow was missing: started',
          );
        } else if (before === 'RUNNING') {
          if (!a.has_subscription) await startBilling({ db, temporal, config: deps.config }, a.id); // writes the row; the start is a no-op
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
  const run = async (kind: string, fn: () => Promise<unknown>) => {
    try {
      const counts = await fn();
      const nonZero =
        typeof counts === 'number' ? counts > 0 : Object.values(counts as ReconcileCounts).some((n) => n > 0);
      if (nonZero) logger.info({ kind, counts }, 'reconciled workflows');
      else logger.debug({ kind }, 'reconciled workflows: nothing to do');
    } catch (err) {
      logger.error({ err, kind }, 'reconciliation failed; retried at the next pass');
    }
  };
  await run('account-lifecycle', () => reconcileAccountLifecycles(deps.db, deps.temporal, deps.config, opts));
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
