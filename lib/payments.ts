// Payments (ToS 7.3): recorded with method and reference, possibly partial, allocated to invoices
// (the one named, then the oldest with something due). A Pack is credited to the ledger when its
// purchase invoice is fully paid: the Pack is "paid in advance" (7.1.2), so its services are
// available once paid — crediting on issue would let an unpaid Pack be consumed.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { invoicePaymentState } from './invoices-payment-state';
import { topUp } from './ledger-funding';
import { recordEvents } from './webhooks/events';
import type { DbRow } from './db';

type Db = Knex | Knex.Transaction;

export const PAYMENT_METHODS = ['card', 'transfer', 'sepa_debit', 'cheque', 'payment_provider'] as const;
type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export class PaymentError extends Error {
  override name = 'PaymentError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordPaymentInput {
  accountId: string;
  method: PaymentMethod;
  reference: string;
  amountCents: number;
  receivedAt: Date;
  /** Allocate to this invoice first. */
  invoiceId?: string | null;
  providerEventId?: string | null;
  recordedBy: Record<string, unknown>;
  /** Idempotency of API calls. */
  idemKey?: string | null;
}

export interface PaymentResult {
  paymentId: string;
  created: boolean;
  allocations: { invoiceId: string; amountCents: number; fullyPaid: boolean }[];
  unallocatedCents: number;
}

export function paymentView(r: DbRow) {
  return {
    id: r.id,
    accountId: r.account_id,
    method: r.method,
    reference: r.reference,
    amountCents: Number(r.amount_cents),
    receivedAt: new Date(r.received_at).toISOString(),
    providerEventId: r.provider_event_id ?? null,
  };
}

async function existingResult(db: Db, payment: DbRow): Promise<PaymentResult> {
  const allocs = await db('payment_allocations').where({ payment_id: payment.id }).orderBy('id');
  const allocations = [];
  for (const a of allocs) {
    allocations.push({
      invoiceId: a.invoice_id,
      amountCents: Number(a.amount_cents),
      fullyPaid: (await invoicePaymentState(db, a.invoice_id)).outstandingCents === 0,
    });
  }
  const used = allocations.reduce((s, a) => s + a.amountCents, 0);
  return { paymentId: payment.id, created: false, allocations, unallocatedCents: Number(payment.amount_cents) - used };
}

export async function recordPayment(db: Knex, input: RecordPaymentInput): Promise<PaymentResult> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0)
    throw new PaymentError('invalid_amount', 'amountCents must be a positive integer');
  return db.transaction(async (trx) => {
    // Payments of one account are allocated one at a time.
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 11))', [`payments:${input.accountId}`]);
    if (input.providerEventId || input.idemKey) {
      const q = trx('payments');
      if (input.providerEventId) q.where({ provider_event_id: input.providerEventId });
      else q.where({ idem_key: input.idemKey });
      const prior = await q.first();
      if (prior) return existingResult(trx, prior);
    }
    if (input.invoiceId) {
      const inv = await trx('invoices').where({ id: input.invoiceId, account_id: input.accountId }).first('kind');
      if (!inv || inv.kind !== 'invoice')
        throw new PaymentError('invoice_not_found', 'no such invoice for this account');
    }
    const paymentId = randomUUID();
    await trx('payments').insert({
      id: paymentId,
      account_id: input.accountId,
      method: input.method,
      reference: input.reference,
      amount_cents: input.amountCents,
      received_at: input.receivedAt,
      provider_event_id: input.providerEventId ?? null,
      recorded_by: JSON.stringify(input.recordedBy),
      idem_key: input.idemKey ?? null,
    });
    const candidates = await trx('invoices')
      .where({ account_id: input.accountId, kind: 'invoice' })
      .orderBy([{ column: 'issued_at' }, { column: 'seq' }])
      .select('id');
    const ordered = input.invoiceId
      ? [input.invoiceId, ...candidates.map((c) => c.id).filter((id) => id !== input.invoiceId)]
      : candidates.map((c) => c.id);
    let left = input.amountCents;
    const allocations: PaymentResult['allocations'] = [];
    for (const invoiceId of ordered) {
      if (left === 0) break;
      const st = await invoicePaymentState(trx, invoiceId);
      if (st.outstandingCents === 0) continue;
      const amount = Math.min(left, st.outstandingCents);
      await trx('payment_allocations').insert({ payment_id: paymentId, invoice_id: invoiceId, amount_cents: amount });
      left -= amount;
      const fullyPaid = amount === st.outstandingCents;
      allocations.push({ invoiceId, amountCents: amount, fullyPaid });
      if (fullyPaid) {
        await onInvoicePaid(trx, invoiceId);
        const key = `evt_ip${invoiceId}`;
        const data = { invoice_id: invoiceId, payment_id: paymentId, amount_cents: amount };
        await recordEvents(trx, [{ accountId: input.accountId, type: 'invoice.paid', key, data }]);
      }
    }
    return { paymentId, created: true, allocations, unallocatedCents: left };
  });
}

/** What a fully paid invoice unlocks: a Pack's credit. Idempotent (topUp is, per invoice). */
async function onInvoicePaid(trx: Knex.Transaction, invoiceId: string): Promise<void> {
  const inv = await trx('invoices').where({ id: invoiceId }).first('purpose', 'account_id', 'meta');
  if (inv?.purpose === 'pack') {
    const amount = Number(inv.meta?.packCents ?? 0);
    if (amount > 0)
      await topUp(trx, {
        accountId: inv.account_id,
        amountCents: amount,
        source: { kind: 'pack_purchase', ref: invoiceId },
      });
  }
}

// ---- payment-provider webhook signature -------------------------------------------------------
// Header `Tentacle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.

export function signWebhook(secret: string, rawBody: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`).digest('hex');
  return `t=${timestampSec},v1=${mac}`;
}

export type SignatureCheck =
  | { ok: true; timestampSec: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'outside_replay_window' };

export function verifyWebhookSignature(
  secret: string,
  rawBody: Buffer | string,
  header: string | undefined,
  nowMs: number,
  windowSec: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isSafeInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  const given = Buffer.from(v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  if (Math.abs(nowMs / 1000 - t) > windowSec) return { ok: false, reason: 'outside_replay_window' };
  return { ok: true, timestampSec: t };
}
