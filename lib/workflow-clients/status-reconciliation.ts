// Client of the status reconciliation (workflows/status-reconciliation.ts, id
// `status-reconciliation:<channel>`): one per channel, started by the lifecycle worker at start-up.
import { statusReconciliationWorkflow } from '../../workflows/status-reconciliation';
import { statusReconciliationWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import { startOnce, type Started, type WorkflowClientDeps } from './start-once';

export function startStatusReconciliation(deps: WorkflowClientDeps, channel: 'sms' | 'email'): Promise<Started> {
  return startOnce(deps, statusReconciliationWorkflow, {
    workflowId: statusReconciliationWorkflowId(channel),
    args: [{ channel }],
    searchAttributes: [{ key: SA.CaseKind, value: 'status_reconciliation' }],
  });
}
