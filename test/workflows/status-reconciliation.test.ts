// The status reconciliation's loop (workflows/status-reconciliation.ts) on the time-skipping
// server with a fake page activity: a pass pages through the cursor until there is no next page,
// the next pass starts one interval later (not a tick before), and the run continues as new after
// its passes. The activity itself runs against Postgres in test/integration/status-reconciliation.test.ts.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReconcileInput, ReconcileResult } from '../../activities/status-reconciliation';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { keepHistory, until } from './support/contract-fakes';

const INTERVAL = 5 * 60_000;

describe('status reconciliation workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test(
    'When a pass has two pages, then both are read in cursor order, the next pass starts one interval ' +
      'later, and after its passes the run continues as new with the same input',
    async () => {
      const taskQueue = uniqueQueue('status-rec');
      const calls: { input: ReconcileInput; at: number }[] = [];
      const page = (next: ReconcileResult['next']): ReconcileResult => ({
        examined: next ? 200 : 3,
        applied: 1,
        unknown: 0,
        unreachable: 0,
        next,
        intervalMs: INTERVAL,
      });
      const activities = {
        async reconcileStatuses(input: ReconcileInput): Promise<ReconcileResult> {
          calls.push({ input, at: await env.currentTimeMs() });
          return page(input.after ? null : { at: '2026-12-01 10:00:00.123456+00', id: '42' });
        },
      };
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('statusReconciliationWorkflow', {
          taskQueue,
          workflowId: `status-reconciliation:sms-${taskQueue}`,
          args: [{ channel: 'sms', passesPerRun: 2 }],
        });
        const first = handle.firstExecutionRunId;
        const count = (n: number) =>
          until(
            () => calls.length,
            (c) => c >= n,
          );
        await count(2);
        await env.sleep(INTERVAL - 1000);
        expect(calls).toHaveLength(2); // a second before the interval: no new pass
        await env.sleep(2000);
        await count(4);
        expect(calls.slice(0, 4).map((c) => c.input)).toEqual([
          { channel: 'sms', after: null },
          { channel: 'sms', after: { at: '2026-12-01 10:00:00.123456+00', id: '42' } },
          { channel: 'sms', after: null },
          { channel: 'sms', after: { at: '2026-12-01 10:00:00.123456+00', id: '42' } },
        ]);
        expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(INTERVAL);
        await env.sleep(INTERVAL + 1000);
        await count(6);
        await until(
          async () => (await env.client.workflow.getHandle(handle.workflowId).describe()).runId,
          (runId) => runId !== first,
        );
        const firstRun = env.client.workflow.getHandle(handle.workflowId, first);
        expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
        // The new run starts from the same input: its first page has no cursor.
        expect(calls[4].input).toEqual({ channel: 'sms', after: null });
        await keepHistory('status-reconciliation', firstRun);
        await env.client.workflow.getHandle(handle.workflowId).terminate('test over');
      });
    },
  );
});
