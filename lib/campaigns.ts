// Starting and steering campaigns from the API (INGEST calls these after reserving funds).
// The workflow id is the business key `campaign:<orderId>`: starting twice is harmless, and a
// campaign whose workflow has closed is never started again (REJECT_DUPLICATE).
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Config } from './config';
import { SA } from './temporal';
import type { campaignWorkflow, CampaignInput } from '../workflows/campaign';
import {
  campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign, staffHoldCampaign,
  type CampaignProgress, type CampaignRunStatus,
} from '../workflows/messages';

export interface CampaignDeps { temporal: Client; config: Pick<Config, 'LIFECYCLE_TASK_QUEUE' | 'SEND_WINDOW_PAGES'> }

/** Campaign statuses in which its workflow runs (or must be started: workers/reconcile.ts). */
export const STARTED_CAMPAIGN_STATUSES = ['scheduled', 'running', 'paused'] as const;

export const campaignWorkflowId = (orderId: string) => `campaign:${orderId}`;

export type StartCampaignInput = Pick<CampaignInput, 'orderId' | 'accountId' | 'channel' | 'purpose' | 'total' | 'scheduledAt'> &
  Partial<Pick<CampaignInput, 'sendTaskQueue' | 'windowSize' | 'pageSize' | 'pagesPerRun' | 'heartbeatTimeoutMs'>>;

/**
 * The workflow input of a committed campaign row: one builder for the API's start and the
 * reconciliation's, so both start the same workflow.
 */
export interface CampaignStartRow {
  order_id: string; account_id: string; channel: CampaignInput['channel']; purpose: string; total: number; scheduled_at?: Date | string | null;
}

export function campaignStartInput(
  c: CampaignStartRow,
  config: Pick<Config, 'SEND_TASK_QUEUE'>,
): StartCampaignInput {
  return {
    orderId: c.order_id, accountId: c.account_id, channel: c.channel, purpose: c.purpose, total: c.total,
    ...(c.scheduled_at ? { scheduledAt: new Date(c.scheduled_at).toISOString() } : {}),
    ...(config.SEND_TASK_QUEUE ? { sendTaskQueue: config.SEND_TASK_QUEUE } : {}),
  };
}

/**
 * Starts the campaign's workflow; a second call for the same order returns the running one
 * (`started: false`), and never starts again one that has closed (completed, failed, terminated).
 */
export async function startCampaign(deps: CampaignDeps, input: StartCampaignInput): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = campaignWorkflowId(input.orderId);
  try {
    await deps.temporal.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
      workflowId,
      taskQueue: deps.config.LIFECYCLE_TASK_QUEUE,
      args: [{ windowSize: deps.config.SEND_WINDOW_PAGES, ...input }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
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
/** Staff hold (true) or release (false): a hold the customer's resume does not lift. */
export const staffHoldCampaignRun = (temporal: Client, orderId: string, hold: boolean): Promise<CampaignRunStatus> =>
  handle(temporal, orderId).executeUpdate(staffHoldCampaign, { args: [{ hold }] });
export const campaignProgressOf = (temporal: Client, orderId: string): Promise<CampaignProgress> =>
  handle(temporal, orderId).query(campaignProgress);
