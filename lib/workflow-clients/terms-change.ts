// Client of a terms change for one account (workflows/terms-change.ts, id
// `terms-change:<version>:<accountId>`, 3.3): started by staff when a version is published.
import { termsChangeWorkflow, type TermsChangeInput } from '../../workflows/terms-change';
import { termsChangeWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export function enqueueTermsChange(trx: Knex, config: OutboxConfig, input: TermsChangeInput): Promise<PendingStart> {
  return enqueueStart(trx, termsChangeWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: termsChangeWorkflowId(input.version, input.accountId),
    args: [input],
    searchAttributes: [
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'terms_change' },
      { key: SA.ContractState, value: 'notifying' },
    ],
  });
}
