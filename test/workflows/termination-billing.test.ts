// 7.1.1 wired to termination: every termination starts `termination:<id>`, which ends the
// Subscription's billing cycle at the termination instant; the remaining monthly fees of the
// annual period are invoiced. Time-skipping server, the real lifecycle activities, Postgres.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDb } from '../../lib/db';
import { loadConfig } from '../../lib/config';
import { createLifecycleActivities } from '../../workers/activities';
import { billingMonth } from '../../workflows/subscription-billing';
import { clockStateQuery } from '../../workflows/messages';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import { reserveFunds, settleOrder } from '../../lib/ledger-reservations';
import { balanceOf } from '../../lib/ledger-views';
import { createOrder } from '../../lib/orders';
import { insertAccount } from '../support/billing';
import { eventually } from '../support/eventually';
import {
  accountWorkflowId,
  invoiceWorkflowId,
  subscriptionBillingWorkflowId,
  terminationWorkflowId,
} from '../../workflows/ids';

const db = createDb(process.env.DATABASE_URL!);
const FEE = 4900;
const PREPAID = 5000;
const DAY = 24 * 3600 * 1000;

describe('termination ends the subscription billing (7.1.1)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
    await db.destroy();
  });

  const until = async (target: number) => {
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);
  };
  const settled = <T>(fn: () => Promise<T>, ok: (v: T) => boolean) => eventually(fn, ok, 15_000);

  async function withLifecycle(
    formula: 'subscription' | 'pack',
    fn: (ctx: {
      accountId: string;
      effectiveAt: Date;
      acts: ReturnType<typeof createLifecycleActivities>;
    }) => Promise<void>,
  ) {
    const taskQueue = uniqueQueue('termination-billing');
    const config = loadConfig({ ...process.env, LIFECYCLE_TASK_QUEUE: taskQueue, LOG_LEVEL: 'silent' });
    const acts = createLifecycleActivities({ db, config, temporal: env.client });
    const worker = await testWorker(env, { taskQueue, activities: acts });
    const effectiveAt = new Date(await env.currentTimeMs());
    const accountId = await insertAccount(db, { formula, effectiveDate: effectiveAt });
    await worker.runUntil(async () => {
      await env.client.workflow.start('accountLifecycleWorkflow', {
        taskQueue,
        workflowId: accountWorkflowId(accountId),
        args: [{ accountId, termsVersion: '2026-01' }],
      });
      if (formula === 'subscription') {
        await db('subscriptions').insert({
          account_id: accountId,
          monthly_fee_cents: FEE,
          monthly_prepaid_cents: PREPAID,
          effective_at: effectiveAt,
        });
        await env.client.workflow.start('subscriptionBillingWorkflow', {
          taskQueue,
          workflowId: subscriptionBillingWorkflowId(accountId),
          args: [{ accountId, effectiveAt: effectiveAt.toISOString() }],
        });
      }
      try {
        await fn({ accountId, effectiveAt, acts });
      } finally {
        const invoices = await db('invoices').where({ account_id: accountId }).select('id');
        const ids = [
          accountWorkflowId(accountId),
          subscriptionBillingWorkflowId(accountId),
          terminationWorkflowId(accountId),
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

  const invoicesOf = (accountId: string, purpose: string) =>
    db('invoices').where({ account_id: accountId, purpose }).orderBy('seq');

  test("When a subscription account is terminated in month 5, then the 7 remaining monthly fees and the month's overage are invoiced at the termination instant, and no further month is billed", async () => {
    await withLifecycle('subscription', async ({ accountId, effectiveAt, acts }) => {
      for (let n = 1; n <= 4; n++) {
        await until(billingMonth(effectiveAt, n).start.getTime() + 1000);
        await settled(
          () => invoicesOf(accountId, 'subscription_month'),
          (v) => v.length === n + 1,
        );
      }
      await until(billingMonth(effectiveAt, 4).start.getTime() + 3 * DAY); // inside the 5th month
      expect(await invoicesOf(accountId, 'subscription_month')).toHaveLength(5);
      expect(await invoicesOf(accountId, 'early_end')).toHaveLength(0);
      // This month's overage (1.2345 € beyond the balance) is billed by no later month: the early-end invoice bills it.
      const { availableE4 } = await balanceOf(db, accountId);
      const quote = {
        priceListVersion: 't',
        quotedAt: new Date().toISOString(),
        channel: 'sms' as const,
        lines: [],
        totalE4: availableE4 + 12_345,
        totalCents: 0,
      };
      const order = await createOrder(db, { accountId, kind: 'single', channel: 'sms', quote });
      expect(await reserveFunds(db, { accountId, orderId: order.id, amountE4: quote.totalE4 })).toMatchObject({
        overageE4: 12_345,
      });
      await settleOrder(db, { orderId: order.id, consumedE4: quote.totalE4 });

      // The real termination path (staff 10.3, clocks' terminateAccountFor): account update + termination workflow.
      const { terminatedAt } = await acts.terminateAccountFor({
        accountId,
        clause: '10.1',
        reason: 'breach not remedied',
        by: { type: 'system' },
      });
      const early = await settled(
        () => invoicesOf(accountId, 'early_end'),
        (v) => v.length === 1,
      );
      expect(early).toHaveLength(1);
      expect(
        early[0].lines.map((l: { quantity: number; unitPriceCents: number }) => [l.quantity, l.unitPriceCents]),
      ).toEqual([
        [7, FEE],
        [1, 123],
      ]);
      expect([Number(early[0].net_cents), Number(early[0].total_cents)]).toEqual([
        7 * FEE + 123,
        Math.round((7 * FEE + 123) * 1.2),
      ]);
      expect(early[0].meta).toMatchObject({
        endAt: terminatedAt,
        months: 7,
        reason: 'termination (10.1)',
        overageCents: 123,
      });
      const sub = await db('subscriptions').where({ account_id: accountId }).first('ended_at');
      expect(new Date(sub.ended_at).toISOString()).toBe(terminatedAt);
      const billing = await settled(
        () => env.client.workflow.getHandle(subscriptionBillingWorkflowId(accountId)).describe(),
        (d) => d.status.name !== 'RUNNING',
      );
      expect(billing.status.name).toBe('COMPLETED');

      // Idempotent: a second termination request changes nothing; later months are never billed.
      await acts.terminateAccountFor({ accountId, clause: '10.3', reason: 'again', by: { type: 'system' } });
      await until(billingMonth(effectiveAt, 6).start.getTime() + 1000);
      expect(await invoicesOf(accountId, 'subscription_month')).toHaveLength(5);
      expect(await invoicesOf(accountId, 'early_end')).toHaveLength(1);
    });
  });

  test('When a Pack account (no billing cycle) is terminated, then the termination workflow still opens the data-return window and no early-end invoice exists', async () => {
    await withLifecycle('pack', async ({ accountId, acts }) => {
      await acts.terminateAccountFor({ accountId, clause: '10.3', reason: 'prohibited use', by: { type: 'system' } });
      const h = env.client.workflow.getHandle(terminationWorkflowId(accountId));
      const st = await settled(
        () => h.query(clockStateQuery).catch(() => null),
        (s) => s?.state === 'return_window_open',
      );
      expect(st?.state).toBe('return_window_open');
      expect(await invoicesOf(accountId, 'early_end')).toHaveLength(0);
    });
  });
});
