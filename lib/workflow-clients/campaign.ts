// Starting and steering campaigns from the API (the start is written in the transaction that
// reserves the funds). The workflow id is the business key `campaign:<orderId>`: starting twice
// is harmless, and a campaign whose workflow has closed is never started again (REJECT_DUPLICATE).
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { campaignWorkflow, type CampaignInput } from '../../workflows/campaign';
import { campaignWorkflowId } from '../../workflows/ids';
import {
  accountStatusChanged,
  campaignProgress,
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  staffHoldCampaign,
  type AccountSendState,
  type CampaignProgress,
  type CampaignRunStatus,
} from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import { enqueueStart, type PendingStart } from './outbox';

/** Campaign statuses in which its workflow runs (workers/reconcile.ts checks it does). */
export const STARTED_CAMPAIGN_STATUSES = ['scheduled', 'running', 'paused'] as const;

export { campaignWorkflowId };

export type StartCampaignInput = Pick<
  CampaignInput,
  'orderId' | 'accountId' | 'channel' | 'purpose' | 'total' | 'scheduledAt'
> &
  Partial<Pick<CampaignInput, 'sendTaskQueue' | 'windowSize' | 'pageSize' | 'pagesPerRun' | 'heartbeatTimeoutMs'>>;

/** The workflow input of a campaign row: one builder for every start (single message, campaign, replay). */
export interface CampaignStartRow {
  order_id: string;
  account_id: string;
  channel: CampaignInput['channel'];
  purpose: string;
  total: number;
  scheduled_at?: Date | string | null;
}

export function campaignStartInput(c: CampaignStartRow, config: Pick<Config, 'SEND_TASK_QUEUE'>): StartCampaignInput {
  return {
    orderId: c.order_id,
    accountId: c.account_id,
    channel: c.channel,
    purpose: c.purpose,
    total: c.total,
    ...(c.scheduled_at ? { scheduledAt: new Date(c.scheduled_at).toISOString() } : {}),
    ...(config.SEND_TASK_QUEUE ? { sendTaskQueue: config.SEND_TASK_QUEUE } : {}),
  };
}

/**
 * Writes the campaign's start in `trx` (the transaction that commits it as started); a second
 * call for the same order writes nothing (`queued: false`), and the relay never starts again a
 * workflow that has closed (completed, failed, terminated).
 */
export function enqueueCampaign(
  trx: Knex,
  config: Pick<Config, 'LIFECYCLE_TASK_QUEUE' | 'SEND_WINDOW_PAGES'>,
  input: StartCampaignInput,
): Promise<PendingStart> {
  return enqueueStart(trx, campaignWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: campaignWorkflowId(input.orderId),
    args: [{ windowSize: config.SEND_WINDOW_PAGES, ...input }],
    searchAttributes: [
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'campaign' },
    ],
  });
}

export function campaignHandle(temporal: Client, orderId: string): WorkflowHandle<typeof campaignWorkflow> {
  return temporal.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(orderId));
}

export const pauseCampaignRun = (temporal: Client, orderId: string): Promise<CampaignRunStatus> =>
  campaignHandle(temporal, orderId).executeUpdate(pauseCampaign);
export const resumeCampaignRun = (temporal: Client, orderId: string): Promise<CampaignRunStatus> =>
  campaignHandle(temporal, orderId).executeUpdate(resumeCampaign);
export const cancelCampaignRun = (temporal: Client, orderId: string): Promise<CampaignRunStatus> =>
  campaignHandle(temporal, orderId).executeUpdate(cancelCampaign);
/** Staff hold (true) or release (false): a hold the customer's resume does not lift. */
export const staffHoldCampaignRun = (temporal: Client, orderId: string, hold: boolean): Promise<CampaignRunStatus> =>
  campaignHandle(temporal, orderId).executeUpdate(staffHoldCampaign, { args: [{ hold }] });
export const campaignProgressOf = (temporal: Client, orderId: string): Promise<CampaignProgress> =>
  campaignHandle(temporal, orderId).query(campaignProgress);
/** The account's status changed (suspended, active, terminated): its campaigns hold, resume or cancel. */
export const signalAccountStatusChanged = (temporal: Client, orderId: string, state: AccountSendState): Promise<void> =>
  campaignHandle(temporal, orderId).signal(accountStatusChanged, state);
