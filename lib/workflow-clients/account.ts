// Client of the account lifecycle (workflows/account.ts, id `account:<accountId>`): its start at
// registration (in the registration's transaction), and the updates and signals other processes send it.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { accountLifecycleWorkflow, type AccountLifecycleInput } from '../../workflows/account';
import { accountWorkflowId } from '../../workflows/ids';
import {
  liftSuspension,
  suspendAccount,
  terminateAccount,
  termsVersionBound,
  type AccountState,
  type LiftInput,
  type SuspendInput,
  type TerminateInput,
} from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

export { accountWorkflowId };

/** Writes the start of an account's lifecycle workflow in `trx` (the registration's transaction). */
export function enqueueAccountLifecycle(
  trx: Knex,
  config: OutboxConfig,
  accountId: string,
  termsVersion: string,
  contract?: AccountLifecycleInput['contract'],
): Promise<PendingStart> {
  return enqueueStart(trx, accountLifecycleWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: accountWorkflowId(accountId),
    args: [{ accountId, termsVersion, contract }],
    searchAttributes: [
      { key: SA.AccountId, value: accountId },
      { key: SA.ContractState, value: 'active' },
    ],
  });
}

const handle = (temporal: Client, accountId: string): WorkflowHandle<typeof accountLifecycleWorkflow> =>
  temporal.workflow.getHandle<typeof accountLifecycleWorkflow>(accountWorkflowId(accountId));

export const suspendAccountOf = (temporal: Client, accountId: string, s: SuspendInput): Promise<AccountState> =>
  handle(temporal, accountId).executeUpdate(suspendAccount, { args: [s] });
export const liftSuspensionOf = (temporal: Client, accountId: string, l: LiftInput): Promise<AccountState> =>
  handle(temporal, accountId).executeUpdate(liftSuspension, { args: [l] });
export const terminateAccountOf = (temporal: Client, accountId: string, t: TerminateInput): Promise<AccountState> =>
  handle(temporal, accountId).executeUpdate(terminateAccount, { args: [t] });
export const signalTermsVersionBound = (temporal: Client, accountId: string, version: string): Promise<void> =>
  handle(temporal, accountId).signal(termsVersionBound, { version });
