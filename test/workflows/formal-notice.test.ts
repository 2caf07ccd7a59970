// 10.1 — Formal notice. Rule (cureDeadline): notice sent on Paris date D → the cure period ends
// at the end of D+7: exclusive deadline 00:00 Paris on D+8. Cured iff cured before it (day 7
// 23:59:59 is in time, day 8 00:00:01 is not); otherwise the contract is terminated at the
// User's fault, automatically.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { calendarDaysBetween, parisDate } from '../../domain/calendar';
import { clockStateQuery, cureBreach } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, finished, keepHistory, until } from './support/contract-fakes';

const TICK = 1000;

describe('formal notice clock (10.1)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When the breach is cured on day 7 one tick before midnight, then the case closes; when the cure comes on day 8 one tick after, it is refused and the contract is terminated under 10.1', async () => {
    const taskQueue = uniqueQueue('formal');
    const t0 = new Date(await env.currentTimeMs());
    const a = `cure7-${taskQueue}`;
    const b = `cure8-${taskQueue}`;
    const acct = (id: string) => ({
      accountId: id,
      termsVersion: TERMS_2026_01.version,
      policy: TERMS_2026_01,
      effectiveDate: t0.toISOString(),
      formula: 'subscription' as const,
      status: 'active' as const,
    });
    const fakes = contractFakes(env, [acct(a), acct(b)]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const by = { type: 'staff' as const, id: 'staff-1' };
      const ha = await env.client.workflow.start('formalNoticeWorkflow', {
        taskQueue,
        workflowId: `formal-notice:case-a-${taskQueue}`,
        args: [{ caseId: `case-a-${taskQueue}`, accountId: a, breach: 'spam complaints', openedBy: by }],
      });
      const hb = await env.client.workflow.start('formalNoticeWorkflow', {
        taskQueue,
        workflowId: `formal-notice:case-b-${taskQueue}`,
        args: [{ caseId: `case-b-${taskQueue}`, accountId: b, breach: 'spam complaints', openedBy: by }],
      });
      const sa = await until(
        () => ha.query(clockStateQuery),
        (s) => s.state === 'awaiting_cure',
      );
      await until(
        () => hb.query(clockStateQuery),
        (s) => s.state === 'awaiting_cure',
      );
      const sentAt = new Date(sa.details.sentAt as string);
      const cureBy = new Date(sa.nextDeadline!);
      // Day 7 ends at 00:00 Paris on D+8.
      expect(calendarDaysBetween(sentAt, cureBy)).toBe(8);
      expect(parisDate(new Date(cureBy.getTime() - 1))).not.toBe(parisDate(cureBy));
      const notices = fakes.called('sendContractNotice');
      expect(notices.map((n) => [n.args.kind, n.args.clause, n.args.acknowledgment])).toEqual([
        ['formal_notice', '10.1', true],
        ['formal_notice', '10.1', true],
      ]);
      await until(() => fakes.deadline(ha.workflowId, 'formal_notice_cure'), Boolean);
      expect(fakes.deadline(ha.workflowId, 'formal_notice_cure')).toMatchObject({
        state: 'open',
        dueAt: cureBy.toISOString(),
        clause: '10.1',
        accountId: a,
      });
      expect((await ha.describe()).typedSearchAttributes.get(SA.CaseKind)).toBe('formal_notice');
      expect((await ha.describe()).typedSearchAttributes.get(SA.NextDeadline)?.toISOString()).toBe(
        cureBy.toISOString(),
      );

      await env.sleep(cureBy.getTime() - (await env.currentTimeMs()) - TICK);
      const cured = await ha.executeUpdate(cureBreach, { args: [{ by, note: 'complaints stopped' }] });
      expect(new Date(cured.details.curedAt as string).getTime()).toBeLessThan(cureBy.getTime());
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      await env.sleep(2 * TICK);
      await expect(hb.executeUpdate(cureBreach, { args: [{ by }] })).rejects.toThrow(); // refused (validator), or not found once the workflow has moved on

      expect((await finished(ha)).state).toBe('cured');
      expect((await finished(hb)).state).toBe('terminated');
      expect(fakes.deadline(ha.workflowId, 'formal_notice_cure')).toMatchObject({ state: 'closed', outcome: 'cured' });
      expect(fakes.deadline(hb.workflowId, 'formal_notice_cure')).toMatchObject({
        state: 'missed',
        outcome: 'not_cured_terminated',
      });
      const terms = fakes.called('terminateAccountFor');
      expect(terms.map((t) => [t.args.accountId, t.args.clause])).toEqual([[b, '10.1']]);
      expect(terms[0].at).toBeGreaterThanOrEqual(cureBy.getTime());
      expect(fakes.called('liftSuspensionFor').map((c) => c.args.accountId)).toEqual([a]);
      await keepHistory('formal-notice', hb);
    });
  });
});
