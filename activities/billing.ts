// Billing activities: what the invoice and subscription-billing workflows do to Postgres and to
// the account workflow. Each is idempotent (business keys), so retries and replays are harmless.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  annualPeriodAt, draftLines, earlyEndLines, monthlyInvoiceLines, type BillingLine, type SubscriptionPlan,
} from '../domain/billing-cycle';
import { latePenalty, LegalRateMissingError, type LegalRateEntry, type Semester } from '../domain/late-penalty';
import { e4ToCentsHalfUp } from '../domain/send-pricing';
import { lockBalance } from '../lib/ledger';
import { carryOver, topUp } from '../lib/ledger-funding';
import { overageBetween } from '../lib/ledger-views';
import { issueInvoice, PENALTY_VAT_RATE } from '../lib/invoices';
import { getInvoice, type InvoiceView } from '../lib/invoices-documents';
import { invoicePaymentState } from '../lib/invoices-payment-state';
import { liftSuspensionOf } from '../lib/workflow-clients/account';
import { invoiceWorkflowInput } from '../lib/workflow-clients/invoice';
import { signalSubscriptionEnded } from '../lib/workflow-clients/subscription-billing';
import { appendEvidence } from '../lib/evidence';
import { suspendAccountNow } from './contract';
import type { InvoiceWorkflowInput } from '../workflows/billing-messages';
import { failure, FailureType } from '../workflows/failures';

export interface BillingActivityDeps { db: Knex; temporal: Client }

async function loadLegalRates(db: Knex | Knex.Transaction): Promise<LegalRateEntry[]> {
  const rows = await db('legal_interest_rates').orderBy('semester');
  return rows.map((r) => ({ semester: r.semester as Semester, rateBp: r.rate_bp }));
}

export type PenaltyOutcome =
  | { status: 'issued'; penaltyInvoice: InvoiceWorkflowInput; daysLate: number; interestCents: number; indemnityCents: number }
  | { status: 'none_due' }
  | { status: 'rate_missing'; semester: string; detail: string };

