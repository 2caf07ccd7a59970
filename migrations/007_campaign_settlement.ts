import type { Knex } from 'knex';
import { replaceCheckIn } from './check-constraint';

// A campaign whose page failed for good ends 'failed' (its order settled for what reached the
// carrier, the rest released), and markers for the reconciliation of workflows whose start was
// lost after the commit (workers/reconcile.ts).
export async function up(knex: Knex): Promise<void> {
  // The CHECK that 005 created on campaigns.status: replaced by one with 'failed'.
  await replaceCheckIn(knex, 'campaigns', 'status', [
    'draft',
    'uploading',
    'ready',
    'scheduled',
    'running',
    'paused',
    'cancelled',
    'completed',
    'failed',
  ]);

  await knex.schema.alterTable('campaigns', (t) => {
    // Set by the campaign workflow's first status projection (or by the reconciliation when it
    // finds the workflow running): null on a started campaign = its workflow may never have started.
    t.timestamp('workflow_seen_at', { useTz: true });
  });
  // Existing started campaigns have no marker: the first reconciliation checks each once.
  await knex.raw(
    `create index campaigns_unseen_workflow on campaigns (order_id)
      where status in ('scheduled', 'running', 'paused') and workflow_seen_at is null`,
  );

  await knex.schema.alterTable('subscriptions', (t) => {
    // Set by the reconciliation once `subscription-billing:<account>` is known to exist.
    t.timestamp('billing_workflow_seen_at', { useTz: true });
  });
}
