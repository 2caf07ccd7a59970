// Client of a force-majeure case (workflows/force-majeure.ts, id `force-majeure:<caseId>`, 11):
// declared by the User or the platform; takes its end and the termination right (updates).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { forceMajeureWorkflow, type ForceMajeureInput } from '../../workflows/force-majeure';
import { forceMajeureWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export { forceMajeureWorkflowId };

export function enqueueForceMajeureCase(
  trx: Knex,
  config: OutboxConfig,
  input: ForceMajeureInput,
): Promise<PendingStart> {
  return enqueueStart(trx, forceMajeureWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: forceMajeureWorkflowId(input.caseId),
    args: [input],
    searchAttributes: [
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'force_majeure' },
      { key: SA.ContractState, value: 'in_progress' },
    ],
  });
}

export const forceMajeureHandle = (temporal: Client, caseId: string): WorkflowHandle<typeof forceMajeureWorkflow> =>
  temporal.workflow.getHandle<typeof forceMajeureWorkflow>(forceMajeureWorkflowId(caseId));
