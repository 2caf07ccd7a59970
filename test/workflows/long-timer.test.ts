import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { yearTimerWorkflow } from '../fixtures/workflows/long-timer';

describe('time skipping on the Java test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When a workflow sleeps for a year, then it completes in seconds of wall time with a year of workflow time elapsed', async () => {
    const taskQueue = uniqueQueue('timer');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../fixtures/workflows/long-timer'),
    });
    const wallStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(yearTimerWorkflow, { taskQueue, workflowId: taskQueue }),
    );
    const wallSeconds = (Date.now() - wallStart) / 1000;
    expect(result.after - result.before).toBeGreaterThanOrEqual(365 * 24 * 3600 * 1000);
    expect(wallSeconds).toBeLessThan(60); // a real year would never finish; this bounds a regression to real sleeping
  });
});
