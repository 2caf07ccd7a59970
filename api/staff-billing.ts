// Staff billing routes (/v1/staff/billing/...): ledger adjustments, credit notes, dispute
// resolution, offline payments, the legal interest rate table, subscription plans, configuration
// errors. Role 'billing' (admin holds every role); every route about an account's data needs X-Access-Reason;
// every act is audit-logged in the transaction of the write it records.
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { e4ToCentsDown, formatEurE4 } from '../domain/money';
import { InsufficientBalanceError } from '../lib/ledger';
import { debitAvailable, topUp } from '../lib/ledger-funding';
import { ledgerEntries, balanceOf } from '../lib/ledger-views';
import { InvoiceError, issueCreditNote } from '../lib/invoices';
import { getInvoice } from '../lib/invoices-documents';
import { PAYMENT_METHODS, PaymentError, recordPayment } from '../lib/payments';
import { signalPaymentRecorded } from '../lib/workflow-clients/invoice';
import type { ApiDeps } from './context';
import { auditStaff, authenticateStaff, requireAccessReason, requireRole, staffOf } from './staff-auth';
import { conflict, notFound, Problem, unprocessable } from './errors';
import { disputeView, invoiceWithPayment } from './billing';
import { assertNotBefore, boundedInt, cents, instant } from './schemas';

const uuid = z.uuid();
export const adjustmentSchema = z.strictObject({
  amountCents: boundedInt(-100_000_000, 100_000_000).refine((v) => v !== 0, 'must not be 0'),
  reason: z.string().trim().min(5).max(1000),
});
export const creditNoteSchema = z.strictObject({
  amountCents: cents().optional(),
  reason: z.string().trim().min(5).max(1000),
});
export const resolveSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('rejected'), note: z.string().trim().min(5).max(2000) }),
  z.strictObject({
    outcome: z.literal('credit_note'),
    note: z.string().trim().min(5).max(2000),
    amountCents: cents().optional(),
  }),
]);
export const paymentSchemaAt = (now: () => Date) =>
  z.strictObject({
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().trim().min(1).max(200),
    amountCents: cents(),
    receivedAt: instant('occurred', now).optional(),
    invoiceId: uuid.optional(),
  });
export const legalRateSchema = z.strictObject({
  semester: z.string().regex(/^\d{4}-S[12]$/, "'YYYY-S1' or 'YYYY-S2'"),
  rateBp: boundedInt(0, 10_000),
});
export const planSchema = z.strictObject({
  monthlyFeeCents: boundedInt(0, 100_000_000),
  monthlyPrepaidCents: boundedInt(0, 100_000_000),
});

/** Tells the invoice workflows that what is due changed (payment, credit note). Best effort: the workflow re-reads Postgres. */
export async function notifyInvoices(temporal: ApiDeps['temporal'], invoiceIds: string[]): Promise<void> {
  await Promise.all(invoiceIds.map((id) => signalPaymentRecorded(temporal, id).catch(() => undefined)));
}

export const disputesQuery = z.strictObject({ status: z.enum(['open', 'rejected', 'credited']).optional() });

