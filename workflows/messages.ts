// Signals, updates and queries of every workflow, in one place so that the API, tests and
// workflows share the same definitions.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type AccountStatus = 'active' | 'suspended' | 'terminated';

/** Why an account is suspended. Several may hold at once; the account is active when none do. */
export interface Suspension {
  kind: 'late_payment' | 'breach' | 'prohibited_use' | 'staff' | string;
  ref: string;
  reason: string;
  since: string; // ISO instant
}

export interface Actor { type: 'member' | 'staff' | 'system'; id?: string }

export interface AccountState {
  accountId: string;
  status: AccountStatus;
  suspensions: Suspension[];
  termsVersion: string;
  terminatedAt?: string;
  termination?: { clause: string; reason: string };
  stateVersion: number;
}

export interface SuspendInput { kind: Suspension['kind']; ref: string; reason: string; by: Actor }
export interface LiftInput { kind: Suspension['kind']; ref: string; by: Actor }
export interface TerminateInput { clause: string; reason: string; by: Actor }

export const accountStateQuery = defineQuery<AccountState>('accountState');
export const suspendAccount = defineUpdate<AccountState, [SuspendInput]>('suspendAccount');
export const liftSuspension = defineUpdate<AccountState, [LiftInput]>('liftSuspension');
export const terminateAccount = defineUpdate<AccountState, [TerminateInput]>('terminateAccount');
