// The monthly billing cycle of a Subscription (id `subscription-billing:<accountId>`, ToS 7.1.1).
// At the start of each billing month (domain/billing-cycle.ts: months counted from the
// effective date, 12 per annual period, across renewals) one activity issues the month's
// invoice (fee + prepaid services in advance + last month's overage), credits the prepaid
// amount and carries the unused balance forward; the invoice gets its own workflow. When the
// contract ends early, for any reason, the remaining monthly fees of the current annual period
// are invoiced and the cycle stops; nothing is refunded. Continues-as-new after every annual
// period (or when Temporal suggests it).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { annualPeriod, type BillingMonth } from '../domain/billing-cycle';
import type { BillingActivities } from '../activities/billing';
import {
  subscriptionBillingStateQuery,
  subscriptionEndedSignal,
  type SubscriptionBillingInput,
  type SubscriptionBillingState,
} from './billing-messages';
import { startInvoiceChild } from './invoice';
import { SA } from './search-attributes';

const acts = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

export function billingMonth(effectiveAt: Date, n: number): BillingMonth {
  return annualPeriod(effectiveAt, Math.floor(n / 12)).months[n % 12];
}

export async function subscriptionBillingWorkflow(input: SubscriptionBillingInput): Promise<SubscriptionBillingState> {
  const effectiveAt = new Date(input.effectiveAt);
  let end = input.end ?? null;
  const state: SubscriptionBillingState = {
    accountId: input.accountId,
    nextMonth: input.nextMonth ?? 0,
    nextMonthStart: null,
    ended: false,
    invoices: [],
  };
  setHandler(subscriptionBillingStateQuery, () => state);
  setHandler(subscriptionEndedSignal, (e) => {
    end ??= e;
  });
  upsertSearchAttributes([
    { key: SA.AccountId, value: input.accountId },
    { key: SA.CaseKind, value: 'subscription_billing' },
  ]);

  for (;;) {
    const n = state.nextMonth;
    const month = billingMonth(effectiveAt, n);
    const start = month.start.getTime();
    state.nextMonthStart = month.start.toISOString();
    upsertSearchAttributes([{ key: SA.NextDeadline, value: month.start }]);
    // Wait for the month to start, or for an end before it.
    while (Date.now() < start && !(end && Date.parse(end.endAt) <= start)) {
      await condition(() => end !== null && Date.parse(end.endAt) <= start, start - Date.now());
    }
    if (end && Date.parse(end.endAt) <= start) {
      const endAt = Date.parse(end.endAt);
      if (endAt > Date.now()) await sleep(endAt - Date.now());
      const inv = await acts.issueEarlyEndInvoice({
        accountId: input.accountId,
        endAt: end.endAt,
        reason: end.reason,
        issuedAt: new Date().toISOString(),
      });
      if (inv) {
        state.invoices.push(inv.invoiceId);
        await startInvoiceChild(inv);
      }
      state.ended = true;
      upsertSearchAttributes([{ key: SA.NextDeadline, value: null }]);
      await condition(allHandlersFinished);
      return state;
    }
    const r = await acts.runSubscriptionMonth({
      accountId: input.accountId,
      monthNumber: n,
      start: month.start.toISOString(),
      end: month.end.toISOString(),
      issuedAt: new Date().toISOString(),
    });
    if (r.invoice) {
      state.invoices.push(r.invoice.invoiceId);
      await startInvoiceChild(r.invoice);
    }
    state.nextMonth = n + 1;
    if (month.monthIndex === 11 || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof subscriptionBillingWorkflow>({
        accountId: input.accountId,
        effectiveAt: input.effectiveAt,
        nextMonth: state.nextMonth,
        end,
      });
    }
  }
}
