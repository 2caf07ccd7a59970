// 11 — Force majeure. Rules (contract-clocks.ts): the notification is late iff made at or after
// 00:00 Paris on (start date + 8) (7 calendar days); the termination right opens at
// notification + 1 month (same Paris wall clock, clamped) and only while the force majeure
// persists; payment and the User's prepaid Services are never suspended.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { startOfParisDay, addCalendarDays } from '../../domain/calendar';
import { forceMajeureTerminationRightAt } from '../../domain/force-majeure-clocks';
import { clockStateQuery, endForceMajeure, exerciseForceMajeureTermination } from '../../workflows/messages';
import { FailureType } from '../../workflows/failures';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, finished, keepHistory, refusedWith, until } from './support/contract-fakes';
import { forceMajeureWorkflowId } from '../../workflows/ids';

const TICK = 1000;
const DAY = 86_400_000;

describe('force majeure clock (11)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When force majeure ends 29 days after the notification, then no termination right ever opens; when it lasts 31 days, the right opens one tick after the month (refused one tick before) and termination takes effect at once', async () => {
    const taskQueue = uniqueQueue('fm');
    const t0 = new Date(await env.currentTimeMs());
    const a = `fm29-${taskQueue}`;
    const b = `fm31-${taskQueue}`;
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
      const user = { type: 'member' as const, id: 'm1' };
      const start = (id: string) =>
        env.client.workflow.start('forceMajeureWorkflow', {
          taskQueue,
          workflowId: forceMajeureWorkflowId(id),
          args: [
            {
              caseId: `case-${id}`,
              accountId: id,
              declaredBy: 'user',
              startedAt: new Date(t0.getTime() - 2 * DAY).toISOString(),
              description: 'flood',
              obligations: ['service_delivery', 'payment', 'prepaid_services'],
              by: user,
            },
          ],
        });
      const ha = await start(a);
      const hb = await start(b);
      const sb = await until(
        () => hb.query(clockStateQuery),
        (s) => s.state === 'in_progress',
      );
      await until(
        () => ha.query(clockStateQuery),
        (s) => s.state === 'in_progress',
      );
      const notifiedAt = new Date(sb.details.notifiedAt as string);
      const rightAt = forceMajeureTerminationRightAt(notifiedAt, TERMS_2026_01);
      expect(sb.details.terminationRightAt).toBe(rightAt.toISOString());
      expect(sb.details).toMatchObject({
        lateNotification: false,
        suspendedObligations: ['service_delivery'],
        notSuspendedObligations: ['payment', 'prepaid_services'],
      });
      await until(() => fakes.deadline(hb.workflowId, 'force_majeure_termination_right'), Boolean);
      expect(fakes.deadline(hb.workflowId, 'force_majeure_termination_right')).toMatchObject({
        state: 'open',
        clause: '11',
        dueAt: rightAt.toISOString(),
      });
      expect(fakes.deadline(hb.workflowId, 'force_majeure_notification')).toMatchObject({
        state: 'closed',
        outcome: 'notified_in_time',
      });

      await env.sleep(notifiedAt.getTime() + 29 * DAY - (await env.currentTimeMs()));
      await ha.executeUpdate(endForceMajeure, { args: [{ by: user }] });
      await refusedWith(
        hb.executeUpdate(exerciseForceMajeureTermination, { args: [{ by: user, party: 'user' }] }),
        FailureType.TerminationRightNotOpen,
      );
      expect((await finished(ha)).state).toBe('ended');
      expect(fakes.deadline(ha.workflowId, 'force_majeure_termination_right')).toMatchObject({
        state: 'closed',
        outcome: 'ended_before_right',
      });

      await env.sleep(rightAt.getTime() - (await env.currentTimeMs()) - TICK);
      await refusedWith(
        hb.executeUpdate(exerciseForceMajeureTermination, { args: [{ by: user, party: 'user' }] }),
        FailureType.TerminationRightNotOpen,
      );
      await env.sleep(2 * TICK);
      await until(
        () => hb.query(clockStateQuery),
        (s) => s.state === 'right_open',
      );
      await env.sleep(notifiedAt.getTime() + 31 * DAY - (await env.currentTimeMs()));
      const exercised = await hb.executeUpdate(exerciseForceMajeureTermination, {
        args: [{ by: { type: 'staff', id: 's1' }, party: 'platform' }],
      });
      expect(exercised.details.terminationExercisedBy).toBe('platform');
      expect((await finished(hb)).state).toBe('terminated');
      expect(fakes.called('terminateAccountFor').map((c) => [c.args.accountId, c.args.clause])).toEqual([[b, '11']]);
      expect(fakes.deadline(hb.workflowId, 'force_majeure_termination_right')).toMatchObject({
        state: 'closed',
        outcome: 'right_opened',
      });
      await keepHistory('force-majeure', hb);
    });
  });

  test('When force majeure is notified one tick before the end of the 7th day after its start, then it is in time; one tick after, it is flagged late', async () => {
    const taskQueue = uniqueQueue('fm-late');
    const now = new Date(await env.currentTimeMs());
    const midnight = startOfParisDay(addCalendarDays(now, 2));
    const startedAt = addCalendarDays(midnight, -8).toISOString(); // Paris date D; D+8 00:00 = midnight
    const a = `fmin-${taskQueue}`;
    const b = `fmlate-${taskQueue}`;
    const acct = (id: string) => ({
      accountId: id,
      termsVersion: TERMS_2026_01.version,
      policy: TERMS_2026_01,
      effectiveDate: now.toISOString(),
      formula: 'pack' as const,
      status: 'active' as const,
    });
    const fakes = contractFakes(env, [acct(a), acct(b)]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      await env.sleep(midnight.getTime() - (await env.currentTimeMs()) - TICK);
      const args = (id: string) => [
        {
          caseId: `c-${id}`,
          accountId: id,
          declaredBy: 'platform',
          startedAt,
          description: 'carrier outage',
          obligations: ['service_delivery', 'prepaid_services'],
          by: { type: 'staff', id: 's1' },
        },
      ];
      const ha = await env.client.workflow.start('forceMajeureWorkflow', {
        taskQueue,
        workflowId: forceMajeureWorkflowId(a),
        args: args(a),
      });
      await until(() => fakes.deadline(ha.workflowId, 'force_majeure_notification'), Boolean);
      await env.sleep(2 * TICK);
      const hb = await env.client.workflow.start('forceMajeureWorkflow', {
        taskQueue,
        workflowId: forceMajeureWorkflowId(b),
        args: args(b),
      });
      await until(() => fakes.deadline(hb.workflowId, 'force_majeure_notification'), Boolean);
      expect(fakes.deadline(ha.workflowId, 'force_majeure_notification')).toMatchObject({
        state: 'closed',
        outcome: 'notified_in_time',
        dueAt: midnight.toISOString(),
      });
      expect(fakes.deadline(hb.workflowId, 'force_majeure_notification')).toMatchObject({
        state: 'missed',
        outcome: 'notified_late',
        dueAt: midnight.toISOString(),
      });
      // Declared by the platform: delivering prepaid Services is suspended too.
      expect((await hb.query(clockStateQuery)).details).toMatchObject({
        lateNotification: true,
        suspendedObligations: ['service_delivery', 'prepaid_services'],
      });
      // Ended, not terminated: a terminated workflow with a pending timer stalls the Java test
      // server's time skipping for the next test file on it.
      for (const h of [ha, hb]) await h.executeUpdate(endForceMajeure, { args: [{ by: { type: 'staff', id: 's1' } }] });
      await finished(ha);
      await finished(hb);
    });
  });
});
