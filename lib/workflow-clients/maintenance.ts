// Client of a maintenance window (workflows/maintenance.ts, id `maintenance:<windowId>`, 6.4.3):
// scheduled by operations; a cancellation reaches it as a signal.
import type { Client } from '@temporalio/client';
import { maintenanceWorkflow, type MaintenanceInput } from '../../workflows/maintenance';
import { maintenanceWorkflowId } from '../../workflows/ids';
import { cancelMaintenance, type Actor } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export function enqueueMaintenance(trx: Knex, config: OutboxConfig, input: MaintenanceInput): Promise<PendingStart> {
  return enqueueStart(trx, maintenanceWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
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
