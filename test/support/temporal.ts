// Helpers for workflow tests: a time-skipping environment on its own test server, and workers
// that use the bundle built once in global setup.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, WorkerOptions } from '@temporalio/worker';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { startTestServer } from '../../scripts/infra';

/** SDK logs at WARN so test output stays readable (once per process). */
export function quietRuntime() {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed in this process */
  }
}

/**
 * A time-skipping environment on a Java test server of its own, stopped with the environment.
 * One server per test file (not per jest worker): time skipping is global to a server, and a
 * history left behind by one file (an abandoned child, a terminated workflow with timers) can
 * keep the server's time-skipping lock held, so that later files would sleep in real time.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const server = await startTestServer();
  if (!server) return TestWorkflowEnvironment.createTimeSkipping(); // SDK download fallback
  // `create` is the SDK's own constructor path for an existing server that skips time.
  const env = await (
    TestWorkflowEnvironment as unknown as { create(o: unknown): Promise<TestWorkflowEnvironment> }
  ).create({
    server: { type: 'existing' },
    supportsTimeSkipping: true,
    address: server.address,
    namespace: 'default',
  });
  // The Java test server cannot list search attributes but accepts their registration.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((a) => [a.name, a.type === 'Keyword' ? 2 : 6])),
  });
  const teardown = env.teardown.bind(env);
  Object.assign(env, {
    teardown: async () => {
      try {
        await teardown();
      } finally {
        await server.stop();
      }
    },
  });
  return env;
}

export function testWorker(
  env: TestWorkflowEnvironment,
  opts: Omit<WorkerOptions, 'connection' | 'workflowsPath' | 'workflowBundle'>,
) {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    ...opts,
  });
}

let seq = 0;
export const uniqueQueue = (name: string) => `${name}-${process.pid}-${Date.now()}-${++seq}`;
