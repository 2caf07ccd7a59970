// The campaign workflow (ToS 6.1–6.3) on the time-skipping test server with fake activities
// (support/campaign-fakes.ts): every page once within the window, continue-as-new with its
// cursor, pause / resume / cancel, a scheduled start to the tick, quiet hours to the tick.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign } from '../../workflows/messages';
import { fakes, startCampaign, until } from './support/campaign-fakes';

describe('campaign workflow: running, steering and scheduling', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When a campaign runs, then every page runs exactly once and the window never exceeds its size', async () => {
    const taskQueue = uniqueQueue('campaign');
    const { rec, activities } = fakes({ pageMs: 30 });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await startCampaign(env, taskQueue, { total: 10_001 });
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
    const { rec, activities } = fakes({
      pageMs: 5,
      result: (p) => (p.fromSeq === 501 ? { submitted: 400, suppressed: 60, rejected: 40 } : {}),
    });
    const worker = await testWorker(env, { taskQueue, activities });
    await worker.runUntil(async () => {
      const h = await startCampaign(env, taskQueue, { total: 5_000, pagesPerRun: 4 });
      await h.result();
      const latest = env.client.workflow.getHandle(h.workflowId);
      const described = await latest.describe();
      expect(described.runId).not.toBe(h.firstExecutionRunId); // 10 pages / 4 per run: 3 runs
      const progress = await latest.query(campaignProgress);
      expect(progress).toMatchObject({
        pagesDone: 10,
        pagesTotal: 10,
        sent: 4_900,
        counts: { submitted: 4_900, suppressed: 60, rejected: 40, held: 0 },
      });
      expect(progress.startedAt).not.toBeNull();
    });
    expect(rec.pages).toHaveLength(10);
    expect(new Set(rec.pages.map((p) => p.fromSeq)).size).toBe(10);
    expect(rec.statuses).toEqual(['running']); // the start is projected once, not per run
    expect(rec.finalised).toEqual(['completed']);
  });

  test(
    'When paused, then no new page starts while in-flight ones finish; when resumed, it completes; when ' +
      'cancelled, the rest is cancelled and the order finalised as cancelled',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes({ pageMs: 150 });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const h = await startCampaign(env, taskQueue, { total: 20 * 500, windowSize: 2 });
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
    },
  );

  test(
    'When a campaign is scheduled, then no page starts one tick before its start and pages start one tick ' + 'after',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes({ pageMs: 5 });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const start = (await env.currentTimeMs()) + 3_600_000;
        const h = await startCampaign(env, taskQueue, { total: 1_000, scheduledAt: new Date(start).toISOString() });
        expect((await h.query(campaignProgress)).status).toBe('scheduled');
        await env.sleep(start - (await env.currentTimeMs()) - 1_000);
        expect(rec.pages).toHaveLength(0);
        expect((await h.query(campaignProgress)).status).toBe('scheduled');
        await env.sleep(2_000);
        await h.result();
        expect(rec.pages).toHaveLength(2);
      });
      expect(rec.statuses).toEqual(['scheduled', 'running']);
    },
  );

  test(
    'When a scheduled campaign is cancelled before its start, then nothing is sent and it is finalised as ' +
      'cancelled',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes();
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const start = (await env.currentTimeMs()) + 86_400_000;
        const h = await startCampaign(env, taskQueue, { scheduledAt: new Date(start).toISOString() });
        expect(await h.executeUpdate(cancelCampaign)).toBe('cancelled');
        expect((await h.result()).outcome).toBe('cancelled');
      });
      expect(rec.pages).toHaveLength(0);
      expect(rec.cancelled).toBe(1);
      expect(rec.finalised).toEqual(['cancelled']);
    },
  );

  test(
    'When quiet hours hold messages, then their page is re-run not one tick before and right after the ' +
      'allowed instant',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      let allowedAt = 0;
      const { rec, activities } = fakes({
        pageMs: 5,
        result: (p, call) =>
          p.fromSeq !== 501
            ? {}
            : call === 1
              ? { submitted: 300, held: 200, nextAllowedAt: new Date(allowedAt).toISOString() }
              : { submitted: 200, skipped: 300 },
      });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        allowedAt = (await env.currentTimeMs()) + 10 * 3_600_000;
        const h = await startCampaign(env, taskQueue, { total: 1_500, purpose: 'marketing' });
        await until(async () => (await h.query(campaignProgress)).pagesDone === 3);
        expect((await h.query(campaignProgress)).counts.held).toBe(200);
        await env.sleep(allowedAt - (await env.currentTimeMs()) - 1_000);
        expect(rec.pages).toHaveLength(3);
        await env.sleep(2_000);
        await h.result();
        expect(
          rec.pages
            .slice(0, 3)
            .map((p) => p.fromSeq)
            .sort((a, b) => a - b),
        ).toEqual([1, 501, 1001]);
        expect(rec.pages.slice(3).map((p) => p.fromSeq)).toEqual([501]);
        expect(await h.query(campaignProgress)).toMatchObject({ sent: 1_500, counts: { held: 0, submitted: 1_500 } });
      });
    },
  );
});