export function staffBillingRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const paymentSchema = paymentSchemaAt(now);
  const base = '/v1/staff/billing';
  const staff = [authenticateStaff(deps), requireRole('billing')];
  const by = (req: Request) => ({ type: 'staff', id: staffOf(req).id, username: staffOf(req).username });

  async function account(id: string) {
    const parsed = uuid.safeParse(id);
    const a = parsed.success
      ? await db('accounts').where({ id: parsed.data }).first('id', 'formula', 'created_at')
      : null;
    if (!a) throw notFound('account');
    return a;
  }

  r.get(`${base}/accounts/:id/ledger`, ...staff, requireAccessReason, async (req, res) => {
    const a = await account(req.params.id as string);
    await auditStaff(db, req, { action: 'billing.ledger.read', accountId: a.id });
    res.json({ entries: await ledgerEntries(db, a.id, { limit: 1000 }), balance: await balanceOf(db, a.id) });
  });

  r.get(`${base}/accounts/:id/invoices`, ...staff, requireAccessReason, async (req, res) => {
    const a = await account(req.params.id as string);
    await auditStaff(db, req, { action: 'billing.invoices.read', accountId: a.id });
    const rows = await db('invoices').where({ account_id: a.id }).orderBy('seq', 'desc').select('id');
    const out = [];
    for (const row of rows) out.push(await invoiceWithPayment(db, (await getInvoice(db, row.id))!));
    res.json({ invoices: out });
  });

  // A positive adjustment credits the balance; a negative one debits it, never below zero.
  r.post(`${base}/accounts/:id/adjustments`, ...staff, requireAccessReason, async (req, res) => {
    const a = await account(req.params.id as string);
    const input = adjustmentSchema.parse(req.body);
    const ref = randomUUID();
    try {
      await db.transaction(async (trx) => {
        if (input.amountCents > 0)
          await topUp(trx, {
            accountId: a.id,
            amountCents: input.amountCents,
            source: { kind: 'adjustment', ref },
            reason: input.reason,
          });
        else
          await debitAvailable(trx, {
            accountId: a.id,
            amountCents: -input.amountCents,
            kind: 'adjustment',
            ref,
            reason: input.reason,
          });
        await auditStaff(trx, req, {
          action: 'billing.adjustment',
          accountId: a.id,
          resource: ref,
          details: { amountCents: input.amountCents, reason: input.reason },
        });
      });
    } catch (err) {
      if (err instanceof InsufficientBalanceError) {
        throw conflict('insufficient_balance', `Only ${formatEurE4(err.availableE4, 'en')} is available.`, {
          availableE4: err.availableE4,
          availableCents: e4ToCentsDown(err.availableE4),
        });
      }
      throw err;
    }
    res.status(201).json({ id: ref, amountCents: input.amountCents, balance: await balanceOf(db, a.id) });
  });

  r.post(`${base}/invoices/:id/credit-notes`, ...staff, requireAccessReason, async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    const inv = id.success ? await getInvoice(db, id.data) : null;
    if (!inv) throw notFound('invoice');
    const input = creditNoteSchema.parse(req.body);
    const cn = await db.transaction(async (trx) => {
      const out = await creditNote(trx, {
        invoiceId: inv.id,
        amountCents: input.amountCents,
        reason: input.reason,
        idemKey: `credit:${req.get('idempotency-key') ?? randomUUID()}`,
      });
      await auditStaff(trx, req, {
        action: 'billing.credit_note',
        accountId: inv.accountId,
        resource: out.id,
        details: { invoiceId: inv.id, amountCents: input.amountCents ?? null, reason: input.reason },
      });
      return out;
    });
    await notifyInvoices(deps.temporal, [inv.id]);
    res.status(201).json(cn);
  });

  r.get(`${base}/disputes`, ...staff, requireAccessReason, async (req, res) => {
    const { status } = disputesQuery.parse(req.query);
    // With the invoice it disputes: its number, total and the end of its dispute window (7.3).
    const q = db('invoice_disputes as d')
      .join('invoices as i', 'i.id', 'd.invoice_id')
      .orderBy('d.filed_at')
      .select('d.*', 'i.number as invoice_number', 'i.total_cents as invoice_total_cents', 'i.dispute_deadline');
    if (status) q.where('d.status', status);
    const rows = await q;
    await auditStaff(db, req, {
      action: 'billing.disputes.read',
      details: { status: status ?? 'all', count: rows.length },
    });
    res.json({
      disputes: rows.map((d) => ({
        ...disputeView(d),
        invoiceNumber: d.invoice_number,
        invoiceTotalCents: Number(d.invoice_total_cents),
        disputeDeadline: d.dispute_deadline ? new Date(d.dispute_deadline).toISOString() : null,
      })),
    });
  });

  r.post(`${base}/disputes/:id/resolve`, ...staff, requireAccessReason, async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    const input = resolveSchema.parse(req.body);
    const out = await db.transaction(async (trx) => {
      const d = id.success ? await trx('invoice_disputes').where({ id: id.data }).forUpdate().first() : null;
      if (!d) throw notFound('dispute');
      if (d.status !== 'open')
        throw conflict('dispute_already_resolved', `The dispute was already resolved (${d.status}).`);
      let creditNoteId: string | null = null;
      if (input.outcome === 'credit_note') {
        creditNoteId = (
          await creditNote(trx, {
            invoiceId: d.invoice_id,
            amountCents: input.amountCents,
            reason: input.note,
            idemKey: `dispute:${d.id}`,
          })
        ).id;
      }
      // invoice_disputes is a working table (the evidence log keeps the history).
      await trx('invoice_disputes')
        .where({ id: d.id })
        .update({
          status: input.outcome === 'rejected' ? 'rejected' : 'credited',
          resolution_note: input.note,
          credit_note_id: creditNoteId,
          resolved_by: staffOf(req).id,
          resolved_at: now(),
        });
      await auditStaff(trx, req, {
        action: 'billing.dispute.resolve',
        accountId: d.account_id,
        resource: d.id,
        details: { outcome: input.outcome, creditNoteId },
      });
      return {
        dispute: disputeView(await trx('invoice_disputes').where({ id: d.id }).first()),
        invoiceId: d.invoice_id as string,
      };
    });
    await notifyInvoices(deps.temporal, [out.invoiceId]);
    res.json(out.dispute);
  });

  // Offline payments: transfer, cheque, SEPA debit, card on a terminal.
  r.post(`${base}/accounts/:id/payments`, ...staff, requireAccessReason, async (req, res) => {
    const a = await account(req.params.id as string);
    const input = paymentSchema.parse(req.body);
    if (input.receivedAt) assertNotBefore(input.receivedAt, new Date(a.created_at), 'receivedAt', 'its account');
    const idem = req.get('idempotency-key');
    let result;
    try {
      result = await recordPayment(db, {
        accountId: a.id,
        method: input.method,
        reference: input.reference,
        amountCents: input.amountCents,
        receivedAt: input.receivedAt ? new Date(input.receivedAt) : now(),
        invoiceId: input.invoiceId ?? null,
        recordedBy: by(req),
        idemKey: idem ? `staff:${idem}` : null,
      });
    } catch (err) {
      if (err instanceof PaymentError) throw unprocessable(err.code, err.message);
      throw err;
    }
    if (result.created)
      await auditStaff(db, req, {
        action: 'billing.payment.record',
        accountId: a.id,
        resource: result.paymentId,
        details: { method: input.method, amountCents: input.amountCents, reference: input.reference },
      });
    await notifyInvoices(
      deps.temporal,
      result.allocations.map((x) => x.invoiceId),
    );
    res.status(result.created ? 201 : 200).json(result);
  });

  r.get(`${base}/legal-rates`, ...staff, async (_req, res) => {
    const rows = await db('legal_interest_rates').orderBy('semester');
    res.json({
      rates: rows.map((x) => ({
        semester: x.semester,
        rateBp: x.rate_bp,
        createdBy: x.created_by,
        createdAt: new Date(x.created_at).toISOString(),
      })),
    });
  });

  // Published by arrêté each semester; a rate once set is never changed (penalties were computed with it).
  r.post(`${base}/legal-rates`, ...staff, async (req, res) => {
    const input = legalRateSchema.parse(req.body);
    await db.transaction(async (trx) => {
      const done = await trx('legal_interest_rates')
        .insert({ semester: input.semester, rate_bp: input.rateBp, created_by: staffOf(req).username })
        .onConflict('semester')
        .ignore()
        .returning('semester');
      if (done.length === 0) throw conflict('legal_rate_exists', `The rate of ${input.semester} is already set.`);
      await auditStaff(trx, req, {
        action: 'billing.legal_rate.add',
        resource: input.semester,
        details: { rateBp: input.rateBp },
      });
    });
    res.status(201).json(input);
  });

  r.get(`${base}/config-errors`, ...staff, requireAccessReason, async (req, res) => {
    const rows = await db('billing_config_errors').orderBy('id', 'desc').limit(200);
    await auditStaff(db, req, { action: 'billing.config_errors.read', details: { count: rows.length } });
    res.json({
      errors: rows.map((e) => ({
        code: e.code,
        accountId: e.account_id,
        invoiceId: e.invoice_id,
        detail: e.detail,
        at: new Date(e.at).toISOString(),
      })),
    });
  });

  // The plan applies from the next billing month (the cycle reads it when it bills a month).
  r.put(`${base}/accounts/:id/subscription-plan`, ...staff, requireAccessReason, async (req, res) => {
    const a = await account(req.params.id as string);
    if (a.formula !== 'subscription')
      throw conflict('not_a_subscription_account', 'The account is on the Pack formula.');
    const input = planSchema.parse(req.body);
    await db.transaction(async (trx) => {
      const n = await trx('subscriptions')
        .where({ account_id: a.id })
        .update({ monthly_fee_cents: input.monthlyFeeCents, monthly_prepaid_cents: input.monthlyPrepaidCents });
      if (n === 0) throw conflict('no_subscription', 'The account has no subscription billing yet.');
      await auditStaff(trx, req, { action: 'billing.subscription_plan.set', accountId: a.id, details: input });
    });
    res.json(input);
  });

  return r;
}

async function creditNote(
  trx: ApiDeps['db'],
  input: { invoiceId: string; amountCents?: number; reason: string; idemKey: string },
) {
  try {
    return (await issueCreditNote(trx, input)).invoice;
  } catch (err) {
    if (err instanceof InvoiceError) {
      if (err.code === 'invoice_not_found') throw notFound('invoice');
      throw new Problem(409, err.code, 'Conflict', err.message);
    }
    throw err;
  }
}