export function createBillingActivities({ db, temporal }: BillingActivityDeps) {
  const isTerminated = async (accountId: string) => (await db('accounts').where({ id: accountId }).first('status'))?.status === 'terminated';

  return {
    /**
     * For the contract clocks: the contract ended (any reason) at `endAt`; the Subscription's
     * cycle invoices the remaining monthly fees of the annual period (7.1.1) and stops.
     * Idempotent (the first end wins); a Pack account has no cycle and nothing happens.
     */
    async endSubscriptionBilling({ accountId, endAt, reason }: { accountId: string; endAt: string; reason: string }): Promise<void> {
      await signalSubscriptionEnded(temporal, accountId, { endAt, reason })
        .catch((err: Error) => { if (err.name !== 'WorkflowNotFoundError') throw err; });
    },

    async invoicePaymentState(invoiceId: string) {
      return invoicePaymentState(db, invoiceId);
    },

    /** 7.3: unpaid at the due instant → suspended at once, without notice. */
    async suspendForLatePayment({ accountId, invoiceId, number }: { accountId: string; invoiceId: string; number: string }): Promise<void> {
      // Skipped for a terminated account: e.g. the 7.1.1 early-end invoice, always issued after
      // the termination. The amount stays owed.
      await suspendAccountNow({ db, temporal }, {
        accountId, kind: 'late_payment', ref: invoiceId, reason: `invoice ${number} unpaid at its due date (7.3)`, by: { type: 'system' },
      });
    },

    async liftLatePaymentSuspension({ accountId, invoiceId }: { accountId: string; invoiceId: string }): Promise<void> {
      if (await isTerminated(accountId)) return;
      await liftSuspensionOf(temporal, accountId, { kind: 'late_payment', ref: invoiceId, by: { type: 'system' } });
    },

    /** Records a dispute that the workflow accepted (in time). Idempotent per dispute id. */
    async recordInvoiceDispute(d: { disputeId: string; invoiceId: string; accountId: string; reason: string; by: Record<string, unknown>; filedAt: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const done = await trx('invoice_disputes').where({ id: d.disputeId }).first('id');
        if (done) return;
        await trx('invoice_disputes').insert({ id: d.disputeId, invoice_id: d.invoiceId, account_id: d.accountId, reason: d.reason, filed_by: JSON.stringify(d.by), filed_at: d.filedAt });
        await appendEvidence(trx, { accountId: d.accountId, kind: 'invoice_disputed', occurredAt: new Date(d.filedAt), actor: d.by, payload: { invoiceId: d.invoiceId, disputeId: d.disputeId, reason: d.reason } });
      });
    },

    /**
     * The penalty invoice of a late invoice once paid: interest at 3 × the legal rate of each late
     * day's semester + the 40 € indemnity (domain/late-penalty.ts), once (idempotent per invoice).
     * A semester missing from the rate table is recorded as a configuration error and reported
     * to the workflow, which retries later: never a silent zero.
     */
    async issueLatePenaltyInvoice({ invoiceId, issuedAt }: { invoiceId: string; issuedAt: string }): Promise<PenaltyOutcome> {
      const inv = await getInvoice(db, invoiceId);
      if (!inv) throw failure(FailureType.InvoiceNotFound, `no invoice ${invoiceId}`);
      const st = await invoicePaymentState(db, invoiceId);
      const paidAt = new Date(st.paidAt ?? issuedAt);
      let penalty;
      try {
        // Amount due: the invoice total less credit notes (the credited part was never owed).
        penalty = latePenalty({ amountDueCents: st.totalCents - st.creditedCents, dueAt: new Date(inv.dueAt), paidAt, table: await loadLegalRates(db) });
      } catch (err) {
        if (err instanceof LegalRateMissingError) {
          const detail = `legal interest rate missing for ${err.semester}: late-payment penalty of invoice ${inv.number} not issued; add the rate (POST /v1/staff/billing/legal-rates)`;
          await db('billing_config_errors').insert({ code: 'legal_rate_missing', account_id: inv.accountId, invoice_id: invoiceId, detail });
          return { status: 'rate_missing', semester: err.semester, detail };
        }
        throw err;
      }
      if (penalty.totalCents === 0) return { status: 'none_due' };
      const lines = [
        ...(penalty.interestCents > 0 ? [{
          description: `Pénalités de retard sur la facture ${inv.number} : ${penalty.daysLate} jour(s) au taux de 3 fois le taux d'intérêt légal (${penalty.perSemester.map((s) => `${s.semester} : ${s.days} j à ${(s.penaltyRateBp / 100).toFixed(2)} %`).join(', ')})`,
          amountCents: penalty.interestCents, vatRate: PENALTY_VAT_RATE,
        }] : []),
        { description: `Indemnité forfaitaire pour frais de recouvrement — facture ${inv.number}`, amountCents: penalty.indemnityCents, vatRate: PENALTY_VAT_RATE },
      ];
      const { invoice } = await issueInvoice(db, {
        accountId: inv.accountId, purpose: 'penalty', lines, idemKey: `penalty:${invoiceId}`, issuedAt: new Date(issuedAt),
        meta: { penaltyFor: invoiceId, daysLate: penalty.daysLate, interestCents: penalty.interestCents, indemnityCents: penalty.indemnityCents, perSemester: penalty.perSemester },
      });
      return { status: 'issued', penaltyInvoice: invoiceWorkflowInput(invoice), daysLate: penalty.daysLate, interestCents: penalty.interestCents, indemnityCents: penalty.indemnityCents };
    },

    /**
     * Billing month n of a Subscription (7.1.1), once: the month's invoice (fee + prepaid in
     * advance + the previous month's overage at list price), the prepaid credit, and the
     * carry-over of the unused balance. A second run finds the month's row and creates nothing.
     */
    async runSubscriptionMonth(input: { accountId: string; monthNumber: number; start: string; end: string; issuedAt: string }): Promise<{ invoice: InvoiceWorkflowInput | null; created: boolean }> {
      const { accountId, monthNumber } = input;
      return db.transaction(async (trx) => {
        await lockBalance(trx, accountId); // serialises with reservations: the cutoff is exact
        const run = await trx('subscription_billing_runs').where({ account_id: accountId, month_number: monthNumber }).first();
        if (run) {
          const inv = run.invoice_id ? await getInvoice(trx, run.invoice_id) : null;
          return { invoice: inv ? invoiceWorkflowInput(inv) : null, created: false };
        }
        const sub = await trx('subscriptions').where({ account_id: accountId }).first();
        if (!sub) throw failure(FailureType.SubscriptionNotFound, `account ${accountId} has no subscription`);
        const plan: SubscriptionPlan = { monthlyFeeCents: Number(sub.monthly_fee_cents), monthlyPrepaidCents: Number(sub.monthly_prepaid_cents) };
        const prev = await trx('subscription_billing_runs').where({ account_id: accountId }).andWhere('month_number', '>=', 0).orderBy('month_number', 'desc').first('ledger_cutoff_id');
        const last = await trx('ledger_entries').where({ account_id: accountId }).max({ m: 'id' }).first();
        const cutoff = Number(last?.m ?? 0);
        // The ledger holds e4; the month's overage is one invoice line, rounded once (half up).
        const overage = e4ToCentsHalfUp(await overageBetween(trx, accountId, prev?.ledger_cutoff_id ?? 0, cutoff));
        if (monthNumber > 0) await carryOver(trx, { accountId, ref: `${accountId}:month:${monthNumber}` });
        const start = new Date(input.start);
        const end = new Date(input.end);
        const lines = monthlyInvoiceLines({ plan, periodStart: start, periodEnd: end, overagePreviousMonthCents: overage });
        let invoice: InvoiceView | null = null;
        if (lines.length > 0) {
          ({ invoice } = await issueInvoice(trx, {
            accountId, purpose: 'subscription_month', idemKey: `sub:${accountId}:${monthNumber}`, issuedAt: new Date(input.issuedAt),
            servicePeriod: { start, end }, meta: { monthNumber, overageCents: overage, plan },
            lines: draftLines(lines),
          }));
        }
        // Credited on issue: the month's services are prepaid, and an unpaid invoice suspends
        // the account at once (7.3), so nothing is consumed on credit.
        if (plan.monthlyPrepaidCents > 0) {
          await topUp(trx, { accountId, amountCents: plan.monthlyPrepaidCents, source: { kind: 'subscription_prepaid', ref: `${accountId}:month:${monthNumber}` } });
        }
        await trx('subscription_billing_runs').insert({ account_id: accountId, month_number: monthNumber, invoice_id: invoice?.id ?? null, ledger_cutoff_id: cutoff });
        return { invoice: invoice ? invoiceWorkflowInput(invoice) : null, created: true };
      });
    },

    /**
     * 7.1.1 early end, any reason: the monthly fees of the current annual period not yet invoiced
     * (no refund), and the overage consumed since the last month's invoice, which no later month
     * will bill (without it the last month's overage would be free).
     */
    async issueEarlyEndInvoice(input: { accountId: string; endAt: string; reason: string; issuedAt: string }): Promise<InvoiceWorkflowInput | null> {
      const { accountId } = input;
      return db.transaction(async (trx) => {
        await lockBalance(trx, accountId); // serialises with reservations: the cutoff is exact
        const run = await trx('subscription_billing_runs').where({ account_id: accountId, month_number: -1 }).first();
        if (run) {
          const inv = run.invoice_id ? await getInvoice(trx, run.invoice_id) : null;
          return inv ? invoiceWorkflowInput(inv) : null;
        }
        const sub = await trx('subscriptions').where({ account_id: accountId }).first();
        if (!sub) throw failure(FailureType.SubscriptionNotFound, `account ${accountId} has no subscription`);
        const plan: SubscriptionPlan = { monthlyFeeCents: Number(sub.monthly_fee_cents), monthlyPrepaidCents: Number(sub.monthly_prepaid_cents) };
        const endAt = new Date(input.endAt);
        const effectiveAt = new Date(sub.effective_at);
        // The annual period in force just before the end (an end at a period's end owes nothing).
        const period = annualPeriodAt(effectiveAt, new Date(Math.max(effectiveAt.getTime(), endAt.getTime() - 1)));
        const fees = endAt.getTime() > period.start.getTime() ? earlyEndLines({ plan, annualPeriodStart: period.start, endAt }) : [];
        const prev = await trx('subscription_billing_runs').where({ account_id: accountId }).andWhere('month_number', '>=', 0).orderBy('month_number', 'desc').first('ledger_cutoff_id');
        const last = await trx('ledger_entries').where({ account_id: accountId }).max({ m: 'id' }).first();
        const cutoff = Number(last?.m ?? 0);
        // One invoice line, its e4 sum rounded once (half up), as a month's overage line.
        const overage = e4ToCentsHalfUp(await overageBetween(trx, accountId, prev?.ledger_cutoff_id ?? 0, cutoff));
        const overageLine: BillingLine = {
          kind: 'overage', description: 'Services consommés au-delà du montant prépayé — jusqu\'à la fin du contrat', quantity: 1, unitPriceCents: overage,
        };
        const lines = overage > 0 ? [...fees, overageLine] : fees;
        let invoice: InvoiceView | null = null;
        if (lines.length > 0) {
          ({ invoice } = await issueInvoice(trx, {
            accountId, purpose: 'early_end', idemKey: `sub:${accountId}:early-end`, issuedAt: new Date(input.issuedAt),
            meta: { endAt: input.endAt, reason: input.reason, months: fees[0]?.quantity ?? 0, overageCents: overage },
            lines: draftLines(lines),
          }));
        }
        await trx('subscriptions').where({ account_id: accountId }).whereNull('ended_at').update({ ended_at: endAt });
        await trx('subscription_billing_runs').insert({ account_id: accountId, month_number: -1, invoice_id: invoice?.id ?? null, ledger_cutoff_id: cutoff });
        return invoice ? invoiceWorkflowInput(invoice) : null;
      });
    },
  };
}

export type BillingActivities = ReturnType<typeof createBillingActivities>;
