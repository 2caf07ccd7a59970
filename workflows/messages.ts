// Signals, updates and queries of every workflow, in one place so that the API, tests and
// workflows share the same definitions.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

type AccountStatus = 'active' | 'suspended' | 'terminated';

/** Why an account is suspended. Several may hold at once; the account is active when none do. */
interface Suspension {
  kind: 'late_payment' | 'breach' | 'prohibited_use' | 'staff' | string;
  ref: string;
  reason: string;
  since: string; // ISO instant
}

export interface Actor {
  type: 'member' | 'staff' | 'system';
  id?: string;
}

export interface AccountState {
  accountId: string;
  status: AccountStatus;
  suspensions: Suspension[];
  termsVersion: string;
  terminatedAt?: string;
  termination?: { clause: string; reason: string };
  stateVersion: number;
}

export interface SuspendInput {
  kind: Suspension['kind'];
  ref: string;
  reason: string;
  by: Actor;
}
export interface LiftInput {
  kind: Suspension['kind'];
  ref: string;
  by: Actor;
}
export interface TerminateInput {
  clause: string;
  reason: string;
  by: Actor;
}

export const accountStateQuery = defineQuery<AccountState>('accountState');
export const suspendAccount = defineUpdate<AccountState, [SuspendInput]>('suspendAccount');
export const liftSuspension = defineUpdate<AccountState, [LiftInput]>('liftSuspension');
export const terminateAccount = defineUpdate<AccountState, [TerminateInput]>('terminateAccount');

/**
 * The account's status as its campaigns need it (6.3.4, 7.3, 10.3: a suspension or a termination
 * stops sending at once). `stateVersion` orders the news: a campaign ignores anything older than
 * what it knows, whether it came by signal or from a page that read the account row.
 */
export interface AccountSendState {
  status: AccountStatus;
  stateVersion: number;
  clause?: string;
}

// ---------------------------------------------------------------------------------------------
// The contract's clocks (ToS 3.2–11, 12; docs/contract.md). Every clock answers `clockState` with its state and next
// deadline; events reach it as updates (validated, answered) or signals (fire and forget).

export interface ClockState {
  kind: string;
  accountId: string | null;
  state: string;
  /** ISO instant of the next deadline this clock waits for, null when none. */
  nextDeadline: string | null;
  details: Record<string, unknown>;
}

export const clockStateQuery = defineQuery<ClockState>('clockState');

/** Account workflow: a new terms version now binds the account (3.3). */
export const termsVersionBound = defineSignal<[{ version: string }]>('termsVersionBound');

/** Any clock of an account: the contract has ended, close your deadlines and stop. */
export const contractTerminated = defineSignal<[{ clause: string }]>('contractTerminated');

/** 3.2 i: a termination notice received (by the User or by the platform). */
export interface TerminationNoticeInput {
  givenBy: 'user' | 'platform';
  actorId?: string;
  noticeId?: string;
}
export interface TerminationNoticeResult {
  receivedAt: string;
  appliesAt: string;
  termIndex: number;
}
export const giveTerminationNotice = defineUpdate<TerminationNoticeResult, [TerminationNoticeInput]>(
  'giveTerminationNotice',
);

/** 3.2 ii: an Order was placed (a use of the Services). */
export const orderPlaced = defineSignal<[{ orderId?: string }]>('orderPlaced');

/** 10.1: the breach is cured (staff decision). */
export const cureBreach = defineUpdate<ClockState, [{ by: Actor; note?: string }]>('cureBreach');
/** 10.1: the User acknowledged receipt of the formal notice. */
export const noticeAcknowledged = defineSignal<[{ noticeId: string; at: string }]>('noticeAcknowledged');

/** 10.2: the User asks for its data to be returned. */
export const requestDataReturn = defineUpdate<ClockState, [{ by: Actor }]>('requestDataReturn');

/** 11: force majeure is over. */
export const endForceMajeure = defineUpdate<ClockState, [{ by: Actor }]>('endForceMajeure');
/** 11: a party exercises the termination right (open 1 month after the notification). */
export const exerciseForceMajeureTermination = defineUpdate<ClockState, [{ by: Actor; party: 'user' | 'platform' }]>(
  'exerciseForceMajeureTermination',
);

/** Annex 2.3.3: staff send the breach notification to the affected Users. */
export const notifyDataBreach = defineUpdate<ClockState, [{ by: Actor; summary: string }]>('notifyDataBreach');

/** 6.4.3: a maintenance window is cancelled before it ends. */
export const cancelMaintenance = defineSignal<[{ by: Actor }]>('cancelMaintenance');

// ---------------------------------------------------------------------------------------------
// Campaigns (ToS 6.2, an Order): `campaignWorkflow`, id `campaign:<orderId>`.

export type CampaignRunStatus =
  | 'scheduled'
  | 'running'
  | 'paused'
  | 'cancelling'
  | 'cancelled'
  | 'completed'
  | 'failed';

export interface CampaignProgress {
  status: CampaignRunStatus;
  pagesDone: number;
  pagesTotal: number;
  /** Messages that reached the carrier so far. */
  sent: number;
  /** Outcomes of the pages done, per status written by the send path. */
  counts: { submitted: number; suppressed: number; held: number; rejected: number };
  startedAt: string | null;
  ratePerSecond: number;
  etaSeconds: number | null;
  /** Why a paused campaign does not send: its customer, staff, the account's suspension. */
  holds?: CampaignHold[];
}

export type CampaignHold = 'customer' | 'staff' | 'account_suspended';

export const pauseCampaign = defineUpdate<CampaignRunStatus, []>('pauseCampaign');
export const resumeCampaign = defineUpdate<CampaignRunStatus, []>('resumeCampaign');
export const cancelCampaign = defineUpdate<CampaignRunStatus, []>('cancelCampaign');
export const campaignProgress = defineQuery<CampaignProgress>('campaignProgress');
/** The account workflow → each started campaign: suspended = hold, active = release, terminated = cancel. */
export const accountStatusChanged = defineSignal<[AccountSendState]>('accountStatusChanged');
/** Staff hold (true) or release (false) a campaign; a customer's resume never lifts a staff hold. */
export const staffHoldCampaign = defineUpdate<CampaignRunStatus, [{ hold: boolean }]>('staffHoldCampaign');
