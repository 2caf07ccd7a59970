// Client of the webhook dispatchers (workflows/webhook-dispatch.ts, id
// `webhook-dispatch:<endpointId>:<generation>`): enqueued in the transaction that creates or
// enables an endpoint (the outbox), relayed after its commit.
import type { Knex } from 'knex';
import type { Config } from '../config';
import { webhookDispatchWorkflow } from '../../workflows/webhook-dispatch';
import { webhookDispatchWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export async function enqueueWebhookDispatcher(
  trx: Knex | Knex.Transaction,
  config: OutboxConfig & Pick<Config, 'WEBHOOK_WINDOW' | 'WEBHOOK_BATCH_SIZE'>,
  endpoint: { id: string; accountId: string; generation: number },
): Promise<PendingStart> {
  return enqueueStart(trx, webhookDispatchWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: webhookDispatchWorkflowId(endpoint.id, endpoint.generation),
    args: [
      {
        endpointId: endpoint.id,
        generation: endpoint.generation,
        window: config.WEBHOOK_WINDOW,
        batchSize: config.WEBHOOK_BATCH_SIZE,
      },
    ],
    searchAttributes: [
      { key: SA.AccountId, value: endpoint.accountId },
      { key: SA.CaseKind, value: 'webhook_dispatch' },
    ],
  });
}
