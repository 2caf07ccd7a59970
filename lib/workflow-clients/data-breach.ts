// Client of a personal-data breach case (workflows/data-breach.ts, id `data-breach:<caseId>`,
// Annex 2.3.3): opened by staff; takes the notification of the Users (update).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { dataBreachWorkflow, type DataBreachInput } from '../../workflows/data-breach';
import { dataBreachWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export { dataBreachWorkflowId };

/** `accountId`: the one affected account, null when several are. */
export function enqueueDataBreach(
  trx: Knex,
  config: OutboxConfig,
  input: DataBreachInput,
  accountId: string | null,
): Promise<PendingStart> {
  return enqueueStart(trx, dataBreachWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: dataBreachWorkflowId(input.caseId),
    args: [input],
    searchAttributes: [
      ...(accountId ? [{ key: SA.AccountId, value: accountId }] : []),
      { key: SA.CaseKind, value: 'data_breach' },
      { key: SA.ContractState, value: 'awaiting_notification' },
    ],
  });
}

export const dataBreachHandle = (temporal: Client, caseId: string): WorkflowHandle<typeof dataBreachWorkflow> =>
  temporal.workflow.getHandle<typeof dataBreachWorkflow>(dataBreachWorkflowId(caseId));
