// Activities of a Subscription's billing cycle (subscription-billing workflow, 7.1.1): billing
// month n (fee, prepaid in advance, previous month's overage; prepaid credit and carry-over), the
// early-end invoice of the remaining fees of the annual period, and the end signal the contract
// clocks send. Each is idempotent (business keys), so retries and replays are harmless.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  annualPeriodAt,
  draftLines,
  earlyEndLines,
  monthlyInvoiceLines,
  type BillingLine,
  type SubscriptionPlan,
} from '../domain/billing-cycle';
import { e4ToCentsHalfUp } from '../domain/send-pricing';
import { lockBalance } from '../lib/ledger';
import { carryOver, topUp } from '../lib/ledger-funding';
import { overageBetween } from '../lib/ledger-views';
import { issueInvoice } from '../lib/invoices';
import { getInvoice, type InvoiceView } from '../lib/invoices-documents';
import { invoiceWorkflowInput } from '../lib/workflow-clients/invoice';
import { signalSubscriptionEnded } from '../lib/workflow-clients/subscription-billing';
import type { InvoiceWorkflowInput } from '../workflows/billing-messages';
import { failure, FailureType } from '../workflows/failures';

/** What every billing activity is built from (activities/billing.ts composes them). */
export interface BillingActivityDeps {
  db: Knex;
  temporal: Client;
}

