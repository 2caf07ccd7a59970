// Activities of one invoice's life (invoice workflow): its payment state, the late-payment
// suspension at the due instant and its lift (7.3), a dispute accepted in time (7.3, 15 days), and the
// penalty invoice of a late invoice once paid (7.3: 3 × the legal rate + the 40 € indemnity).
// Each is idempotent (business keys), so retries and replays are harmless.
import type { Knex } from 'knex';
import { latePenalty, LegalRateMissingError, type LegalRateEntry, type Semester } from '../domain/late-penalty';
import { issueInvoice, PENALTY_VAT_RATE } from '../lib/invoices';
import { getInvoice } from '../lib/invoices-documents';
import { invoicePaymentState } from '../lib/invoices-payment-state';
import { liftSuspensionOf } from '../lib/workflow-clients/account';
import { invoiceWorkflowInput } from '../lib/workflow-clients/invoice';
import { appendEvidence } from '../lib/evidence';
import { recordEvents } from '../lib/webhooks/events';
import { suspendAccountNow } from './contract-state';
import type { InvoiceWorkflowInput } from '../workflows/billing-messages';
import { failure, FailureType } from '../workflows/failures';
import type { BillingActivityDeps } from './billing-months';

async function loadLegalRates(db: Knex | Knex.Transaction): Promise<LegalRateEntry[]> {
  const rows = await db('legal_interest_rates').orderBy('semester');
  return rows.map((r) => ({ semester: r.semester as Semester, rateBp: r.rate_bp }));
}

export type PenaltyOutcome =
  | {
      status: 'issued';
      penaltyInvoice: InvoiceWorkflowInput;
      daysLate: number;
      interestCents: number;
      indemnityCents: number;
    }
  | { status: 'none_due' }
  | { status: 'rate_missing'; semester: string; detail: string };

export function createInvoiceActivities({ db, temporal }: BillingActivityDeps) {
  const isTerminated = async (accountId: string) =>
    (await db('accounts').where({ id: accountId }).first('status'))?.status === 'terminated';

  return {
    async invoicePaymentState(invoiceId: string) {
      return invoicePaymentState(db, invoiceId);
    },

    /** 7.3: unpaid at the due instant → suspended at once, without notice. */
    async suspendForLatePayment({
      accountId,
      invoiceId,
      number,
    }: {
      accountId: string;
      invoiceId: string;
      number: string;
    }): Promise<void> {
      // The webhook event first (idempotent by key): the suspension's own event follows it.
      const data = { invoice_id: invoiceId, number };
      await recordEvents(db, [{ accountId, type: 'invoice.overdue', key: `evt_io${invoiceId}`, data }]);
      // Skipped for a terminated account: e.g. the 7.1.1 early-end invoice, always issued after
      // the termination. The amount stays owed.
      await suspendAccountNow(
        { db, temporal },
        {
          accountId,
          kind: 'late_payment',
          ref: invoiceId,
          reason: `invoice ${number} unpaid at its due date (7.3)`,
          by: { type: 'system' },
        },
      );
    },

    async liftLatePaymentSuspension({ accountId, invoiceId }: { accountId: string; invoiceId: string }): Promise<void> {
      if (await isTerminated(accountId)) return;
      await liftSuspensionOf(temporal, accountId, { kind: 'late_payment', ref: invoiceId, by: { type: 'system' } });
    },

    /** Records a dispute that the workflow accepted (in time). Idempotent per dispute id. */
    async recordInvoiceDispute(d: {
      disputeId: string;
      invoiceId: string;
      accountId: string;
      reason: string;
      by: Record<string, unknown>;
      filedAt: string;
    }): Promise<void> {
      await db.transaction(async (trx) => {
        const done = await trx('invoice_disputes').where({ id: d.disputeId }).first('id');
        if (done) return;
        await trx('invoice_disputes').insert({
          id: d.disputeId,
          invoice_id: d.invoiceId,
          account_id: d.accountId,
          reason: d.reason,
          filed_by: JSON.stringify(d.by),
          filed_at: d.filedAt,
        });
        await appendEvidence(trx, {
          accountId: d.accountId,
          kind: 'invoice_disputed',
          occurredAt: new Date(d.filedAt),
          actor: d.by,
          payload: { invoiceId: d.invoiceId, disputeId: d.disputeId, reason: d.reason },
        });
      });
    },

    /**
     * The penalty invoice of a late invoice once paid: interest at 3 × the legal rate of each late
     * day's semester + the 40 € indemnity (domain/late-penalty.ts), once (idempotent per invoice).
     * A semester missing from the rate table is recorded as a configuration error and reported
     * to the workflow, which retries later: never a silent zero.
     */
    async issueLatePenaltyInvoice({
      invoiceId,
      issuedAt,
    }: {
      invoiceId: string;
      issuedAt: string;
    }): Promise<PenaltyOutcome> {
      const inv = await getInvoice(db, invoiceId);
      if (!inv) throw failure(FailureType.InvoiceNotFound, `no invoice ${invoiceId}`);
      const st = await invoicePaymentState(db, invoiceId);
      const paidAt = new Date(st.paidAt ?? issuedAt);
      let penalty;
      try {
        // Amount due: the invoice total less credit notes (the credited part was never owed).
        penalty = latePenalty({
          amountDueCents: st.totalCents - st.creditedCents,
          dueAt: new Date(inv.dueAt),
          paidAt,
          table: await loadLegalRates(db),
        });
      } catch (err) {
        if (err instanceof LegalRateMissingError) {
          const detail = `legal interest rate missing for ${err.semester}: late-payment penalty of invoice ${inv.number} not issued; add the rate (POST /v1/staff/billing/legal-rates)`;
          await db('billing_config_errors').insert({
            code: 'legal_rate_missing',
            account_id: inv.accountId,
            invoice_id: invoiceId,
            detail,
          });
          return { status: 'rate_missing', semester: err.semester, detail };
        }
        throw err;
      }
      if (penalty.totalCents === 0) return { status: 'none_due' };
      const lines = [
        ...(penalty.interestCents > 0
          ? [
              {
                description: `Pénalités de retard sur la facture ${inv.number} : ${penalty.daysLate} jour(s) au taux de 3 fois le taux d'intérêt légal (${penalty.perSemester.map((s) => `${s.semester} : ${s.days} j à ${(s.penaltyRateBp / 100).toFixed(2)} %`).join(', ')})`,
                amountCents: penalty.interestCents,
                vatRate: PENALTY_VAT_RATE,
              },
            ]
          : []),
        {
          description: `Indemnité forfaitaire pour frais de recouvrement — facture ${inv.number}`,
          amountCents: penalty.indemnityCents,
          vatRate: PENALTY_VAT_RATE,
        },
      ];
      const { invoice } = await issueInvoice(db, {
        accountId: inv.accountId,
        purpose: 'penalty',
        lines,
        idemKey: `penalty:${invoiceId}`,
        issuedAt: new Date(issuedAt),
        meta: {
          penaltyFor: invoiceId,
          daysLate: penalty.daysLate,
          interestCents: penalty.interestCents,
          indemnityCents: penalty.indemnityCents,
          perSemester: penalty.perSemester,
        },
      });
      return {
        status: 'issued',
        penaltyInvoice: invoiceWorkflowInput(invoice),
        daysLate: penalty.daysLate,
        interestCents: penalty.interestCents,
        indemnityCents: penalty.indemnityCents,
      };
    },
  };
}
