// Fakes of the campaign workflow tests (test/workflows/campaign-*.test.ts): page activities that
// record what ran, in which order and how many at once (nothing leaves the machine), fake
// lifecycle activities, a campaign input, and waiting for a condition.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { campaignWorkflow, type CampaignInput } from '../../../workflows/campaign';
import { campaignWorkflowId } from '../../../workflows/ids';
import type { PageInput, PageResult } from '../../../activities/send';

interface Recorder {
  pages: PageInput[];
  running: number;
  maxRunning: number;
  statuses: string[];
  cancelled: number;
  cancelDetails: (string | undefined)[];
  finalised: string[];
  /** page-start:<fromSeq>, page-end:<fromSeq>, cancel, finalise — in the order they happened. */
  log: string[];
}

/** Fake page activities (nothing leaves the machine) and fake lifecycle activities. */
export function fakes(
  opts: {
    pageMs?: number | ((p: PageInput) => number);
    result?: (p: PageInput, call: number) => Partial<PageResult>;
  } = {},
) {
  const rec: Recorder = {
    pages: [],
    running: 0,
    maxRunning: 0,
    statuses: [],
    cancelled: 0,
    cancelDetails: [],
    finalised: [],
    log: [],
  };
  const calls = new Map<number, number>();
  const page = async (p: PageInput): Promise<PageResult> => {
    rec.pages.push(p);
    rec.log.push(`page-start:${p.fromSeq}`);
    rec.running += 1;
    rec.maxRunning = Math.max(rec.maxRunning, rec.running);
    await new Promise((r) => setTimeout(r, typeof opts.pageMs === 'function' ? opts.pageMs(p) : (opts.pageMs ?? 20)));
    rec.running -= 1;
    rec.log.push(`page-end:${p.fromSeq}`);
    const call = (calls.get(p.fromSeq) ?? 0) + 1;
    calls.set(p.fromSeq, call);
    const submitted = p.toSeq - p.fromSeq + 1;
    return {
      submitted,
      suppressed: 0,
      held: 0,
      rejected: 0,
      skipped: 0,
      adopted: 0,
      nextAllowedAt: null,
      ...opts.result?.(p, call),
    };
  };
  const activities = {
    sendSmsPage: page,
    sendEmailPage: page,
    async markCampaignStatus({ status }: { status: string }) {
      rec.statuses.push(status);
    },
    async cancelRemainingMessages({ detail }: { detail?: string }) {
      rec.cancelled += 1;
      rec.cancelDetails.push(detail);
      rec.log.push('cancel');
      return { cancelled: 0 };
    },
    async finaliseCampaign({
      orderId,
      outcome,
      error,
    }: {
      orderId: string;
      outcome: 'completed' | 'cancelled' | 'failed';
      error?: { type: string | null; message: string };
    }) {
      rec.finalised.push(outcome);
      rec.log.push('finalise');
      return {
        orderId,
        outcome,
        counts: {},
        total: 0,
        charged: 0,
        consumedE4: 0,
        consumedCents: 0,
        settlement: null,
        ...(error ? { error } : {}),
      };
    },
  };
  return { rec, activities };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const input = (taskQueue: string, over: Partial<CampaignInput> = {}): CampaignInput => ({
  orderId: `order-${taskQueue}`,
  accountId: 'acc-1',
  channel: 'sms',
  purpose: 'transactional',
  total: 5_000,
  sendTaskQueue: taskQueue,
  windowSize: 3,
  ...over,
});

/** Starts the campaign workflow on the test server with `input(taskQueue, over)`, its id from the task queue. */
export const startCampaign = (env: TestWorkflowEnvironment, taskQueue: string, over: Partial<CampaignInput> = {}) =>
  env.client.workflow.start(campaignWorkflow, {
    taskQueue,
    workflowId: campaignWorkflowId(taskQueue),
    args: [input(taskQueue, over)],
  });
