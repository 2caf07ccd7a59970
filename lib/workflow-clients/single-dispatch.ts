// Client of the single-send dispatchers (workflows/single-dispatch.ts, id
// `single-dispatch:<lane>:<channel>`): one per channel of the lane, enqueued by the lifecycle
// worker at start-up through the outbox like every other start (idempotent by workflow id: an
// existing run is kept), then relayed at once.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { singleSendLane } from '../temporal';
import { singleDispatchWorkflow, type SingleDispatchInput } from '../../workflows/single-dispatch';
import { singleDispatchWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';
import { relayNow } from './outbox-relay';

export { singleDispatchWorkflowId };

export async function startSingleDispatcher(
  deps: {
    db: Knex;
    temporal: Client;
    config: OutboxConfig & Pick<Config, 'SINGLE_SEND_TASK_QUEUE' | 'SEND_TASK_QUEUE'>;
  },
  channel: 'sms' | 'email',
  opts: Omit<SingleDispatchInput, 'channel' | 'lane'> = {},
): Promise<PendingStart> {
  const lane = singleSendLane(deps.config);
  const pending = await enqueueStart(deps.db, singleDispatchWorkflow, {
    taskQueue: deps.config.LIFECYCLE_TASK_QUEUE,
    workflowId: singleDispatchWorkflowId(lane, channel),
    args: [{ channel, lane, ...opts }],
    searchAttributes: [{ key: SA.CaseKind, value: 'single_dispatch' }],
  });
  await relayNow({ db: deps.db, temporal: deps.temporal }, pending);
  return pending;
}
