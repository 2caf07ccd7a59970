// Stored invoices as the API and the workflows see them (ToS 7.2, 7.3): the row → view mapping,
// lookup by id, and the rendered documents (HTML, CII XML) carrying the French mandatory
// mentions (domain/invoice-mentions.ts). Nothing here writes: issuing is lib/invoices.ts.
import type { InvoiceLineInput } from '../domain/invoice-math';
import {
  renderCiiXml,
  renderInvoiceHtml,
  type Buyer,
  type InvoiceDocument,
  type Seller,
} from '../domain/invoice-mentions';
import type { VatRate } from '../domain/vat';
import type { DbRow } from './db';
import type { Db } from './invoices';

export interface InvoiceView {
  id: string;
  accountId: string;
  kind: 'invoice' | 'credit_note';
  purpose: string;
  number: string;
  series: string;
  seq: number;
  issuedAt: string;
  dueAt: string;
  disputeDeadline: string | null;
  lines: InvoiceLineInput[];
  perRate: { rate: VatRate; base: number; vat: number }[];
  netCents: number;
  vatCents: number;
  totalCents: number;
  seller: Seller;
  buyer: Buyer;
  servicePeriod: { start: string; end: string } | null;
  correctsInvoiceId: string | null;
  termsVersion: string;
  meta: Record<string, unknown>;
}

/** Lines as stored (jsonb): a period's instants come back as ISO strings. */
export function reviveLines(lines: InvoiceLineInput[]): InvoiceLineInput[] {
  return lines.map((l) =>
    l.period ? { ...l, period: { start: new Date(l.period.start), end: new Date(l.period.end) } } : l,
  );
}

export function invoiceView(r: DbRow): InvoiceView {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    purpose: r.purpose,
    number: r.number,
    series: r.series,
    seq: Number(r.seq),
    issuedAt: new Date(r.issued_at).toISOString(),
    dueAt: new Date(r.due_at).toISOString(),
    disputeDeadline: r.dispute_deadline ? new Date(r.dispute_deadline).toISOString() : null,
    lines: r.lines,
    perRate: r.per_rate,
    netCents: Number(r.net_cents),
    vatCents: Number(r.vat_cents),
    totalCents: Number(r.total_cents),
    seller: r.seller,
    buyer: r.buyer,
    servicePeriod: r.service_period ?? null,
    correctsInvoiceId: r.corrects_invoice_id ?? null,
    termsVersion: r.terms_version,
    meta: r.meta ?? {},
  };
}

/** The document for rendering (HTML, CII XML) of a stored invoice. */
async function invoiceDocument(db: Db, inv: InvoiceView): Promise<InvoiceDocument> {
  let corrected: InvoiceDocument['correctedInvoice'] = null;
  if (inv.correctsInvoiceId) {
    const c = await db('invoices').where({ id: inv.correctsInvoiceId }).first('number', 'issued_at');
    corrected = { number: c.number, issuedAt: new Date(c.issued_at) };
  }
  return {
    kind: inv.kind,
    number: inv.number,
    issuedAt: new Date(inv.issuedAt),
    dueAt: new Date(inv.dueAt),
    seller: inv.seller,
    buyer: inv.buyer,
    lines: reviveLines(inv.lines),
    servicePeriod: inv.servicePeriod
      ? { start: new Date(inv.servicePeriod.start), end: new Date(inv.servicePeriod.end) }
      : null,
    correctedInvoice: corrected,
  };
}

export async function renderInvoice(db: Db, inv: InvoiceView, format: 'html' | 'xml'): Promise<string> {
  const doc = await invoiceDocument(db, inv);
  return format === 'html' ? renderInvoiceHtml(doc) : renderCiiXml(doc);
}

export async function getInvoice(db: Db, invoiceId: string, accountId?: string): Promise<InvoiceView | null> {
  const q = db('invoices').where({ id: invoiceId });
  if (accountId) q.andWhere({ account_id: accountId });
  const r = await q.first();
  return r ? invoiceView(r) : null;
}
