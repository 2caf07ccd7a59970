// Client of the formal-notice clock (workflows/formal-notice.ts, id `formal-notice:<caseId>`,
// 10.1): opened by staff; takes the cure (update) and the acknowledgment of receipt (signal).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { formalNoticeWorkflow, type FormalNoticeInput } from '../../workflows/formal-notice';
import { formalNoticeWorkflowId } from '../../workflows/ids';
import { noticeAcknowledged } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export { formalNoticeWorkflowId };

export function enqueueFormalNotice(trx: Knex, config: OutboxConfig, input: FormalNoticeInput): Promise<PendingStart> {
  return enqueueStart(trx, formalNoticeWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: formalNoticeWorkflowId(input.caseId),
    args: [input],
    searchAttributes: [
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'formal_notice' },
      { key: SA.ContractState, value: 'notifying' },
    ],
  });
}

export const formalNoticeHandle = (temporal: Client, caseId: string): WorkflowHandle<typeof formalNoticeWorkflow> =>
  temporal.workflow.getHandle<typeof formalNoticeWorkflow>(formalNoticeWorkflowId(caseId));

export const signalNoticeAcknowledged = (
  temporal: Client,
  caseId: string,
  ack: { noticeId: string; at: string },
): Promise<void> => formalNoticeHandle(temporal, caseId).signal(noticeAcknowledged, ack);
