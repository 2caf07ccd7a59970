// The single-send dispatcher's loop (workflows/single-dispatch.ts) on the time-skipping server with
// a fake dispatch activity: it keeps `concurrency` activities in flight (a batch that ends is
// followed at once by another), on the lane's task queue, and continues as new after its batches.
// The activity itself runs against Postgres in test/integration/send-single-dispatch.test.ts.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DispatchInput, DispatchResult } from '../../activities/sending/single-batch';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { keepHistory, until } from './support/contract-fakes';

describe('single-send dispatcher workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test(
    'When it runs with concurrency 2, then two dispatch activities are in flight at once, never three, ' +
      'and after its 4 batches the run continues as new with the same input',
    async () => {
      const taskQueue = uniqueQueue('single-dispatch');
      const calls: DispatchInput[] = [];
      let inFlight = 0;
      let most = 0;
      const activities = {
        async dispatchSingles(input: DispatchInput): Promise<DispatchResult> {
          calls.push(input);
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 50));
          inFlight -= 1;
          return { batchId: String(calls.length), batches: 1, size: 1, submitted: 1 };
        },
      };
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('singleDispatchWorkflow', {
          taskQueue,
          workflowId: `single-dispatch:${taskQueue}:sms`,
          args: [{ channel: 'sms', lane: taskQueue, concurrency: 2, batchesPerRun: 4, idleMs: 500 }],
        });
        const first = handle.firstExecutionRunId;
        await until(
          async () => (await env.client.workflow.getHandle(handle.workflowId).describe()).runId,
          (runId) => runId !== first,
        );
        const firstRun = env.client.workflow.getHandle(handle.workflowId, first);
        expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
        expect(calls.slice(0, 4)).toEqual(Array(4).fill({ channel: 'sms', lane: taskQueue, idleMs: 500 }));
        expect(most).toBe(2);
        await keepHistory('single-dispatch', firstRun);
        await env.client.workflow.getHandle(handle.workflowId).terminate('test over');
      });
    },
  );
});
