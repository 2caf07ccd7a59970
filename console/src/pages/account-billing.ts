// The billing measures of an account page (issue #13, ToS 7; role billing): record an offline
// payment (transfer, cheque, SEPA debit, card on a terminal), allocated to an invoice or to the
// oldest ones, and issue a credit note on an invoice — both through the staff billing routes.
import { send } from '../api';
import { field, h, select } from '../dom';
import { euros } from '../format';
import type { Ctx } from '../main';
import { actionForm } from '../widgets';

export interface Invoice {
  id: string;
  number: string;
  kind: string;
  issuedAt: string;
  totalCents: number;
  payment: { outstandingCents: number } | null;
}

type Method = 'card' | 'transfer' | 'sepa_debit' | 'cheque';
const cents = (euro: string) => Math.round(Number(euro.trim().replace(',', '.')) * 100);

export function billingMeasures(ctx: Ctx, accountId: string, invoices: Invoice[], reason: string): HTMLElement[] {
  const refresh = (t: string) => (setTimeout(ctx.reload, 500), t);
  const open = invoices.filter((i) => i.kind === 'invoice');
  const invoiceChoice = (name: string, none?: string) =>
    select(name, [
      ...(none ? ([['', none]] as [string, string][]) : []),
      ...open.map((i): [string, string] => [
        i.id,
        `${i.number} — ${euros(i.totalCents)}${i.payment ? `, ${euros(i.payment.outstandingCents)} due` : ''}`,
      ]),
    ]);
  const method = select('method', [
    ['transfer', 'Bank transfer'],
    ['cheque', 'Cheque'],
    ['sepa_debit', 'SEPA debit'],
    ['card', 'Card on a terminal'],
  ]);
  const reference = h('input', { name: 'reference', required: true, maxlength: 200 });
  const amount = h('input', { name: 'amount', required: true, inputmode: 'decimal' });
  const payInvoice = invoiceChoice('invoice', 'Oldest invoices first');
  const payment = actionForm(
    'Record an offline payment',
    [
      field('Method', method),
      field('Reference (bank or cheque)', reference),
      field('Amount in euros', amount),
      field('Invoice', payInvoice),
    ],
    'Record payment',
    async () => {
      await send(
        'post',
        '/v1/staff/billing/accounts/{id}/payments',
        { id: accountId },
        {
          method: method.value as Method,
          reference: reference.value.trim(),
          amountCents: cents(amount.value),
          ...(payInvoice.value ? { invoiceId: payInvoice.value } : {}),
        },
        reason,
      );
      return refresh('Payment recorded.');
    },
  );
  if (!open.length) return [payment];
  const creditInvoice = invoiceChoice('invoice');
  const creditAmount = h('input', { name: 'amount', inputmode: 'decimal', placeholder: 'whole invoice' });
  const why = h('textarea', { name: 'reason', rows: 2, required: true, minlength: 5 });
  const credit = actionForm(
    'Issue a credit note',
    [
      field('Invoice', creditInvoice),
      field('Amount in euros', creditAmount, 'Empty: the whole invoice'),
      field('Reason', why),
    ],
    'Issue credit note',
    async () => {
      await send(
        'post',
        '/v1/staff/billing/invoices/{id}/credit-notes',
        { id: creditInvoice.value },
        {
          reason: why.value.trim(),
          ...(creditAmount.value.trim() ? { amountCents: cents(creditAmount.value) } : {}),
        },
        reason,
      );
      return refresh('Credit note issued.');
    },
  );
  return [payment, credit];
}
