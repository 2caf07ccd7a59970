// Billing (issue #13, ToS 7): open invoice disputes with the time left in their dispute window
// (7.3) and their resolution — rejected, or a credit note for all or part of the invoice —, the
// overdue invoices, credit notes and payments (billing-registers.ts), and the legal interest rate
// table the late-payment penalties are computed with.
import { get, send } from '../api';
import { field, h, select, table, td, badge } from '../dom';
import { euros, timeLeft, when } from '../format';
import type { Ctx } from '../main';
import { accountLink, actionForm } from '../widgets';
import { billingRegisters } from './billing-registers';

interface Dispute {
  id: string;
  invoiceId: string;
  invoiceNumber: string;
  invoiceTotalCents: number;
  disputeDeadline: string | null;
  accountId: string;
  reason: string;
  filedAt: string;
  status: 'open' | 'rejected' | 'credited';
  resolutionNote: string | null;
  creditNoteId: string | null;
}

function resolveForm(ctx: Ctx, d: Dispute): HTMLElement {
  const outcome = select('outcome', [
    ['credit_note', 'Credit note'],
    ['rejected', 'Reject the dispute'],
  ]);
  const amount = h('input', { name: 'amount', inputmode: 'decimal', placeholder: 'whole invoice' });
  const note = h('textarea', { name: 'note', rows: 2, required: true, minlength: 5, maxlength: 2000 });
  return actionForm(
    `Resolve dispute on ${d.invoiceNumber}`,
    [
      field('Outcome', outcome),
      field('Credit amount in euros', amount, 'Empty: the whole invoice'),
      field('Resolution note (sent with the decision)', note),
    ],
    'Resolve',
    async () => {
      const euro = amount.value.trim().replace(',', '.');
      const body =
        outcome.value === 'rejected'
          ? { outcome: 'rejected' as const, note: note.value.trim() }
          : {
              outcome: 'credit_note' as const,
              note: note.value.trim(),
              ...(euro ? { amountCents: Math.round(Number(euro) * 100) } : {}),
            };
      await send('post', '/v1/staff/billing/disputes/{id}/resolve', { id: d.id }, body, 'billing');
      setTimeout(ctx.reload, 400);
      return outcome.value === 'rejected' ? 'Dispute rejected.' : 'Dispute resolved with a credit note.';
    },
  );
}

export async function billingPage(ctx: Ctx): Promise<HTMLElement> {
  const status = ctx.query.get('status') ?? 'open';
  const [{ disputes }, { rates }, registers] = await Promise.all([
    get<{ disputes: Dispute[] }>(`/v1/staff/billing/disputes${status === 'all' ? '' : `?status=${status}`}`, 'billing'),
    get<{ rates: { semester: string; rateBp: number; createdBy: string }[] }>('/v1/staff/billing/legal-rates'),
    billingRegisters(),
  ]);
  const rows = disputes.map((d) =>
    h(
      'tr',
      null,
      td(when(d.filedAt)),
      td(d.invoiceNumber, h('br'), h('small', null, euros(d.invoiceTotalCents))),
      td(accountLink(d.accountId)),
      td(d.reason),
      td(d.disputeDeadline ? [when(d.disputeDeadline), h('br'), h('small', null, timeLeft(d.disputeDeadline))] : '—'),
      td(
        badge(d.status, d.status === 'open' ? 'amber' : d.status === 'credited' ? 'green' : 'grey'),
        d.resolutionNote ? h('br') : null,
        d.resolutionNote ?? '',
      ),
    ),
  );
  const filter = h(
    'nav',
    { 'aria-label': 'Dispute status', class: 'tabs' },
    ['open', 'credited', 'rejected', 'all'].map((s) =>
      h('a', { href: `#/billing?status=${s}`, 'aria-current': s === status ? 'page' : undefined }, s),
    ),
  );
  return h(
    'section',
    null,
    h('h1', null, 'Billing'),
    h('h2', null, 'Invoice disputes'),
    filter,
    table(
      `${disputes.length} ${status === 'all' ? '' : status} dispute(s); window: until the end of the 15th day after the invoice (7.3)`,
      ['Filed', 'Invoice', 'Account', 'Reason', 'Window ends', 'Status'],
      rows,
      'No dispute.',
    ),
    ctx.can('billing') ? disputes.filter((d) => d.status === 'open').map((d) => resolveForm(ctx, d)) : null,
    ...registers,
    h('h2', null, 'Legal interest rates'),
    table(
      'Legal interest rate per semester (late-payment penalties, 7.3)',
      ['Semester', 'Rate', 'Set by'],
      rates.map((r) => h('tr', null, td(r.semester), td(`${(r.rateBp / 100).toFixed(2)} %`), td(r.createdBy))),
      'No rate set.',
    ),
  );
}
