// Descriptions of the staff billing routes (api/staff-billing.ts, api/staff-billing-registers.ts;
// ToS 7): ledger adjustments, credit notes, disputes, payments, legal rates, subscription plans and
// the registers across accounts. Role billing; X-Access-Reason wherever an account's data is read.
import {
  adjustmentSchema,
  creditNoteSchema,
  disputesQuery,
  legalRateSchema,
  paymentSchemaAt,
  planSchema,
  resolveSchema,
} from '../staff-billing';
import { billingRegisterQuery } from '../staff-billing-registers';
import { jsonObject } from './registry';
import type { StaffSpec } from './staff';

const BILLING = ['billing'];
/** api/staff-billing.ts creditNote: lib/invoices.ts InvoiceError as 409 (invoice_not_found as 404). */
const CREDIT_NOTE = ['already_partly_credited', 'credit_exceeds_invoice', 'invalid_amount@409', 'account_not_found'];
const reason = { accessReason: true };

export function describeStaffBillingRoutes(now: () => Date, staff: (spec: StaffSpec) => void): void {
  const b = '/v1/staff/billing';
  staff({ method: 'get', path: `${b}/accounts/:id/ledger`, summary: 'An account’s ledger', roles: BILLING, ...reason });
  staff({
    method: 'get',
    path: `${b}/accounts/:id/invoices`,
    summary: 'An account’s invoices',
    roles: BILLING,
    ...reason,
  });
  staff({
    method: 'post',
    path: `${b}/accounts/:id/adjustments`,
    summary: 'Ledger adjustment',
    roles: BILLING,
    ...reason,
    body: adjustmentSchema,
    problems: ['insufficient_balance@409'],
  });
  staff({
    method: 'post',
    path: `${b}/invoices/:id/credit-notes`,
    summary: 'Credit note',
    roles: BILLING,
    ...reason,
    body: creditNoteSchema,
    problems: CREDIT_NOTE,
  });
  staff({
    method: 'get',
    path: `${b}/disputes`,
    summary: 'Invoice disputes',
    roles: BILLING,
    ...reason,
    query: disputesQuery,
  });
  staff({
    method: 'post',
    path: `${b}/disputes/:id/resolve`,
    summary: 'Resolve a dispute',
    roles: BILLING,
    ...reason,
    body: resolveSchema,
    responses: { 200: jsonObject },
    problems: ['dispute_already_resolved', ...CREDIT_NOTE],
  });
  staff({
    method: 'post',
    path: `${b}/accounts/:id/payments`,
    summary: 'Offline payment',
    roles: BILLING,
    ...reason,
    body: paymentSchemaAt(now),
    responses: { 201: jsonObject, 200: jsonObject },
    problems: ['invalid_amount', 'invoice_not_found'],
  });
  staff({ method: 'get', path: `${b}/legal-rates`, summary: 'Legal interest rates', roles: BILLING });
  for (const [path, summary] of [
    ['overdue-invoices', 'Overdue invoices with the late-payment penalties accrued so far (7.3)'],
    ['credit-notes', 'Credit notes across accounts'],
    ['payments', 'Payments across accounts'],
  ])
    staff({ method: 'get', path: `${b}/${path}`, summary, roles: BILLING, ...reason, query: billingRegisterQuery });
  staff({
    method: 'post',
    path: `${b}/legal-rates`,
    summary: 'Set a semester’s legal rate',
    roles: BILLING,
    body: legalRateSchema,
    problems: ['legal_rate_exists'],
  });
  staff({
    method: 'get',
    path: `${b}/config-errors`,
    summary: 'Billing configuration errors',
    roles: BILLING,
    ...reason,
  });
  staff({
    method: 'put',
    path: `${b}/accounts/:id/subscription-plan`,
    summary: 'Change a subscription plan',
    roles: BILLING,
    ...reason,
    body: planSchema,
    responses: { 200: jsonObject },
    problems: ['not_a_subscription_account', 'no_subscription'],
  });
}
