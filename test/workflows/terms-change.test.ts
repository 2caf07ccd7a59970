// 3.3 — Terms change. Rule (termsBindingAt): the new version binds the account at the same Paris
// wall-clock time on the same day of the next month, clamped to the month's end, after the
// notification was sent (31 January 10:00 → 28 February 10:00); binding iff now >= that instant.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { clockStateQuery } from '../../workflows/messages';
import { parisDate } from '../../domain/calendar';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, keepHistory, until } from './support/contract-fakes';

const TICK = 1000;

describe('terms change clock (3.3)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When a new version is notified on 31 January at 10:00 Paris, then the old version applies until one tick before 28 February 10:00 and the new one binds one tick after', async () => {
    const taskQueue = uniqueQueue('terms');
    const now = await env.currentTimeMs();
    // Next 31 January, 10:00 Paris (09:00 UTC, winter time).
    const year =
      new Date(now).getUTCFullYear() + (new Date(now).getUTCMonth() === 0 && new Date(now).getUTCDate() >= 31 ? 1 : 0);
    let jan31 = Date.UTC(year, 0, 31, 9, 0, 0);
    if (jan31 <= now) jan31 = Date.UTC(year + 1, 0, 31, 9, 0, 0);
    await env.sleep(jan31 - now);
    const id = `terms-${taskQueue}`;
    const fakes = contractFakes(env, [
      {
        accountId: id,
        termsVersion: TERMS_2026_01.version,
        policy: TERMS_2026_01,
        effectiveDate: new Date(now).toISOString(),
        formula: 'subscription',
        status: 'active',
      },
    ]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start('termsChangeWorkflow', {
        taskQueue,
        workflowId: `terms-change:2099-test:${id}`,
        args: [{ accountId: id, version: '2099-test' }],
      });
      const st = await until(
        () => h.query(clockStateQuery),
        (s) => s.state === 'notified',
      );
      const notifiedAt = new Date(st.details.notifiedAt as string);
      const bindsAt = new Date(st.details.bindsAt as string);
      expect(parisDate(notifiedAt)).toBe(`${new Date(jan31).getUTCFullYear()}-01-31`);
      const leap = new Date(Date.UTC(new Date(jan31).getUTCFullYear(), 1, 29)).getUTCMonth() === 1;
      expect(parisDate(bindsAt)).toBe(`${new Date(jan31).getUTCFullYear()}-02-${leap ? 29 : 28}`);
      expect(bindsAt.getTime() - notifiedAt.getTime()).toBe((leap ? 29 : 28) * 86_400_000);
      expect(fakes.called('sendContractNotice')[0].args).toMatchObject({
        kind: 'terms_change',
        clause: '3.3',
        accountId: id,
      });
      // Worded from the policy in force for the account (termsChangeTakesEffect), as 3.3 words it.
      const { text } = fakes.called('sendContractNotice')[0].args;
      expect(text).toContain('applies to your account one (1) month after this notification');
      await until(() => fakes.deadline(h.workflowId, 'terms_change_binding', '2099-test'), Boolean);
      expect(fakes.deadline(h.workflowId, 'terms_change_binding', '2099-test')).toMatchObject({
        state: 'open',
        dueAt: bindsAt.toISOString(),
        clause: '3.3',
      });

      await env.sleep(bindsAt.getTime() - (await env.currentTimeMs()) - TICK);
      expect(fakes.called('bindTermsVersion')).toHaveLength(0);
      expect(fakes.account(id).termsVersion).toBe('2026-01');
      await env.sleep(2 * TICK);
      const done = await h.result();
      expect(done.state).toBe('bound');
      const [bind] = fakes.called('bindTermsVersion');
      expect(bind.args).toMatchObject({ accountId: id, version: '2099-test' });
      expect(bind.at).toBeGreaterThanOrEqual(bindsAt.getTime());
      expect(fakes.deadline(h.workflowId, 'terms_change_binding', '2099-test')).toMatchObject({
        state: 'closed',
        outcome: 'bound',
      });
      await keepHistory('terms-change', h);
    });
  });
});
