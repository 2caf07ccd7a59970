import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { keepHistory } from './support/contract-fakes';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import {
  accountStatusChanged, campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign, staffHoldCampaign,
} from '../../workflows/messages';
import type { campaignWorkflow, CampaignInput } from '../../workflows/campaign';
import type { PageInput, PageResult } from '../../activities/send';
import { campaignWorkflowId } from '../../workflows/ids';

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
function fakes(opts: { pageMs?: number | ((p: PageInput) => number); result?: (p: PageInput, call: number) => Partial<PageResult> } = {}) {
  const rec: Recorder = { pages: [], running: 0, maxRunning: 0, statuses: [], cancelled: 0, cancelDetails: [], finalised: [], log: [] };
  const calls = new Map<number, number>();
  const page = async (p: PageInput): Promise<PageResult> => {
    rec.pages.push(p);
    rec.log.push(`page-start:${p.fromSeq}`);
    rec.running += 1;
    rec.maxRunning = Math.max(rec.maxRunning, rec.running);
    await new Promise((r) => setTimeout(r, typeof opts.pageMs === 'function' ? opts.pageMs(p) : opts.pageMs ?? 20));
    rec.running -= 1;
    rec.log.push(`page-end:${p.fromSeq}`);
    const call = (calls.get(p.fromSeq) ?? 0) + 1;
    calls.set(p.fromSeq, call);
    const submitted = p.toSeq - p.fromSeq + 1;
    return { submitted, suppressed: 0, held: 0, rejected: 0, skipped: 0, adopted: 0, nextAllowedAt: null, ...opts.result?.(p, call) };
  };
  const activities = {
    sendSmsPage: page,
    sendEmailPage: page,
    async markCampaignStatus({ status }: { status: string }) { rec.statuses.push(status); },
    async cancelRemainingMessages({ detail }: { detail?: string }) { rec.cancelled += 1; rec.cancelDetails.push(detail); rec.log.push('cancel'); return { cancelled: 0 }; },
    async finaliseCampaign({ orderId, outcome, error }: { orderId: string; outcome: 'completed' | 'cancelled' | 'failed'; error?: { type: string | null; message: string } }) {
      rec.finalised.push(outcome);
      rec.log.push('finalise');
      return { orderId, outcome, counts: {}, total: 0, charged: 0, consumedE4: 0, consumedCents: 0, settlement: null, ...(error ? { error } : {}) };
    },
  };
  return { rec, activities };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('campaign workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => { env = await timeSkippingEnv(); });
  afterAll(async () => { await env?.teardown(); });

  const input = (taskQueue: string, over: Partial<CampaignInput> = {}): CampaignInput => ({
    orderId: `order-${taskQueue}`, accountId: 'acc-1', channel: 'sms', purpose: 'transactional', total: 5_000,
    sendTaskQueue: taskQueue, windowSize: 3, ...over,
  });

  test('When a campaign runs, then every page runs exactly once and the window never exceeds its size', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 30 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 10_001 })] });
      const summary = await h.result();
      expect(summary.outcome).toBe('completed');
      const progress = await h.query(campaignProgress);
      expect(progress).toMatchObject({ status: 'completed', pagesDone: 21, pagesTotal: 21, sent: 10_001 });
    });
    expect(rec.maxRunning).toBe(3);
    // Activity tasks in flight together may be picked in any order: compare as a set of ranges.
    expect(rec.pages.map((p) => [p.fromSeq, p.toSeq]).sort((a, b) => a[0] - b[0])).toEqual(
      Array.from({ length: 21 }, (_, i) => [i * 500 + 1, Math.min(10_001, (i + 1) * 500)]),
    );
    expect(rec.statuses).toEqual(['running']);
    expect(rec.finalised).toEqual(['completed']);
    expect(rec.cancelled).toBe(0);
  });

  test('When N pages have run, then the workflow continues as new carrying its cursor and counters', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 5, result: (p) => (p.fromSeq === 501 ? { submitted: 400, suppressed: 60, rejected: 40 } : {}) });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 5_000, pagesPerRun: 4 })] });
      await h.result();
      const latest = env.client.workflow.getHandle(h.workflowId);
      const described = await latest.describe();
      expect(described.runId).not.toBe(h.firstExecutionRunId); // 10 pages / 4 per run: 3 runs
      const progress = await latest.query(campaignProgress);
      expect(progress).toMatchObject({ pagesDone: 10, pagesTotal: 10, sent: 4_900, counts: { submitted: 4_900, suppressed: 60, rejected: 40, held: 0 } });
      expect(progress.startedAt).not.toBeNull();
    });
    expect(rec.pages).toHaveLength(10);
    expect(new Set(rec.pages.map((p) => p.fromSeq)).size).toBe(10);
    expect(rec.statuses).toEqual(['running']); // the start is projected once, not per run
    expect(rec.finalised).toEqual(['completed']);
  });

  test('When paused, then no new page starts while in-flight ones finish; when resumed, it completes; when cancelled, the rest is cancelled and the order finalised as cancelled', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 150 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 20 * 500, windowSize: 2 })] });
      await until(() => rec.pages.length >= 2);
      expect(await h.executeUpdate(pauseCampaign)).toBe('paused');
      const startedAtPause = rec.pages.length;
      await until(() => rec.running === 0);
      await new Promise((r) => setTimeout(r, 600));
      expect(rec.pages.length).toBe(startedAtPause); // nothing new while paused
      expect((await h.query(campaignProgress)).status).toBe('paused');
      expect(await h.executeUpdate(resumeCampaign)).toBe('running');
      await until(() => rec.pages.length >= startedAtPause + 2);
      expect(await h.executeUpdate(cancelCampaign)).toBe('cancelled');
      const summary = await h.result();
      expect(summary.outcome).toBe('cancelled');
      expect(rec.pages.length).toBeLessThan(20);
    });
    expect(rec.statuses).toEqual(['running', 'paused', 'running']);
    expect(rec.cancelled).toBe(1);
    expect(rec.finalised).toEqual(['cancelled']);
  });

  test('When a campaign is scheduled, then no page starts one tick before its start and pages start one tick after', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 5 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const start = (await env.currentTimeMs()) + 3_600_000;
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 1_000, scheduledAt: new Date(start).toISOString() })],
      });
      expect((await h.query(campaignProgress)).status).toBe('scheduled');
      await env.sleep(start - (await env.currentTimeMs()) - 1_000);
      expect(rec.pages).toHaveLength(0);
      expect((await h.query(campaignProgress)).status).toBe('scheduled');
      await env.sleep(2_000);
      await h.result();
      expect(rec.pages).toHaveLength(2);
    });
    expect(rec.statuses).toEqual(['scheduled', 'running']);
  });

  test('When a scheduled campaign is cancelled before its start, then nothing is sent and it is finalised as cancelled', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes();
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const start = (await env.currentTimeMs()) + 86_400_000;
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { scheduledAt: new Date(start).toISOString() })],
      });
      expect(await h.executeUpdate(cancelCampaign)).toBe('cancelled');
      expect((await h.result()).outcome).toBe('cancelled');
    });
    expect(rec.pages).toHaveLength(0);
    expect(rec.cancelled).toBe(1);
    expect(rec.finalised).toEqual(['cancelled']);
  });

  test('When quiet hours hold messages, then their page is re-run not one tick before and right after the allowed instant', async () => {
    const taskQueue = uniqueQueue('campaign');
    let allowedAt = 0;
    const { rec, activities } = fakes({
      pageMs: 5,
      result: (p, call) => (p.fromSeq !== 501 ? {} : call === 1 ? { submitted: 300, held: 200, nextAllowedAt: new Date(allowedAt).toISOString() } : { submitted: 200, skipped: 300 }),
    });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      allowedAt = (await env.currentTimeMs()) + 10 * 3_600_000;
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 1_500, purpose: 'marketing' })],
      });
      await until(async () => (await h.query(campaignProgress)).pagesDone === 3);
      expect((await h.query(campaignProgress)).counts.held).toBe(200);
      await env.sleep(allowedAt - (await env.currentTimeMs()) - 1_000);
      expect(rec.pages).toHaveLength(3);
      await env.sleep(2_000);
      await h.result();
      expect(rec.pages.slice(0, 3).map((p) => p.fromSeq).sort((a, b) => a - b)).toEqual([1, 501, 1001]);
      expect(rec.pages.slice(3).map((p) => p.fromSeq)).toEqual([501]);
      expect(await h.query(campaignProgress)).toMatchObject({ sent: 1_500, counts: { held: 0, submitted: 1_500 } });
    });
  });

  test('When a page fails for good, then no new page starts, the pages in flight finish, the rest is cancelled with the reason and the campaign completes as failed', async () => {
    const taskQueue = uniqueQueue('campaign');
    // Page 4 (seq 1501–2000) fails at once with a non-retryable type; pages 2 and 3 are still running.
    const { rec, activities } = fakes({
      pageMs: (p) => (p.fromSeq === 1501 ? 5 : p.fromSeq === 1 ? 50 : 400),
      result: (p) => {
        if (p.fromSeq === 1501) throw ApplicationFailure.create({ type: 'no_carrier', message: 'no SMS carrier configured' });
        return {};
      },
    });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 10_000, windowSize: 3 })] });
      const summary = await h.result(); // completes instead of throwing
      expect(summary).toMatchObject({ outcome: 'failed', error: { type: 'no_carrier', message: 'no SMS carrier configured' } });
      expect(await h.query(campaignProgress)).toMatchObject({ status: 'failed', pagesTotal: 20 });
      await keepHistory('campaign-failed', h);
    });
    // Pages 1–3 ran, page 4 failed; no page started after the failure (page 5 may have started
    // when page 1 ended, before page 4 failed), and every page started had ended before the rest was cancelled.
    const started = rec.pages.map((p) => p.fromSeq);
    expect(started).toEqual(expect.arrayContaining([1, 501, 1001, 1501]));
    expect(started.length).toBeLessThanOrEqual(5);
    expect(started.filter((s) => s === 1501)).toHaveLength(1); // non-retryable: not retried
    const cancelAt = rec.log.indexOf('cancel');
    expect(cancelAt).toBeGreaterThan(-1);
    expect(rec.log.slice(cancelAt)).toEqual(['cancel', 'finalise']);
    expect(rec.log.filter((e) => e.startsWith('page-end')).length).toBe(started.length);
    expect(rec.cancelDetails).toEqual(['campaign failed: no_carrier: no SMS carrier configured']);
    expect(rec.finalised).toEqual(['failed']);
    expect(rec.statuses).toEqual(['running']);
  });

  // 6.3.4, 7.3, 10.3: a suspension stops sending at once, its lift resumes, a termination cancels.
  test('When the account is suspended mid-campaign, then no new page starts while in-flight ones finish, a customer resume does not lift it, news older than what it knows is ignored, and the lift resumes it to completion with every page run once', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 150 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 8 * 500, windowSize: 2 })],
      });
      await until(() => rec.pages.length >= 2);
      await h.signal(accountStatusChanged, { status: 'suspended', stateVersion: 3 });
      await until(async () => (await h.query(campaignProgress)).status === 'paused');
      const startedAtSuspension = rec.pages.length;
      await until(() => rec.running === 0);
      expect(await h.executeUpdate(resumeCampaign)).toBe('paused'); // the customer cannot lift it
      await h.signal(accountStatusChanged, { status: 'active', stateVersion: 2 }); // older: ignored
      await new Promise((r) => setTimeout(r, 600));
      expect(rec.pages.length).toBe(startedAtSuspension);
      expect(await h.query(campaignProgress)).toMatchObject({ status: 'paused', holds: ['account_suspended'] });
      await h.signal(accountStatusChanged, { status: 'active', stateVersion: 4 });
      const summary = await h.result();
      expect(summary.outcome).toBe('completed');
      expect(await h.query(campaignProgress))
        .toMatchObject({ status: 'completed', pagesDone: 8, sent: 4_000, holds: [] });
      await keepHistory('campaign-account-hold', h);
    });
    expect(rec.pages.map((p) => p.fromSeq).sort((a, b) => a - b)).toEqual([1, 501, 1001, 1501, 2001, 2501, 3001, 3501]);
    expect(rec.statuses).toEqual(['running', 'paused', 'running']);
    expect(rec.cancelled).toBe(0);
  });

  test('When a page finds the account not active, then the campaign holds, and after the lift that page runs again and is counted once', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({
      pageMs: (p) => (p.fromSeq === 1001 ? 5 : 100),
      result: (p, call) => (p.fromSeq === 1001 && call === 1
        ? { submitted: 0, refused: { status: 'suspended', stateVersion: 7 } } : {}),
    });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 6 * 500, windowSize: 3 })],
      });
      await until(async () => (await h.query(campaignProgress)).status === 'paused');
      await until(() => rec.running === 0);
      const startedWhileHeld = rec.pages.length;
      await new Promise((r) => setTimeout(r, 400));
      expect(rec.pages.length).toBe(startedWhileHeld);
      await h.signal(accountStatusChanged, { status: 'active', stateVersion: 8 });
      expect((await h.result()).outcome).toBe('completed');
      expect(await h.query(campaignProgress))
        .toMatchObject({ pagesDone: 6, sent: 3_000, counts: { submitted: 3_000 } });
    });
    expect(rec.pages.filter((p) => p.fromSeq === 1001)).toHaveLength(2);
    expect(rec.pages).toHaveLength(7);
  });

  test('When the account is terminated, then no new page starts, the pages in flight finish, the rest is cancelled with the clause and the campaign is finalised as cancelled', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 200 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 10 * 500, windowSize: 2 })],
      });
      await until(() => rec.pages.length >= 2);
      await h.signal(accountStatusChanged, { status: 'terminated', stateVersion: 5, clause: '10.3' });
      expect((await h.result()).outcome).toBe('cancelled');
    });
    expect(rec.pages.length).toBeLessThan(10);
    const cancelAt = rec.log.indexOf('cancel');
    expect(rec.log.slice(cancelAt)).toEqual(['cancel', 'finalise']);
    expect(rec.log.filter((e) => e.startsWith('page-end')).length).toBe(rec.pages.length);
    expect(rec.cancelDetails).toEqual(['account terminated (10.3)']);
    expect(rec.finalised).toEqual(['cancelled']);
  });

  test('When staff hold a campaign, then the customer\'s resume does not release it and the staff release does (a customer pause still holds)', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 100 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        taskQueue, workflowId: campaignWorkflowId(taskQueue), args: [input(taskQueue, { total: 6 * 500, windowSize: 1 })],
      });
      await until(() => rec.pages.length >= 1);
      expect(await h.executeUpdate(staffHoldCampaign, { args: [{ hold: true }] })).toBe('paused');
      await until(() => rec.running === 0);
      const startedAtHold = rec.pages.length;
      expect(await h.executeUpdate(resumeCampaign)).toBe('paused');
      expect(await h.executeUpdate(pauseCampaign)).toBe('paused');
      expect((await h.query(campaignProgress)).holds).toEqual(['customer', 'staff']);
      expect(await h.executeUpdate(staffHoldCampaign, { args: [{ hold: false }] })).toBe('paused');
      await new Promise((r) => setTimeout(r, 400));
      expect(rec.pages.length).toBe(startedAtHold);
      expect(await h.executeUpdate(resumeCampaign)).toBe('running');
      expect((await h.result()).outcome).toBe('completed');
    });
    expect(rec.pages).toHaveLength(6);
  });
});
