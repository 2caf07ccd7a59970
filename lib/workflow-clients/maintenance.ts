// Client of a maintenance window (workflows/maintenance.ts, id `maintenance:<windowId>`, 6.4.3):
// scheduled by operations; a cancellation reaches it as a signal.
import type { Client } from '@temporalio/client';
import { maintenanceWorkflow, type MaintenanceInput } from '../../workflows/maintenance';
import { maintenanceWorkflowId } from '../../workflows/ids';
import { cancelMaintenance, type Actor } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import { startOnce, type Started, type WorkflowClientDeps } from './start-once';

export function startMaintenance(deps: WorkflowClientDeps, input: MaintenanceInput): Promise<Started> {
  return startOnce(deps, maintenanceWorkflow, {
    workflowId: maintenanceWorkflowId(input.windowId),
    args: [input],
    searchAttributes: [
      { key: SA.CaseKind, value: input.emergency ? 'maintenance_emergency' : 'maintenance' },
      { key: SA.ContractState, value: 'scheduled' },
    ],
  });
}

export const signalCancelMaintenance = (temporal: Client, windowId: string, by: Actor): Promise<void> =>
  temporal.workflow
    .getHandle<typeof maintenanceWorkflow>(maintenanceWorkflowId(windowId))
    .signal(cancelMaintenance, { by });
