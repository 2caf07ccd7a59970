// Client of a Subscription's monthly billing cycle (workflows/subscription-billing.ts, id
// `subscription-billing:<accountId>`, 7.1.1): started at registration (or by the reconciliation)
// together with the account's plan row; hears of the contract's end (signal).
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { subscriptionBillingWorkflow } from '../../workflows/subscription-billing';
import { subscriptionBillingWorkflowId } from '../../workflows/ids';
import { subscriptionEndedSignal } from '../../workflows/billing-messages';
import { SA } from '../../workflows/search-attributes';
import { startOnce, type WorkflowClientDeps } from './start-once';

export interface SubscriptionBillingDeps extends WorkflowClientDeps {
  db: Knex;
  config: Pick<
    Config,
    'LIFECYCLE_TASK_QUEUE' | 'SUBSCRIPTION_MONTHLY_FEE_CENTS' | 'SUBSCRIPTION_MONTHLY_PREPAID_CENTS'
  >;
}

/**
 * Starts the billing of a new account (idempotent): for a Subscription, its plan row (the plan
 * from config; staff change it per account) and its monthly cycle `subscription-billing:<id>`.
 * A Pack account is billed when it buys a Pack.
 */
export async function startBilling(deps: SubscriptionBillingDeps, accountId: string): Promise<void> {
  const a = await deps.db('accounts').where({ id: accountId }).first('id', 'formula', 'effective_date');
  if (!a || a.formula !== 'subscription') return;
  await deps
    .db('subscriptions')
    .insert({
      account_id: a.id,
      monthly_fee_cents: deps.config.SUBSCRIPTION_MONTHLY_FEE_CENTS,
      monthly_prepaid_cents: deps.config.SUBSCRIPTION_MONTHLY_PREPAID_CENTS,
      effective_at: a.effective_date,
    })
    .onConflict('account_id')
    .ignore();
  await startOnce(deps, subscriptionBillingWorkflow, {
    workflowId: subscriptionBillingWorkflowId(a.id),
    args: [{ accountId: a.id, effectiveAt: new Date(a.effective_date).toISOString() }],
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
