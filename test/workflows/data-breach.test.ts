// Annex 2.3.3 — Personal-data breach. Rule (breachNotificationDeadline): awareness + 36 hours
// exactly (an instant rule); a notification at or after it is late. The miss is flagged when
// the deadline passes, and the notification is still owed.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { clockStateQuery, notifyDataBreach } from '../../workflows/messages';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, finished, keepHistory, until } from './support/contract-fakes';
import { dataBreachWorkflowId } from '../../workflows/ids';

const TICK = 1000;
const HOUR = 3_600_000;

describe('personal-data breach clock (Annex 2.3.3)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When the Users are notified at hour 35, then the deadline closes in time; when not before hour 36, it is open one tick before, flagged missed one tick after, and the hour-37 notice is recorded late', async () => {
    const taskQueue = uniqueQueue('breach');
    const aware = new Date(await env.currentTimeMs());
    const a = `br35-${taskQueue}`;
    const b = `br37-${taskQueue}`;
    const acct = (id: string) => ({
      accountId: id,
      termsVersion: TERMS_2026_01.version,
      policy: TERMS_2026_01,
      effectiveDate: aware.toISOString(),
      formula: 'subscription' as const,
      status: 'active' as const,
    });
    const fakes = contractFakes(env, [acct(a), acct(b)]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const staff = { type: 'staff' as const, id: 's1' };
      const ha = await env.client.workflow.start('dataBreachWorkflow', {
        taskQueue,
        workflowId: dataBreachWorkflowId(a),
        args: [{ caseId: `c-${a}`, accountIds: [a], awareAt: aware.toISOString(), description: 'leak' }],
      });
      const hb = await env.client.workflow.start('dataBreachWorkflow', {
        taskQueue,
        workflowId: dataBreachWorkflowId(b),
        args: [{ caseId: `c-${b}`, accountIds: [b], awareAt: aware.toISOString(), description: 'leak' }],
      });
      const due = new Date(aware.getTime() + 36 * HOUR);
      await until(() => fakes.deadline(hb.workflowId, 'data_breach_notification', b), Boolean);
      expect(fakes.deadline(hb.workflowId, 'data_breach_notification', b)).toMatchObject({
        state: 'open',
        clause: 'Annex 2.3.3',
        dueAt: due.toISOString(),
      });

      await env.sleep(aware.getTime() + 35 * HOUR - (await env.currentTimeMs()));
      await ha.executeUpdate(notifyDataBreach, { args: [{ by: staff, summary: 'recipient list exposed' }] });
      expect((await finished(ha)).state).toBe('notified');
      expect(fakes.deadline(ha.workflowId, 'data_breach_notification', a)).toMatchObject({
        state: 'closed',
        outcome: 'notified',
      });

      await env.sleep(due.getTime() - (await env.currentTimeMs()) - TICK);
      expect(fakes.deadline(hb.workflowId, 'data_breach_notification', b)?.state).toBe('open');
      await env.sleep(2 * TICK);
      await until(
        () => fakes.deadline(hb.workflowId, 'data_breach_notification', b)?.state,
        (s) => s === 'missed',
      );
      expect((await hb.query(clockStateQuery)).state).toBe('notification_overdue');

      await env.sleep(aware.getTime() + 37 * HOUR - (await env.currentTimeMs()));
      await hb.executeUpdate(notifyDataBreach, { args: [{ by: staff, summary: 'recipient list exposed' }] });
      expect((await finished(hb)).state).toBe('notified');
      expect(fakes.deadline(hb.workflowId, 'data_breach_notification', b)).toMatchObject({
        state: 'missed',
        outcome: 'notified_late',
      });
      expect(fakes.called('sendContractNotice').map((c) => [c.args.accountId, c.args.kind])).toEqual([
        [a, 'data_breach_notification'],
        [b, 'data_breach_notification'],
      ]);
      await keepHistory('data-breach', hb);
    });
  });
});
