// Billing activities: what the invoice and subscription-billing workflows do to Postgres and to
// the account workflow, composed into one object: one invoice's life (billing-invoices.ts: 7.3)
// and the Subscription's months (billing-months.ts: 7.1.1). Activity names are recorded in
// workflow histories: never rename one.
import { createInvoiceActivities } from './billing-invoices';
import { createSubscriptionMonthActivities, type BillingActivityDeps } from './billing-months';

export function createBillingActivities(deps: BillingActivityDeps) {
  return {
    ...createSubscriptionMonthActivities(deps),
    ...createInvoiceActivities(deps),
  };
}

export type BillingActivities = ReturnType<typeof createBillingActivities>;
