// The campaign workflow (ToS 6.1–6.3, 10.1–10.3) on the time-skipping test server with fake
// activities (support/campaign-fakes.ts): a page failing for good, an account suspended or
// terminated mid-campaign, a page finding the account not active, a staff hold.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { keepHistory } from './support/contract-fakes';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import {
  accountStatusChanged,
  campaignProgress,
  pauseCampaign,
  resumeCampaign,
  staffHoldCampaign,
} from '../../workflows/messages';
import { fakes, startCampaign, until } from './support/campaign-fakes';

describe('campaign workflow: failures, suspension, termination and staff holds', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test(
    'When a page fails for good, then no new page starts, the pages in flight finish, the rest is ' +
      'cancelled with the reason and the campaign completes as failed',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      // Page 4 (seq 1501–2000) fails at once with a non-retryable type; pages 2 and 3 are still running.
      const { rec, activities } = fakes({
        pageMs: (p) => (p.fromSeq === 1501 ? 5 : p.fromSeq === 1 ? 50 : 400),
        result: (p) => {
          if (p.fromSeq === 1501)
            throw ApplicationFailure.create({ type: 'no_carrier', message: 'no SMS carrier configured' });
          return {};
        },
      });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const h = await startCampaign(env, taskQueue, { total: 10_000, windowSize: 3 });
        const summary = await h.result(); // completes instead of throwing
        expect(summary).toMatchObject({
          outcome: 'failed',
          error: { type: 'no_carrier', message: 'no SMS carrier configured' },
        });
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
    },
  );

  // 6.3.4, 7.3, 10.3: a suspension stops sending at once, its lift resumes, a termination cancels.
  test(
    'When the account is suspended mid-campaign, then no new page starts while in-flight ones finish, a ' +
      'customer resume does not lift it, news older than what it knows is ignored, and the lift resumes it ' +
      'to completion with every page run once',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes({ pageMs: 150 });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const h = await startCampaign(env, taskQueue, { total: 8 * 500, windowSize: 2 });
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
        expect(await h.query(campaignProgress)).toMatchObject({
          status: 'completed',
          pagesDone: 8,
          sent: 4_000,
          holds: [],
        });
        await keepHistory('campaign-account-hold', h);
      });
      expect(rec.pages.map((p) => p.fromSeq).sort((a, b) => a - b)).toEqual([
        1, 501, 1001, 1501, 2001, 2501, 3001, 3501,
      ]);
      expect(rec.statuses).toEqual(['running', 'paused', 'running']);
      expect(rec.cancelled).toBe(0);
    },
  );

  test(
    'When a page finds the account not active, then the campaign holds, and after the lift that page runs ' +
      'again and is counted once',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes({
        pageMs: (p) => (p.fromSeq === 1001 ? 5 : 100),
        result: (p, call) =>
          p.fromSeq === 1001 && call === 1 ? { submitted: 0, refused: { status: 'suspended', stateVersion: 7 } } : {},
      });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const h = await startCampaign(env, taskQueue, { total: 6 * 500, windowSize: 3 });
        await until(async () => (await h.query(campaignProgress)).status === 'paused');
        await until(() => rec.running === 0);
        const startedWhileHeld = rec.pages.length;
        await new Promise((r) => setTimeout(r, 400));
        expect(rec.pages.length).toBe(startedWhileHeld);
        await h.signal(accountStatusChanged, { status: 'active', stateVersion: 8 });
        expect((await h.result()).outcome).toBe('completed');
        expect(await h.query(campaignProgress)).toMatchObject({
          pagesDone: 6,
          sent: 3_000,
          counts: { submitted: 3_000 },
        });
      });
      expect(rec.pages.filter((p) => p.fromSeq === 1001)).toHaveLength(2);
      expect(rec.pages).toHaveLength(7);
    },
  );

  test(
    'When the account is terminated, then no new page starts, the pages in flight finish, the rest is ' +
      'cancelled with the clause and the campaign is finalised as cancelled',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes({ pageMs: 200 });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const h = await startCampaign(env, taskQueue, { total: 10 * 500, windowSize: 2 });
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
    },
  );

  test(
    "When staff hold a campaign, then the customer's resume does not release it and the staff release " +
      'does (a customer pause still holds)',
    async () => {
      const taskQueue = uniqueQueue('campaign');
      const { rec, activities } = fakes({ pageMs: 100 });
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const h = await startCampaign(env, taskQueue, { total: 6 * 500, windowSize: 1 });
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
    },
  );
});
