// 6.4.3 — Maintenance. Rules: a scheduled window is announced at least maintenanceNoticeHours
// (48 h, an operational choice) before it starts, else flagged late; 'in_progress' iff
// startsAt <= now < endsAt. An emergency window skips the announcement.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { clockStateQuery } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, finished, keepHistory, until } from './support/contract-fakes';

const TICK = 1000;
const HOUR = 3_600_000;

describe('maintenance clock (6.4.3)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When a window is announced 72 h ahead, then the announcement is in time and the window is in progress from one tick after its start to its end; announced 24 h ahead it is flagged late; an emergency window is not announced', async () => {
    const taskQueue = uniqueQueue('maint');
    const now = await env.currentTimeMs();
    const fakes = contractFakes(env, [], [TERMS_2026_01]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const w = (id: string, inHours: number, emergency: boolean) => ({
        windowId: id,
        startsAt: new Date(now + inHours * HOUR).toISOString(),
        endsAt: new Date(now + (inHours + 1) * HOUR).toISOString(),
        emergency,
        termsVersion: '2026-01',
      });
      const ha = await env.client.workflow.start('maintenanceWorkflow', {
        taskQueue,
        workflowId: `maintenance:a-${taskQueue}`,
        args: [w(`a-${taskQueue}`, 72, false)],
      });
      const hb = await env.client.workflow.start('maintenanceWorkflow', {
        taskQueue,
        workflowId: `maintenance:b-${taskQueue}`,
        args: [w(`b-${taskQueue}`, 24, false)],
      });
      const he = await env.client.workflow.start('maintenanceWorkflow', {
        taskQueue,
        workflowId: `maintenance:e-${taskQueue}`,
        args: [w(`e-${taskQueue}`, 1, true)],
      });
      await until(() => fakes.deadline(hb.workflowId, 'maintenance_announcement'), Boolean);
      await until(() => fakes.deadline(ha.workflowId, 'maintenance_announcement'), Boolean);
      expect(fakes.deadline(ha.workflowId, 'maintenance_announcement')).toMatchObject({
        state: 'closed',
        outcome: 'announced',
        dueAt: new Date(now + 24 * HOUR).toISOString(),
        accountId: null,
      });
      expect(fakes.deadline(hb.workflowId, 'maintenance_announcement')).toMatchObject({
        state: 'missed',
        outcome: 'announced_late',
      });
      await until(
        () => he.query(clockStateQuery),
        (s) => s.state === 'scheduled',
      );
      expect(fakes.deadline(he.workflowId, 'maintenance_announcement')).toBeUndefined();
      expect((await he.describe()).typedSearchAttributes.get(SA.CaseKind)).toBe('maintenance_emergency');
      expect(fakes.called('announceMaintenance')).toHaveLength(2);

      const startsAt = now + 72 * HOUR;
      await env.sleep(startsAt - (await env.currentTimeMs()) - TICK);
      expect((await ha.query(clockStateQuery)).state).toBe('scheduled');
      await env.sleep(2 * TICK);
      expect(
        (
          await until(
            () => ha.query(clockStateQuery),
            (s) => s.state === 'in_progress',
          )
        ).state,
      ).toBe('in_progress');
      await env.sleep(startsAt + HOUR - (await env.currentTimeMs()) - TICK);
      expect((await ha.query(clockStateQuery)).state).toBe('in_progress');
      await env.sleep(2 * TICK);
      expect((await finished(ha)).state).toBe('over');
      const states = fakes
        .called('setMaintenanceState')
        .filter((c) => c.args.windowId === `a-${taskQueue}`)
        .map((c) => c.args.state);
      expect(states).toEqual(['scheduled', 'in_progress', 'over']);
      expect((await finished(he)).state).toBe('over');
      expect((await finished(hb)).state).toBe('over');
      await keepHistory('maintenance', ha);
    });
  });
});