export function createSubscriptionMonthActivities({ db, temporal }: BillingActivityDeps) {
  return {
    /**
     * For the contract clocks: the contract ended (any reason) at `endAt`; the Subscription's
     * cycle invoices the remaining monthly fees of the annual period (7.1.1) and stops.
     * Idempotent (the first end wins); a Pack account has no cycle and nothing happens.
     */
    async endSubscriptionBilling({
      accountId,
      endAt,
      reason,
    }: {
      accountId: string;
      endAt: string;
      reason: string;
    }): Promise<void> {
      await signalSubscriptionEnded(temporal, accountId, { endAt, reason }).catch((err: Error) => {
        if (err.name !== 'WorkflowNotFoundError') throw err;
      });
    },

    /**
     * Billing month n of a Subscription (7.1.1), once: the month's invoice (fee + prepaid in
     * advance + the previous month's overage at list price), the prepaid credit, and the
     * carry-over of the unused balance. A second run finds the month's row and creates nothing.
     */
    async runSubscriptionMonth(input: {
      accountId: string;
      monthNumber: number;
      start: string;
      end: string;
      issuedAt: string;
    }): Promise<{ invoice: InvoiceWorkflowInput | null; created: boolean }> {
      const { accountId, monthNumber } = input;
      return db.transaction(async (trx) => {
        await lockBalance(trx, accountId); // serialises with reservations: the cutoff is exact
        const run = await trx('subscription_billing_runs')
          .where({ account_id: accountId, month_number: monthNumber })
          .first();
        if (run) {
          const inv = run.invoice_id ? await getInvoice(trx, run.invoice_id) : null;
          return { invoice: inv ? invoiceWorkflowInput(inv) : null, created: false };
        }
        const sub = await trx('subscriptions').where({ account_id: accountId }).first();
        if (!sub) throw failure(FailureType.SubscriptionNotFound, `account ${accountId} has no subscription`);
        const plan: SubscriptionPlan = {
          monthlyFeeCents: Number(sub.monthly_fee_cents),
          monthlyPrepaidCents: Number(sub.monthly_prepaid_cents),
        };
        const prev = await trx('subscription_billing_runs')
          .where({ account_id: accountId })
          .andWhere('month_number', '>=', 0)
          .orderBy('month_number', 'desc')
          .first('ledger_cutoff_id');
        const last = await trx('ledger_entries').where({ account_id: accountId }).max({ m: 'id' }).first();
        const cutoff = Number(last?.m ?? 0);
        // The ledger holds e4; the month's overage is one invoice line, rounded once (half up).
        const overage = e4ToCentsHalfUp(await overageBetween(trx, accountId, prev?.ledger_cutoff_id ?? 0, cutoff));
        if (monthNumber > 0) await carryOver(trx, { accountId, ref: `${accountId}:month:${monthNumber}` });
        const start = new Date(input.start);
        const end = new Date(input.end);
        const lines = monthlyInvoiceLines({
          plan,
          periodStart: start,
          periodEnd: end,
          overagePreviousMonthCents: overage,
        });
        let invoice: InvoiceView | null = null;
        if (lines.length > 0) {
          ({ invoice } = await issueInvoice(trx, {
            accountId,
            purpose: 'subscription_month',
            idemKey: `sub:${accountId}:${monthNumber}`,
            issuedAt: new Date(input.issuedAt),
            servicePeriod: { start, end },
            meta: { monthNumber, overageCents: overage, plan },
            lines: draftLines(lines),
          }));
        }
        // Credited on issue: the month's services are prepaid, and an unpaid invoice suspends
        // the account at once (7.3), so nothing is consumed on credit.
        if (plan.monthlyPrepaidCents > 0) {
          await topUp(trx, {
            accountId,
            amountCents: plan.monthlyPrepaidCents,
            source: { kind: 'subscription_prepaid', ref: `${accountId}:month:${monthNumber}` },
          });
        }
        await trx('subscription_billing_runs').insert({
          account_id: accountId,
          month_number: monthNumber,
          invoice_id: invoice?.id ?? null,
          ledger_cutoff_id: cutoff,
        });
        return { invoice: invoice ? invoiceWorkflowInput(invoice) : null, created: true };
      });
    },

    /**
     * 7.1.1 early end, any reason: the monthly fees of the current annual period not yet invoiced
     * (no refund), and the overage consumed since the last month's invoice, which no later month
     * will bill (without it the last month's overage would be free).
     */
    async issueEarlyEndInvoice(input: {
      accountId: string;
      endAt: string;
      reason: string;
      issuedAt: string;
    }): Promise<InvoiceWorkflowInput | null> {
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
        const plan: SubscriptionPlan = {
          monthlyFeeCents: Number(sub.monthly_fee_cents),
          monthlyPrepaidCents: Number(sub.monthly_prepaid_cents),
        };
        const endAt = new Date(input.endAt);
        const effectiveAt = new Date(sub.effective_at);
        // The annual period in force just before the end (an end at a period's end owes nothing).
        const period = annualPeriodAt(effectiveAt, new Date(Math.max(effectiveAt.getTime(), endAt.getTime() - 1)));
        const fees =
          endAt.getTime() > period.start.getTime()
            ? earlyEndLines({ plan, annualPeriodStart: period.start, endAt })
            : [];
        const prev = await trx('subscription_billing_runs')
          .where({ account_id: accountId })
          .andWhere('month_number', '>=', 0)
          .orderBy('month_number', 'desc')
          .first('ledger_cutoff_id');
        const last = await trx('ledger_entries').where({ account_id: accountId }).max({ m: 'id' }).first();
        const cutoff = Number(last?.m ?? 0);
        // One invoice line, its e4 sum rounded once (half up), as a month's overage line.
        const overage = e4ToCentsHalfUp(await overageBetween(trx, accountId, prev?.ledger_cutoff_id ?? 0, cutoff));
        const overageLine: BillingLine = {
          kind: 'overage',
          description: "Services consommés au-delà du montant prépayé — jusqu'à la fin du contrat",
          quantity: 1,
          unitPriceCents: overage,
        };
        const lines = overage > 0 ? [...fees, overageLine] : fees;
        let invoice: InvoiceView | null = null;
        if (lines.length > 0) {
          ({ invoice } = await issueInvoice(trx, {
            accountId,
            purpose: 'early_end',
            idemKey: `sub:${accountId}:early-end`,
            issuedAt: new Date(input.issuedAt),
            meta: { endAt: input.endAt, reason: input.reason, months: fees[0]?.quantity ?? 0, overageCents: overage },
            lines: draftLines(lines),
          }));
        }
        await trx('subscriptions').where({ account_id: accountId }).whereNull('ended_at').update({ ended_at: endAt });
        await trx('subscription_billing_runs').insert({
          account_id: accountId,
          month_number: -1,
          invoice_id: invoice?.id ?? null,
          ledger_cutoff_id: cutoff,
        });
        return invoice ? invoiceWorkflowInput(invoice) : null;
      });
    },
  };
}
