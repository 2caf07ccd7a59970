// 10.2 / Annex 2.4 — After termination. Rule (dataReturnRequestDeadline): terminated on Paris
// date D → a data-return request is in time iff before 00:00 Paris on D+8. Then the personal
// data is destroyed and the destruction confirmed in writing, request or not.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { calendarDaysBetween } from '../../domain/calendar';
import { clockStateQuery, requestDataReturn } from '../../workflows/messages';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, finished, keepHistory, until } from './support/contract-fakes';
import { terminationWorkflowId } from '../../workflows/ids';

const TICK = 1000;

describe('termination clock (10.2, Annex 2.4)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When the data return is asked one tick before the 7-day window closes, then the export is produced before destruction and its returned copy deleted 30 days later; one tick after, it is refused and the data destroyed; both destructions are confirmed', async () => {
    const taskQueue = uniqueQueue('termination');
    const t0 = new Date(await env.currentTimeMs());
    const a = `ret-in-${taskQueue}`;
    const b = `ret-late-${taskQueue}`;
    const acct = (id: string) => ({
      accountId: id,
      termsVersion: TERMS_2026_01.version,
      policy: TERMS_2026_01,
      effectiveDate: t0.toISOString(),
      formula: 'subscription' as const,
      status: 'terminated' as const,
    });
    const fakes = contractFakes(env, [acct(a), acct(b)]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const ha = await env.client.workflow.start('terminationWorkflow', {
        taskQueue,
        workflowId: terminationWorkflowId(a),
        args: [{ accountId: a, clause: '10.1', terminatedAt: t0.toISOString() }],
      });
      const hb = await env.client.workflow.start('terminationWorkflow', {
        taskQueue,
        workflowId: terminationWorkflowId(b),
        args: [{ accountId: b, clause: '10.1', terminatedAt: t0.toISOString() }],
      });
      const st = await until(
        () => ha.query(clockStateQuery),
        (s) => s.state === 'return_window_open',
      );
      const requestBy = new Date(st.nextDeadline!);
      expect(calendarDaysBetween(t0, requestBy)).toBe(8);
      await until(() => fakes.deadline(ha.workflowId, 'data_return_request'), Boolean);
      expect(fakes.deadline(ha.workflowId, 'data_return_request')).toMatchObject({
        state: 'open',
        clause: '10.2',
        dueAt: requestBy.toISOString(),
      });

      await env.sleep(requestBy.getTime() - (await env.currentTimeMs()) - TICK);
      expect(fakes.called('destroyAccountData')).toHaveLength(0);
      await ha.executeUpdate(requestDataReturn, { args: [{ by: { type: 'member', id: 'm1' } }] });
      await env.sleep(2 * TICK);
      await expect(
        hb.executeUpdate(requestDataReturn, { args: [{ by: { type: 'member', id: 'm2' } }] }),
      ).rejects.toThrow(); // refused (validator), or not found once the workflow has moved on
      await ha.result(); // time skips through the returned copy's 30-day collection window
      expect((await finished(ha)).state).toBe('data_destroyed');
      expect((await finished(hb)).state).toBe('data_destroyed');

      expect(fakes.called('returnAccountData').map((c) => c.args.accountId)).toEqual([a]);
      expect(fakes.deadline(ha.workflowId, 'data_return_request')).toMatchObject({
        state: 'closed',
        outcome: 'requested',
      });
      expect(fakes.deadline(hb.workflowId, 'data_return_request')).toMatchObject({
        state: 'closed',
        outcome: 'no_request',
      });
      // Export before destruction, destruction before its written confirmation, for each account.
      for (const id of [a, b]) {
        const order = fakes.calls
          .filter(
            (c) =>
              c.args?.accountId === id &&
              ['returnAccountData', 'destroyAccountData', 'sendContractNotice'].includes(c.name),
          )
          .map((c) => c.name);
        expect(order).toEqual(
          id === a
            ? ['returnAccountData', 'destroyAccountData', 'sendContractNotice']
            : ['destroyAccountData', 'sendContractNotice'],
        );
      }
      // Annex 2.4: the returned copy, collectable for 30 days after the return, is then deleted.
      const returnedAt = fakes.called('returnAccountData')[0].at;
      const deleted = fakes.called('deleteReturnedExport');
      expect(deleted.map((c) => c.args.accountId)).toEqual([a]);
      expect(deleted[0].at).toBeGreaterThanOrEqual(returnedAt + 30 * 24 * 3600 * 1000);
      expect(deleted[0].at).toBeGreaterThan(fakes.called('sendContractNotice').find((c) => c.args.accountId === a)!.at);
      const bDestroyed = fakes.called('destroyAccountData').find((c) => c.args.accountId === b)!;
      expect(bDestroyed.at).toBeGreaterThanOrEqual(requestBy.getTime());
      expect(fakes.called('sendContractNotice').map((c) => c.args.kind)).toEqual([
        'destruction_confirmation',
        'destruction_confirmation',
      ]);
      await keepHistory('termination', ha);
    });
  });
});
