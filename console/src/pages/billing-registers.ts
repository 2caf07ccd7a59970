// The billing page's registers across accounts (issue #13, ToS 7.3): overdue invoices with the
// late-payment penalties accrued so far (or the legal rate that is missing to compute them),
// the latest credit notes and payments (offline ones recorded by staff included).
import { get } from '../api';
import { h, table, td } from '../dom';
import { euros, when } from '../format';
import { accountLink } from '../widgets';

interface Overdue {
  id: string;
  number: string;
  accountId: string;
  legalName: string;
  dueAt: string;
  totalCents: number;
  outstandingCents: number;
  penaltyAccrued: { daysLate: number; interestCents: number; indemnityCents: number; totalCents: number } | null;
  missingLegalRate: string | null;
}
interface CreditNote {
  id: string;
  number: string;
  accountId: string;
  issuedAt: string;
  totalCents: number;
  correctsInvoice: string | null;
}
interface Payment {
  id: string;
  accountId: string;
  method: string;
  reference: string;
  amountCents: number;
  receivedAt: string;
  recordedBy: string | null;
}

export async function billingRegisters(): Promise<HTMLElement[]> {
  const [overdue, notes, payments] = await Promise.all([
    get<{ items: Overdue[] }>('/v1/staff/billing/overdue-invoices', 'billing'),
    get<{ items: CreditNote[] }>('/v1/staff/billing/credit-notes?limit=20', 'billing'),
    get<{ items: Payment[] }>('/v1/staff/billing/payments?limit=20', 'billing'),
  ]);
  return [
    h('h2', null, 'Overdue invoices'),
    table(
      `${overdue.items.length} invoice(s) past due and not settled; penalties accrued to date (3 × legal rate + 40 € indemnity)`,
      ['Invoice', 'Account', 'Due', 'Outstanding', 'Days late', 'Penalties accrued'],
      overdue.items.map((i) =>
        h(
          'tr',
          { class: i.penaltyAccrued && i.penaltyAccrued.daysLate > 0 ? 'overdue' : '' },
          td(i.number),
          td(accountLink(i.accountId, i.legalName)),
          td(when(i.dueAt)),
          td(euros(i.outstandingCents), h('br'), h('small', null, `of ${euros(i.totalCents)}`)),
          td(i.penaltyAccrued ? String(i.penaltyAccrued.daysLate) : '—'),
          td(
            i.penaltyAccrued
              ? [
                  euros(i.penaltyAccrued.totalCents),
                  h('br'),
                  h(
                    'small',
                    null,
                    `interest ${euros(i.penaltyAccrued.interestCents)} + indemnity ${euros(i.penaltyAccrued.indemnityCents)}`,
                  ),
                ]
              : `legal rate of ${i.missingLegalRate} missing`,
          ),
        ),
      ),
      'No overdue invoice.',
    ),
    table(
      'Latest credit notes',
      ['Issued', 'Number', 'Account', 'Amount', 'Corrects'],
      notes.items.map((c) =>
        h(
          'tr',
          null,
          td(when(c.issuedAt)),
          td(c.number),
          td(accountLink(c.accountId)),
          td(euros(c.totalCents)),
          td(c.correctsInvoice ?? '—'),
        ),
      ),
      'No credit note.',
    ),
    table(
      'Latest payments',
      ['Received', 'Account', 'Method', 'Reference', 'Amount', 'Recorded by'],
      payments.items.map((p) =>
        h(
          'tr',
          null,
          td(when(p.receivedAt)),
          td(accountLink(p.accountId)),
          td(p.method.replace(/_/g, ' ')),
          td(p.reference),
          td(euros(p.amountCents)),
          td(p.recordedBy ?? '—'),
        ),
      ),
      'No payment.',
    ),
  ];
}
