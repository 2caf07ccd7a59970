// Client of the status reconciliation (workflows/status-reconciliation.ts, id
// `status-reconciliation:<channel>`): one per channel, enqueued by the lifecycle worker at start-up
// through the outbox like every other start (idempotent by workflow id: an existing run is kept),
// then relayed at once.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { statusReconciliationWorkflow } from '../../workflows/status-reconciliation';
import { statusReconciliationWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';
import { relayNow } from './outbox-relay';

export async function startStatusReconciliation(
  deps: { db: Knex; temporal: Client; config: OutboxConfig },
  channel: 'sms' | 'email',
): Promise<PendingStart> {
  const pending = await enqueueStart(deps.db, statusReconciliationWorkflow, {
    taskQueue: deps.config.LIFECYCLE_TASK_QUEUE,
    workflowId: statusReconciliationWorkflowId(channel),
    args: [{ channel }],
    searchAttributes: [{ key: SA.CaseKind, value: 'status_reconciliation' }],
  });
  await relayNow({ db: deps.db, temporal: deps.temporal }, pending);
  return pending;
}
