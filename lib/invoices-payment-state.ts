// What is still due on an invoice (ToS 7.3: payment is due on issue): its total less the
// payments allocated to it and the credit notes naming it, and when it was settled. Read by the
// invoice workflow (late-payment suspension), the payments webhook and the billing API.
import { InvoiceError, type Db } from './invoices';

export interface PaymentState {
  totalCents: number;
  paidCents: number;
  /** Credit notes naming this invoice (positive). */
  creditedCents: number;
  outstandingCents: number;
  /** When the last allocation that settled it was received; null while something is due. */
  paidAt: string | null;
}

export async function invoicePaymentState(db: Db, invoiceId: string): Promise<PaymentState> {
  const inv = await db('invoices').where({ id: invoiceId }).first('total_cents');
  if (!inv) throw new InvoiceError('invoice_not_found', `no invoice ${invoiceId}`);
  const paid = await db('payment_allocations as a')
    .join('payments as p', 'p.id', 'a.payment_id')
    .where('a.invoice_id', invoiceId)
    .select(db.raw('coalesce(sum(a.amount_cents), 0) as paid'), db.raw('max(p.received_at) as last_at'))
    .first();
  const credited = await db('invoices')
    .where({ corrects_invoice_id: invoiceId, kind: 'credit_note' })
    .sum({ s: 'total_cents' })
    .first();
  const totalCents = Number(inv.total_cents);
  const paidCents = Number(paid?.paid ?? 0);
  const creditedCents = -Number(credited?.s ?? 0);
  const outstandingCents = Math.max(0, totalCents - paidCents - creditedCents);
  return {
    totalCents,
    paidCents,
    creditedCents,
    outstandingCents,
    paidAt: outstandingCents === 0 ? (paid?.last_at ? new Date(paid.last_at).toISOString() : null) : null,
  };
}
