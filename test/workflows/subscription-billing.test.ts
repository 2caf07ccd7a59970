// The Subscription monthly cycle on the time-skipping server, with its real activities.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDb } from '../../lib/db';
import { reserveFunds, settleOrder } from '../../lib/ledger-reservations';
import { balanceOf } from '../../lib/ledger-views';
import { createOrder } from '../../lib/orders';
import { createBillingActivities } from '../../activities/billing';
import { createDeadlineActivities } from '../../activities/deadlines';
import { createAccountActivities } from '../../activities/accounts';
import { createAccountCampaignActivities } from '../../activities/account-campaigns';
import { annualPeriod } from '../../domain/billing-cycle';
import { addCalendarYears } from '../../domain/calendar';
import { subscriptionEndedSignal } from '../../workflows/billing-messages';
import { billingMonth } from '../../workflows/subscription-billing';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import { balance, checkLedger, insertAccount } from '../support/billing';
import { eventually } from '../support/eventually';
import { keepHistory } from './support/contract-fakes';
import { accountWorkflowId, invoiceWorkflowId, subscriptionBillingWorkflowId } from '../../workflows/ids';

const db = createDb(process.env.DATABASE_URL!);
const FEE = 4900;
const PREPAID = 5000;

describe('subscription billing workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
    await db.destroy();
  });

  async function withSubscription(
    fn: (ctx: {
      accountId: string;
      effectiveAt: Date;
      taskQueue: string;
      acts: ReturnType<typeof createBillingActivities>;
    }) => Promise<void>,
  ) {
    const taskQueue = uniqueQueue('subscription');
    const acts = createBillingActivities({ db, temporal: env.client });
    const worker = await testWorker(env, {
      taskQueue,
      activities: {
        ...acts,
        ...createDeadlineActivities({ db }),
        ...createAccountActivities({ db, config: { LIFECYCLE_TASK_QUEUE: taskQueue } }),
        ...createAccountCampaignActivities({ db, temporal: env.client }),
      },
    });
    const effectiveAt = new Date(await env.currentTimeMs());
    const accountId = await insertAccount(db, { formula: 'subscription', effectiveDate: effectiveAt });
    await db('subscriptions').insert({
      account_id: accountId,
      monthly_fee_cents: FEE,
      monthly_prepaid_cents: PREPAID,
      effective_at: effectiveAt,
    });
    await worker.runUntil(async () => {
      await env.client.workflow.start('accountLifecycleWorkflow', {
        taskQueue,
        workflowId: accountWorkflowId(accountId),
        args: [{ accountId, termsVersion: '2026-01' }],
      });
      await env.client.workflow.start('subscriptionBillingWorkflow', {
        taskQueue,
        workflowId: subscriptionBillingWorkflowId(accountId),
        args: [{ accountId, effectiveAt: effectiveAt.toISOString() }],
      });
      try {
        await fn({ accountId, effectiveAt, taskQueue, acts });
      } finally {
        const invoices = await db('invoices').where({ account_id: accountId }).select('id');
        const ids = [
          accountWorkflowId(accountId),
          subscriptionBillingWorkflowId(accountId),
          ...invoices.map((i) => invoiceWorkflowId(i.id)),
        ];
        await Promise.all(
          ids.map((id) =>
            env.client.workflow
              .getHandle(id)
              .terminate('test over')
              .catch(() => undefined),
          ),
        );
      }
    });
  }

  const until = async (target: number) => {
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);
  };
  // Polls in real time: skipped time passes at once, the worker's tasks do not.
  const settled = <T>(fn: () => Promise<T>, ok: (v: T) => boolean) => eventually(fn, ok, 15_000);
  const monthInvoices = (accountId: string) =>
    db('invoices').where({ account_id: accountId, purpose: 'subscription_month' }).orderBy('seq');

  test("When a subscription runs 13 months through its renewal, then each month is invoiced once at its start, with last month's overage, the prepaid credited and the balance carried", async () => {
    await withSubscription(async ({ accountId, effectiveAt, acts }) => {
      await until(effectiveAt.getTime() + 1000);
      let invoices = await settled(
        () => monthInvoices(accountId),
        (v) => v.length === 1,
      );
      expect(invoices).toHaveLength(1);
      expect([Number(invoices[0].net_cents), Number(invoices[0].vat_cents), Number(invoices[0].total_cents)]).toEqual([
        9900, 1980, 11880,
      ]);
      expect(await balanceOf(db, accountId)).toEqual(balance(5000, 0));

      // Month 0: 70,00 € consumed on 50,00 € prepaid → 20,00 € overage, billed with month 1.
      const order = await createOrder(db, {
        accountId,
        kind: 'single',
        channel: 'sms',
        quote: {
          priceListVersion: 't',
          quotedAt: new Date().toISOString(),
          channel: 'sms',
          lines: [],
          totalE4: 700_000,
          totalCents: 7000,
        },
      });
      expect(await reserveFunds(db, { accountId, orderId: order.id, amountE4: 700_000 })).toEqual({
        reservedE4: 700_000,
        overageE4: 200_000,
      });
      await settleOrder(db, { orderId: order.id, consumedE4: 700_000 });

      const m1 = billingMonth(effectiveAt, 1).start.getTime();
      await until(m1 - 1000);
      expect(await monthInvoices(accountId)).toHaveLength(1);
      await until(m1 + 1000);
      invoices = await settled(
        () => monthInvoices(accountId),
        (v) => v.length === 2,
      );
      expect(invoices).toHaveLength(2);
      expect(Number(invoices[1].net_cents)).toBe(FEE + PREPAID + 2000);
      expect(invoices[1].lines.map((l: { unitPriceCents: number }) => l.unitPriceCents)).toEqual([FEE, PREPAID, 2000]);
      expect(await balanceOf(db, accountId)).toEqual(balance(5000, 0));

      // Month 1 consumes 12,00 €: 38,00 € is carried into month 2, on top of its 50,00 €.
      const o2 = await createOrder(db, {
        accountId,
        kind: 'single',
        channel: 'sms',
        quote: {
          priceListVersion: 't',
          quotedAt: new Date().toISOString(),
          channel: 'sms',
          lines: [],
          totalE4: 120_000,
          totalCents: 1200,
        },
      });
      await reserveFunds(db, { accountId, orderId: o2.id, amountE4: 120_000 });
      await settleOrder(db, { orderId: o2.id, consumedE4: 120_000 });
      await until(billingMonth(effectiveAt, 2).start.getTime() + 1000);
      await settled(
        () => monthInvoices(accountId),
        (v) => v.length === 3,
      );
      expect(await balanceOf(db, accountId)).toEqual(balance(3800 + PREPAID, 0));
      const carry = await db('ledger_entries').where({ account_id: accountId, kind: 'carry_over' }).orderBy('id');
      expect(carry.map((c) => Number(c.amount_e4))).toEqual([380_000]); // month 1 closed with 0 left
      invoices = await monthInvoices(accountId);
      expect(Number(invoices[2].net_cents)).toBe(FEE + PREPAID); // no overage

      for (let n = 3; n <= 12; n++) {
        await until(billingMonth(effectiveAt, n).start.getTime() + 1000);
        await settled(
          () => monthInvoices(accountId),
          (v) => v.length === n + 1,
        );
      }
      invoices = await monthInvoices(accountId);
      expect(invoices).toHaveLength(13);
      expect(invoices.map((i) => i.meta.monthNumber)).toEqual(Array.from({ length: 13 }, (_, i) => i));
      // Month 12 is the first month of the renewed annual period.
      expect(new Date(invoices[12].service_period.start).getTime()).toBe(addCalendarYears(effectiveAt, 1).getTime());
      expect(new Date(invoices[11].service_period.end).getTime()).toBe(annualPeriod(effectiveAt, 0).end.getTime());
      // Numbers strictly increase with the months.
      for (let i = 1; i < 13; i++) expect(Number(invoices[i].seq)).toBeGreaterThan(Number(invoices[i - 1].seq));

      // Re-running a month's billing creates nothing new.
      const before = await db('invoices').where({ account_id: accountId }).count({ n: '*' }).first();
      const ledgerBefore = await db('ledger_entries').where({ account_id: accountId }).count({ n: '*' }).first();
      const again = await acts.runSubscriptionMonth({
        accountId,
        monthNumber: 5,
        start: billingMonth(effectiveAt, 5).start.toISOString(),
        end: billingMonth(effectiveAt, 5).end.toISOString(),
        issuedAt: new Date().toISOString(),
      });
      expect(again.created).toBe(false);
      expect(again.invoice?.invoiceId).toBe(invoices[5].id);
      expect(await db('invoices').where({ account_id: accountId }).count({ n: '*' }).first()).toEqual(before);
      expect(await db('ledger_entries').where({ account_id: accountId }).count({ n: '*' }).first()).toEqual(
        ledgerBefore,
      );

      const c = await checkLedger(db, accountId);
      expect([c.available, c.reserved, c.untraced, c.overdrawnFunding]).toEqual([c.sumAvailable, c.sumReserved, 0, 0]);
      expect(c.available).toBe((3800 + 11 * PREPAID) * 100); // the ledger counts in e4
      // Every month has its invoice workflow (unpaid: the account is suspended).
      const st = await env.client.workflow.getHandle(invoiceWorkflowId(invoices[12].id)).describe();
      expect(st.status.name).toBe('RUNNING');
    });
  });

  test('When the subscription ends early in month 5, then the 7 remaining monthly fees of the annual period are invoiced, nothing is refunded and the cycle stops', async () => {
    await withSubscription(async ({ accountId, effectiveAt }) => {
      const m5 = billingMonth(effectiveAt, 4); // the 5th month
      for (let n = 1; n <= 4; n++) {
        await until(billingMonth(effectiveAt, n).start.getTime() + 1000);
        await settled(
          () => monthInvoices(accountId),
          (v) => v.length === n + 1,
        );
      }
      await until(m5.start.getTime() + 3 * 24 * 3600 * 1000);
      expect(await monthInvoices(accountId)).toHaveLength(5);
      const endAt = new Date(await env.currentTimeMs());
      const h = env.client.workflow.getHandle(subscriptionBillingWorkflowId(accountId));
      await h.signal(subscriptionEndedSignal, { endAt: endAt.toISOString(), reason: 'termination 10.1' });
      const result = await h.result();
      expect(result.ended).toBe(true);
      const early = await db('invoices').where({ account_id: accountId, purpose: 'early_end' });
      expect(early).toHaveLength(1);
      expect(early[0].lines).toHaveLength(1);
      expect([early[0].lines[0].quantity, early[0].lines[0].unitPriceCents]).toEqual([7, FEE]);
      expect([Number(early[0].net_cents), Number(early[0].total_cents)]).toEqual([7 * FEE, Math.round(7 * FEE * 1.2)]);
      // No refund: no credit note, the balance stays (never paid back).
      expect(await db('invoices').where({ account_id: accountId, kind: 'credit_note' })).toHaveLength(0);
      await env.sleep(60 * 24 * 3600 * 1000);
      expect(await monthInvoices(accountId)).toHaveLength(5);
      await keepHistory('subscription-billing', h);
    });
  });
});
