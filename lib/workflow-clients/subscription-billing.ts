// Client of a Subscription's monthly billing cycle (workflows/subscription-billing.ts, id
// `subscription-billing:<accountId>`, 7.1.1): written at registration, in its transaction,
// together with the account's plan row; hears of the contract's end (signal).
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { subscriptionBillingWorkflow } from '../../workflows/subscription-billing';
import { subscriptionBillingWorkflowId } from '../../workflows/ids';
import { subscriptionEndedSignal } from '../../workflows/billing-messages';
import { SA } from '../../workflows/search-attributes';
import { enqueueStart, type PendingStart } from './outbox';

type BillingConfig = Pick<
  Config,
  'LIFECYCLE_TASK_QUEUE' | 'SUBSCRIPTION_MONTHLY_FEE_CENTS' | 'SUBSCRIPTION_MONTHLY_PREPAID_CENTS'
>;

/**
 * The billing of a new account, written in `trx` (the registration's transaction), idempotent:
 * for a Subscription, its plan row (the plan from config; staff change it per account) and the
 * start of its monthly cycle `subscription-billing:<id>`. A Pack account is billed when it buys a
 * Pack: nothing to write (null).
 */
export async function enqueueBilling(
  trx: Knex,
  config: BillingConfig,
  a: { id: string; formula: 'subscription' | 'pack'; effectiveDate: Date },
): Promise<PendingStart | null> {
  if (a.formula !== 'subscription') return null;
  await trx('subscriptions')
    .insert({
      account_id: a.id,
      monthly_fee_cents: config.SUBSCRIPTION_MONTHLY_FEE_CENTS,
      monthly_prepaid_cents: config.SUBSCRIPTION_MONTHLY_PREPAID_CENTS,
      effective_at: a.effectiveDate,
    })
    .onConflict('account_id')
    .ignore();
  return enqueueStart(trx, subscriptionBillingWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
    workflowId: subscriptionBillingWorkflowId(a.id),
    args: [{ accountId: a.id, effectiveAt: a.effectiveDate.toISOString() }],
    searchAttributes: [
      { key: SA.AccountId, value: a.id },
      { key: SA.CaseKind, value: 'subscription_billing' },
    ],
  });
}

type Handle = WorkflowHandle<typeof subscriptionBillingWorkflow>;

export const subscriptionBillingHandle = (temporal: Client, accountId: string): Handle =>
  temporal.workflow.getHandle<typeof subscriptionBillingWorkflow>(subscriptionBillingWorkflowId(accountId));

export const signalSubscriptionEnded = (
  temporal: Client,
  accountId: string,
  end: { endAt: string; reason: string },
): Promise<void> => subscriptionBillingHandle(temporal, accountId).signal(subscriptionEndedSignal, end);
