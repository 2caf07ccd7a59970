// Invoices (ToS 7.2, 7.3): issued in one transaction that takes the next number of a gap-free
// chronological series (a counter row locked FOR UPDATE: a rollback gives the number back,
// which a sequence would not), with every French mandatory mention checked before insert
// (domain/invoice-mentions.ts). Invoices are inserted issued and a trigger makes them immutable;
// corrections are credit notes (series 'A'), which reduce what is due on the invoice they name.
//
// This module issues (series counter, mentions check, VAT, evidence, dispute deadline); the
// stored documents and their rendering are lib/invoices-documents.ts, what is still due on an
// invoice is lib/invoices-payment-state.ts.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { creditNoteLines, type InvoiceLineInput } from '../domain/invoice-math';
import { invoiceMentions, type Buyer, type InvoiceDocument, type Seller } from '../domain/invoice-mentions';
import { disputeDeadline } from '../domain/dispute-window';
import { applyDuration } from '../domain/terms-policy';
import { loadPolicy } from './terms';
import { vatTreatment, type VatRate } from '../domain/vat';
import { appendEvidence } from './evidence';
import { recordDeadline } from './deadlines';
import { invoiceWorkflowId } from '../workflows/ids';
import type { DbRow } from './db';
import { getInvoice, invoiceView, reviveLines, type InvoiceView } from './invoices-documents';
import { recordEvents } from './webhooks/events';

export type Db = Knex | Knex.Transaction;

/** The issuer printed on every invoice. */
const SELLER: Seller = {
  name: 'Tentacle',
  legalForm: 'SAS',
  shareCapitalCents: 10_000_000,
  siren: '552100554',
  rcsCity: 'Paris',
  vatNumber: 'FR96552100554',
  address: { lines: ['10 rue du Faubourg Montmartre'], postalCode: '75009', city: 'Paris', country: 'FR' },
};

/** Late-payment penalties and the recovery indemnity are damages, outside the scope of VAT. */
export const PENALTY_VAT_RATE: VatRate = {
  key: 'O-penalty',
  category: 'O',
  rateBp: 0,
  exemptionReason: "Pénalités de retard et indemnité forfaitaire : hors champ d'application de la TVA",
};

export class InvoiceError extends Error {
  override name = 'InvoiceError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type InvoicePurpose = 'subscription_month' | 'early_end' | 'pack' | 'penalty' | 'credit_note' | 'manual';

/** A line before VAT: the invoice's VAT treatment is attached at issue unless `vatRate` is given. */
type DraftLine =
  | {
      description: string;
      quantity: number;
      unitPriceCents: number;
      vatRate?: VatRate;
      period?: { start: Date; end: Date };
    }
  | { description: string; amountCents: number; vatRate?: VatRate; period?: { start: Date; end: Date } };

export interface IssueInput {
  accountId: string;
  purpose: InvoicePurpose;
  kind?: 'invoice' | 'credit_note';
  lines: DraftLine[];
  /** Idempotency: a second issue with the same key returns the first invoice. */
  idemKey: string;
  issuedAt?: Date;
  servicePeriod?: { start: Date; end: Date } | null;
  correctsInvoiceId?: string | null;
  /** Defaults to 'F' (invoices) / 'A' (credit notes). Tests use their own series. */
  series?: string;
  meta?: Record<string, unknown>;
}

function buyerOf(account: DbRow): Buyer {
  const a = account.billing_address ?? {};
  return {
    name: account.legal_name,
    legalForm: null,
    siren: account.siren ?? null,
    vatNumber: account.vat_number ?? null,
    address: {
      lines: [a.line1, a.line2].filter((x: unknown): x is string => typeof x === 'string' && x.trim() !== ''),
      postalCode: a.postalCode,
      city: a.city,
      country: a.country ?? account.country,
    },
  };
}

async function inTrx<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return 'isTransaction' in db && db.isTransaction ? fn(db as Knex.Transaction) : (db as Knex).transaction(fn);
}

/**
 * Issues an invoice or a credit note: mentions checked, number taken, row inserted, evidence
 * written and (invoices) the dispute window opened in the deadlines register — one transaction.
 */
