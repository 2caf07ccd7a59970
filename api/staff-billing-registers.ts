// Billing registers across accounts for the staff console (issue #13, ToS 7.3): overdue invoices
// with the late-payment penalties accrued so far (3 × the legal rate per late day + the 40 €
// indemnity, domain/late-penalty.ts, as the penalty invoice will charge once paid), credit notes
// and payments. Role billing; they show accounts' data: X-Access-Reason, audited.
import { Router } from 'express';
import { z } from 'zod';
import { latePenalty, LegalRateMissingError, type Semester } from '../domain/late-penalty';
import { invoicePaymentState } from '../lib/invoices-payment-state';
import type { DbRow } from '../lib/db';
import type { ApiDeps } from './context';
import { auditStaff, authenticateStaff, requireAccessReason, requireRole } from './staff-auth';
import { queryInt } from './schemas';
import { iso } from './staff-common';

export const billingRegisterQuery = z.object({ accountId: z.uuid().optional(), limit: queryInt(1, 500).default(100) });

export function staffBillingRegistersRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const staff = [authenticateStaff(deps), requireRole('billing'), requireAccessReason];
  const base = '/v1/staff/billing';

  r.get(`${base}/overdue-invoices`, ...staff, async (req, res) => {
    const q = billingRegisterQuery.parse(req.query);
    const at = now();
    // Invoices past due and not settled (paid or credited in full): outstanding computed per invoice.
    const rows: DbRow[] = await db('invoices as i')
      .join('accounts as a', 'a.id', 'i.account_id')
      .where('i.kind', 'invoice')
      .where('i.due_at', '<', at)
      .whereRaw(
        `i.total_cents > coalesce((select sum(amount_cents) from payment_allocations where invoice_id = i.id), 0)
           - coalesce((select sum(total_cents) from invoices c where c.corrects_invoice_id = i.id and c.kind = 'credit_note'), 0)`,
      )
      .modify((b) => {
        if (q.accountId) b.where('i.account_id', q.accountId);
      })
      .orderBy('i.due_at')
      .limit(q.limit)
      .select('i.id', 'i.number', 'i.account_id', 'i.due_at', 'i.issued_at', 'i.total_cents', 'a.legal_name');
    const rates = (await db('legal_interest_rates').orderBy('semester')).map((x) => ({
      semester: x.semester as Semester,
      rateBp: x.rate_bp as number,
    }));
    const items = [];
    for (const i of rows) {
      const st = await invoicePaymentState(db, i.id);
      let penalty: { daysLate: number; interestCents: number; indemnityCents: number; totalCents: number } | null;
      let missingRate: string | null = null;
      try {
        const p = latePenalty({
          amountDueCents: st.totalCents - st.creditedCents,
          dueAt: new Date(i.due_at),
          asOf: at,
          table: rates,
        });
        penalty = {
          daysLate: p.daysLate,
          interestCents: p.interestCents,
          indemnityCents: p.indemnityCents,
          totalCents: p.totalCents,
        };
      } catch (err) {
        if (!(err instanceof LegalRateMissingError)) throw err;
        penalty = null;
        missingRate = err.semester;
      }
      items.push({
        id: i.id,
        number: i.number,
        accountId: i.account_id,
        legalName: i.legal_name,
        issuedAt: iso(i.issued_at),
        dueAt: iso(i.due_at),
        totalCents: st.totalCents,
        outstandingCents: st.outstandingCents,
        penaltyAccrued: penalty,
        missingLegalRate: missingRate,
      });
    }
    await auditStaff(db, req, {
      action: 'billing.overdue_invoices.read',
      accountId: q.accountId ?? null,
      details: { count: items.length },
    });
    res.json({ items, asOf: at.toISOString() });
  });

  r.get(`${base}/credit-notes`, ...staff, async (req, res) => {
    const q = billingRegisterQuery.parse(req.query);
    const rows: DbRow[] = await db('invoices as c')
      .leftJoin('invoices as i', 'i.id', 'c.corrects_invoice_id')
      .where('c.kind', 'credit_note')
      .modify((b) => {
        if (q.accountId) b.where('c.account_id', q.accountId);
      })
      .orderBy('c.issued_at', 'desc')
      .limit(q.limit)
      .select('c.id', 'c.number', 'c.account_id', 'c.issued_at', 'c.total_cents', 'i.number as corrects');
    await auditStaff(db, req, { action: 'billing.credit_notes.read', accountId: q.accountId ?? null });
    res.json({
      items: rows.map((c) => ({
        id: c.id,
        number: c.number,
        accountId: c.account_id,
        issuedAt: iso(c.issued_at),
        totalCents: Number(c.total_cents),
        correctsInvoice: c.corrects ?? null,
      })),
    });
  });

  r.get(`${base}/payments`, ...staff, async (req, res) => {
    const q = billingRegisterQuery.parse(req.query);
    const rows: DbRow[] = await db('payments')
      .modify((b) => {
        if (q.accountId) b.where({ account_id: q.accountId });
      })
      .orderBy('received_at', 'desc')
      .limit(q.limit);
    await auditStaff(db, req, { action: 'billing.payments.read', accountId: q.accountId ?? null });
    res.json({
      items: rows.map((p) => ({
        id: p.id,
        accountId: p.account_id,
        method: p.method,
        reference: p.reference,
        amountCents: Number(p.amount_cents),
        receivedAt: iso(p.received_at),
        recordedBy: p.recorded_by?.username ?? p.recorded_by?.type ?? null,
      })),
    });
  });

  return r;
}
