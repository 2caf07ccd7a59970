// Starting and steering campaigns from the API (INGEST calls these after reserving funds).
// The workflow id is the business key `campaign:<orderId>`: starting twice is harmless.
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Config } from './config';
import { SA } from './temporal';
import type { campaignWorkflow, CampaignInput } from '../workflows/campaign';
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign, type CampaignProgress, type CampaignRunStatus } from '../workflows/messages';

export interface CampaignDeps { temporal: Client; config: Pick<Config, 'LIFECYCLE_TASK_QUEUE' | 'SEND_WINDOW_PAGES'> }

export const campaignWorkflowId = (orderId: string) => `campaign:${orderId}`;

export type StartCampaignInput = Pick<CampaignInput, 'orderId' | 'accountId' | 'channel' | 'purpose' | 'total' | 'scheduledAt'> &
  Partial<Pick<CampaignInput, 'sendTaskQueue' | 'windowSize' | 'pageSize' | 'pagesPerRun' | 'heartbeatTimeoutMs'>>;

/** Starts the campaign's workflow; a second call for the same order returns the running one. */
export async function startCampaign(deps: CampaignDeps, input: StartCampaignInput): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = campaignWorkflowId(input.orderId);
  try {
    await deps.temporal.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
      workflowId,
      taskQueue: deps.config.LIFECYCLE_TASK_QUEUE,
      args: [{ windowSize: deps.config.SEND_WINDOW_PAGES, ...input }],
      typedSearchAttributes: [
        { key: SA.AccountId, value: input.accountId },
        { key: SA.CaseKind, value: 'campaign' },
      ],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}

function handle(temporal: Client, orderId: string): WorkflowHandle<typeof campaignWorkflow> {
  return temporal.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(orderId));
}

export const pauseCampaignRun = (temporal: Client, orderId: string): Promise<CampaignRunStatus> =>
  handle(temporal, orderId).executeUpdate(pauseCampaign);
export const resumeCampaignRun = (temporal: Client, orderId: string): Promise<CampaignRunStatus> =>
  handle(temporal, orderId).executeUpdate(resumeCampaign);
export const cancelCampaignRun = (temporal: Client, orderId: string): Promise<CampaignRunStatus> =>
  handle(temporal, orderId).executeUpdate(cancelCampaign);
export const campaignProgressOf = (temporal: Client, orderId: string): Promise<CampaignProgress> =>
  handle(temporal, orderId).query(campaignProgress);
