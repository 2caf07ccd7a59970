// Single-send dispatcher (id `single-dispatch:<lane>:<channel>`, one per lane and channel, started
// by the lifecycle worker through the outbox): keeps `concurrency` dispatch activities in flight on
// the lane's own task queue, each waiting for queued single messages and sending micro-batches
// until the lane is idle (activities/sending/single-batch.ts), so that batches pipeline and a lone
// message leaves at once. No workflow per message: the state is in Postgres (single_sends), the
// loop only keeps the activities going. Continue-as-new every `batchesPerRun` activities.
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SendActivities } from '../activities/send';

export interface SingleDispatchInput {
  channel: 'sms' | 'email';
  /** The lane: the task queue of the dispatch activities and the key messages are queued under. */
  lane: string;
  /** Dispatch activities in flight (default 3). */
  concurrency?: number;
  /** Activities per run before continue-as-new (default 500). */
  batchesPerRun?: number;
  /** How long one activity waits for a first message (default 10 s). */
  idleMs?: number;
}

export async function singleDispatchWorkflow(input: SingleDispatchInput): Promise<void> {
  const acts = proxyActivities<SendActivities>({
    taskQueue: input.lane,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '20 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });
  const perRun = Math.max(1, input.batchesPerRun ?? 500);
  let started = 0;
  const loop = async () => {
    while (started < perRun && !workflowInfo().continueAsNewSuggested) {
      started += 1;
      await acts.dispatchSingles({ channel: input.channel, lane: input.lane, idleMs: input.idleMs });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 3) }, loop));
  await continueAsNew<typeof singleDispatchWorkflow>(input);
}
