// Signals, updates and queries of the billing workflows (invoice, subscription billing), shared
// by the API, activities, tests and the workflows.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './messages';

export interface InvoiceWorkflowInput {
  invoiceId: string;
  accountId: string;
  number: string;
  purpose: string;
  /** ISO instants. */
  issuedAt: string;
  dueAt: string;
  disputeDeadline: string;
}

export interface InvoiceWorkflowState {
  invoiceId: string;
  paid: boolean;
  late: boolean;
  suspended: boolean;
  disputeWindow: 'open' | 'closed';
  disputes: number;
  penalty: 'not_applicable' | 'pending' | 'issued' | 'none_due';
  penaltyInvoiceId: string | null;
  /** Last configuration error met (e.g. a legal rate missing), retried later. */
  configError: { code: string; detail: string; at: string } | null;
}

export interface DisputeInput {
  reason: string;
  by: Actor;
}
export type DisputeResult =
  | { accepted: true; disputeId: string; deadline: string }
  | { accepted: false; refused: 'deemed_accepted'; deadline: string };

/** A payment was recorded against the invoice: the workflow re-reads what is due. */
export const paymentRecordedSignal = defineSignal('paymentRecorded');
export const fileDisputeUpdate = defineUpdate<DisputeResult, [DisputeInput]>('fileDispute');
export const invoiceStateQuery = defineQuery<InvoiceWorkflowState>('invoiceState');

export interface SubscriptionBillingInput {
  accountId: string;
  /** ISO instant the subscription took effect: months are computed from it. */
  effectiveAt: string;
  /** Next billing month to run: 0, 1, … across renewals (carried across continue-as-new). */
  nextMonth?: number;
  end?: { endAt: string; reason: string } | null;
}

export interface SubscriptionBillingState {
  accountId: string;
  nextMonth: number;
  nextMonthStart: string | null;
  ended: boolean;
  invoices: string[];
}

/** The contract ended (any reason, 7.1.1): the remaining monthly fees of the annual period are invoiced. */
export const subscriptionEndedSignal = defineSignal<[{ endAt: string; reason: string }]>('subscriptionEnded');
export const subscriptionBillingStateQuery = defineQuery<SubscriptionBillingState>('subscriptionBillingState');