export async function issueInvoice(db: Db, input: IssueInput): Promise<{ invoice: InvoiceView; created: boolean }> {
  const kind = input.kind ?? 'invoice';
  const series = input.series ?? (kind === 'invoice' ? 'F' : 'A');
  return inTrx(db, async (trx) => {
    const existing = await trx('invoices').where({ idem_key: input.idemKey }).first();
    if (existing) return { invoice: invoiceView(existing), created: false };
    const account = await trx('accounts').where({ id: input.accountId }).first();
    if (!account) throw new InvoiceError('account_not_found', `no account ${input.accountId}`);
    const policy = await loadPolicy(trx, account.terms_version);
    const buyer = buyerOf(account);

    // Number last, so that nothing after it can fail: the counter row is held until commit, so
    // concurrent issuers queue here and numbers follow commit order.
    await trx('invoice_counters').insert({ series, last_seq: 0 }).onConflict('series').ignore();
    const counter = await trx('invoice_counters').where({ series }).forUpdate().first('last_seq');
    const seq = Number(counter.last_seq) + 1;
    const number = `${series}-${String(seq).padStart(6, '0')}`;
    // Taken after the lock: the series is chronological as well as gap-free.
    const issuedAt = input.issuedAt ?? new Date();
    const treatment = vatTreatment({
      buyerCountry: buyer.address.country,
      buyerVatNumber: buyer.vatNumber,
      on: issuedAt,
    });
    const lines: InvoiceLineInput[] = input.lines.map(
      (l) => ({ ...l, vatRate: l.vatRate ?? treatment.rate }) as InvoiceLineInput,
    );
    const dueAt = applyDuration(issuedAt, policy.paymentDue);
    let corrected: InvoiceDocument['correctedInvoice'] = null;
    if (input.correctsInvoiceId) {
      const c = await trx('invoices')
        .where({ id: input.correctsInvoiceId, account_id: input.accountId })
        .first('number', 'issued_at', 'kind');
      if (!c || c.kind !== 'invoice')
        throw new InvoiceError('invoice_not_found', 'the corrected invoice does not exist');
      corrected = { number: c.number, issuedAt: new Date(c.issued_at) };
    }
    const m = invoiceMentions({
      kind,
      number,
      issuedAt,
      dueAt,
      seller: SELLER,
      buyer,
      lines,
      servicePeriod: input.servicePeriod ?? null,
      correctedInvoice: corrected,
    });
    const id = randomUUID();
    const deadline = kind === 'invoice' ? disputeDeadline(issuedAt, policy) : null;
    const [row] = await trx('invoices')
      .insert({
        id,
        account_id: input.accountId,
        kind,
        purpose: input.purpose,
        series,
        seq,
        number,
        issued_at: issuedAt,
        due_at: dueAt,
        dispute_deadline: deadline,
        lines: JSON.stringify(lines),
        per_rate: JSON.stringify(m.perRate),
        net_cents: m.net,
        vat_cents: m.vat,
        total_cents: m.total,
        seller: JSON.stringify(SELLER),
        buyer: JSON.stringify(buyer),
        service_period: input.servicePeriod ? JSON.stringify(input.servicePeriod) : null,
        corrects_invoice_id: input.correctsInvoiceId ?? null,
        terms_version: account.terms_version,
        meta: JSON.stringify(input.meta ?? {}),
        idem_key: input.idemKey,
      })
      .returning('*');
    await trx('invoice_counters').where({ series }).update({ last_seq: seq });
    await appendEvidence(trx, {
      accountId: input.accountId,
      kind: kind === 'invoice' ? 'invoice_issued' : 'credit_note_issued',
      occurredAt: issuedAt,
      actor: { type: 'system' },
      payload: {
        invoiceId: id,
        number,
        purpose: input.purpose,
        totalCents: m.total,
        correctsInvoiceId: input.correctsInvoiceId ?? null,
      },
    });
    if (kind === 'invoice')
      await recordEvents(trx, [
        {
          accountId: input.accountId,
          type: 'invoice.issued',
          key: `evt_ii${id}`,
          data: { invoice_id: id, number, total_cents: m.total, due_at: dueAt.toISOString() },
        },
      ]);
    if (deadline) {
      await recordDeadline(trx, {
        workflowId: invoiceWorkflowId(id),
        kind: 'invoice_dispute',
        accountId: input.accountId,
        clause: '7.3',
        dueAt: deadline,
        state: 'open',
      });
    }
    return { invoice: invoiceView(row), created: true };
  });
}

/**
 * A credit note on `invoiceId`: the whole invoice (amountCents omitted) or a part of its net,
 * at the invoice's VAT rate. Never more than what remains uncredited.
 */
export async function issueCreditNote(
  db: Db,
  input: { invoiceId: string; amountCents?: number; reason: string; idemKey: string; issuedAt?: Date },
): Promise<{ invoice: InvoiceView; created: boolean }> {
  return inTrx(db, async (trx) => {
    const done = await trx('invoices').where({ idem_key: input.idemKey }).first();
    if (done) return { invoice: invoiceView(done), created: false };
    const inv = await getInvoice(trx, input.invoiceId);
    if (!inv || inv.kind !== 'invoice') throw new InvoiceError('invoice_not_found', 'no such invoice');
    // Serialise credit notes of one invoice: lock its account's counter of credit notes.
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 7))', [`credit:${inv.id}`]);
    const credited = await trx('invoices')
      .where({ corrects_invoice_id: inv.id, kind: 'credit_note' })
      .sum({ n: 'net_cents' })
      .first();
    const creditedNet = -Number(credited?.n ?? 0);
    const remainingNet = inv.netCents - creditedNet;
    let lines: DraftLine[];
    if (input.amountCents === undefined) {
      if (creditedNet !== 0)
        throw new InvoiceError('already_partly_credited', 'the invoice was partly credited: give the amount');
      lines = creditNoteLines(reviveLines(inv.lines)).map((l) => ({
        ...l,
        description: `Avoir — ${l.description}`,
      })) as DraftLine[];
    } else {
      if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0)
        throw new InvoiceError('invalid_amount', 'amountCents must be a positive integer');
      if (input.amountCents > remainingNet)
        throw new InvoiceError('credit_exceeds_invoice', `at most ${remainingNet} cents (excl. VAT) remain to credit`);
      if (inv.perRate.length !== 1)
        throw new InvoiceError(
          'several_vat_rates',
          'a partial credit note on an invoice with several VAT rates is not supported',
        );
      lines = [
        {
          description: `Avoir sur la facture ${inv.number} — ${input.reason}`,
          amountCents: -input.amountCents,
          vatRate: inv.perRate[0].rate,
        },
      ];
    }
    return issueInvoice(trx, {
      accountId: inv.accountId,
      purpose: 'credit_note',
      kind: 'credit_note',
      lines,
      idemKey: input.idemKey,
      correctsInvoiceId: inv.id,
      issuedAt: input.issuedAt,
      meta: { reason: input.reason },
    });
  });
}
