// The application failure types of the engine, one set shared by workflows (update validators,
// activity retry policies), activities and the API (which answers a validator's refusal with
// 409 and `code` = the type). Workflow-safe: imports @temporalio/common only.
import { ApplicationFailure } from '@temporalio/common';

export const FailureType = {
  // Refusals of update validators: the clock is not in a state that takes the request.
  ContractEnded: 'contract_ended',
  CaseNotAwaitingCure: 'case_not_awaiting_cure',
  CaseClosed: 'case_closed',
  TerminationRightNotOpen: 'termination_right_not_open',
  DataReturnWindowClosed: 'data_return_window_closed',
  AlreadyNotified: 'already_notified',
  // Send page activities.
  CampaignNotFound: 'campaign_not_found',
  WrongChannel: 'wrong_channel',
  NoCarrier: 'no_carrier',
  PageCancelled: 'cancelled',
  CarrierUnavailable: 'carrier_unavailable',
  CarrierAmbiguous: 'carrier_ambiguous',
  /** The attempt's lease on its messages expired or was taken over: it stopped submitting. */
  PageFenced: 'page_fenced',
  /** Another attempt still holds a lease on messages of the page (retried later). */
  PageLeased: 'page_leased',
  // Billing activities.
  InvoiceNotFound: 'invoice_not_found',
  SubscriptionNotFound: 'subscription_not_found',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** The types update validators refuse with: the API answers them 409 with `code` = the type. */
export const REFUSAL_TYPES: readonly FailureType[] = [
  FailureType.ContractEnded,
  FailureType.CaseNotAwaitingCure,
  FailureType.CaseClosed,
  FailureType.TerminationRightNotOpen,
  FailureType.DataReturnWindowClosed,
  FailureType.AlreadyNotified,
];

/** A page that fails with one of these fails for good (the campaign settles as failed). */
export const SEND_PAGE_NON_RETRYABLE: FailureType[] = [
  FailureType.CampaignNotFound,
  FailureType.WrongChannel,
  FailureType.NoCarrier,
];

/** An ApplicationFailure of a known type; non-retryable unless said otherwise. */
export function failure(type: FailureType, message: string, opts: { retryable?: boolean } = {}): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: !opts.retryable });
}

/** The known type of an error, if it is an ApplicationFailure of ours. */
export function failureTypeOf(err: unknown): FailureType | null {
  const type = err instanceof ApplicationFailure ? err.type : null;
  return type && (Object.values(FailureType) as string[]).includes(type) ? (type as FailureType) : null;
}
