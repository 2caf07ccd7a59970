// Client of the end-of-contract workflow (workflows/termination.ts, id `termination:<accountId>`,
// 10.2, Annex 2.4): started once the account is terminated; takes the data-return request.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { terminationWorkflow, type TerminationInput } from '../../workflows/termination';
import { terminationWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export function enqueueTermination(trx: Knex, config: OutboxConfig, input: TerminationInput): Promise<PendingStart> {
  return enqueueStart(trx, terminationWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: terminationWorkflowId(input.accountId),
    args: [input],
    searchAttributes: [
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'termination' },
      { key: SA.ContractState, value: 'terminated' },
    ],
  });
}

export const terminationHandle = (temporal: Client, accountId: string): WorkflowHandle<typeof terminationWorkflow> =>
  temporal.workflow.getHandle<typeof terminationWorkflow>(terminationWorkflowId(accountId));
