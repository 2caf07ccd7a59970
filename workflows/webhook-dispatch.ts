// Dispatcher of one webhook endpoint (id `webhook-dispatch:<endpointId>:<generation>`, started
// through the outbox in the transaction that creates or enables the endpoint): keeps `window`
// delivery activities in flight (activities/webhooks.ts), each claiming a batch of due events.
// The events and their schedule are in Postgres; the waits between retries are this workflow's
// timers: when nothing is due, it sleeps until the earliest next attempt (at most `maxSleepMs`,
// so that new events are seen while an old one waits hours for its retry; the activity itself
// waits `idleMs` for new ones). Ends when the endpoint is disabled or deleted; continue-as-new
// every `batchesPerRun` activities.
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhooks';

export interface WebhookDispatchInput {
  endpointId: string;
  generation: number;
  /** Delivery activities in flight (default 4). */
  window?: number;
  batchSize?: number;
  /** Activities per run before continue-as-new (default 500). */
  batchesPerRun?: number;
  /** How long one activity waits for a first due event (default 10 s). */
  idleMs?: number;
  /** Longest timer between two looks when a retry is pending (default 10 s). */
  maxSleepMs?: number;
}

const { deliverWebhooks } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function webhookDispatchWorkflow(input: WebhookDispatchInput): Promise<void> {
  const perRun = Math.max(1, input.batchesPerRun ?? 500);
  const maxSleep = input.maxSleepMs ?? 10_000;
  let started = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped && started < perRun && !workflowInfo().continueAsNewSuggested) {
      started += 1;
      const r = await deliverWebhooks({
        endpointId: input.endpointId,
        generation: input.generation,
        at: Date.now(),
        idleMs: input.idleMs,
        batchSize: input.batchSize,
      });
      if (r.stop) stopped = true;
      else if (r.attempted === 0 && r.nextDueAt) {
        const wait = Math.min(Date.parse(r.nextDueAt) - Date.now(), maxSleep);
        if (wait > 0) await sleep(wait);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.window ?? 4) }, loop));
  if (!stopped) await continueAsNew<typeof webhookDispatchWorkflow>(input);
}
