// Status reconciliation (id `status-reconciliation:<channel>`, one per channel, started by the
// lifecycle worker at start-up): every STATUS_RECONCILE_INTERVAL_MINUTES a pass pages through the
// channel's messages still awaiting a final delivery report past a threshold and fetches their
// status from the carrier, or marks what cannot be known (activities/status-reconciliation.ts).
// A durable loop rather than a cron: a pass interrupted by a crash resumes with its activity's
// retries, and the clock survives restarts. Continue-as-new every PASSES_PER_RUN passes.
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type {
  ReconcileCursor,
  ReconcileResult,
  StatusReconciliationActivities,
} from '../activities/status-reconciliation';

export interface StatusReconciliationInput {
  channel: 'sms' | 'email';
  /** Passes before continue-as-new (default PASSES_PER_RUN; tests use fewer). */
  passesPerRun?: number;
}

const PASSES_PER_RUN = 100;

const acts = proxyActivities<StatusReconciliationActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
});

export async function statusReconciliationWorkflow(input: StatusReconciliationInput): Promise<void> {
  const passesPerRun = Math.max(1, input.passesPerRun ?? PASSES_PER_RUN);
  for (let pass = 1; ; pass += 1) {
    let after: ReconcileCursor | null = null;
    let intervalMs: number;
    do {
      const page: ReconcileResult = await acts.reconcileStatuses({ channel: input.channel, after });
      after = page.next;
      intervalMs = page.intervalMs;
    } while (after);
    await sleep(intervalMs);
    if (pass >= passesPerRun || workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof statusReconciliationWorkflow>(input);
  }
}
