// Client of the subscription term clock (workflows/subscription-term.ts, id
// `subscription-term:<accountId>`, 3.2 i). Started as a child by the account workflow; the API
// sends it the termination notice (giveTerminationNotice) through its handle.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { subscriptionTermWorkflow } from '../../workflows/subscription-term';
import { subscriptionTermWorkflowId } from '../../workflows/ids';

export const subscriptionTermHandle = (
  temporal: Client,
  accountId: string,
): WorkflowHandle<typeof subscriptionTermWorkflow> =>
  temporal.workflow.getHandle<typeof subscriptionTermWorkflow>(subscriptionTermWorkflowId(accountId));
