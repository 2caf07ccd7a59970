// The invoice workflow on the time-skipping server with its real activities (Postgres, the real
// account workflow): late payment → suspension → payment → restore → penalty; the dispute window.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createDb } from '../../lib/db';
import { issueInvoice } from '../../lib/invoices';
import { type InvoiceView } from '../../lib/invoices-documents';
import { recordPayment } from '../../lib/payments';
import { createBillingActivities } from '../../activities/billing';
import { invoiceWorkflowId, invoiceWorkflowInput } from '../../lib/workflow-clients/invoice';
import { createDeadlineActivities } from '../../activities/deadlines';
import { createAccountActivities } from '../../activities/accounts';
import { createAccountCampaignActivities } from '../../activities/account-campaigns';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { latePenalty, LEGAL_INTEREST_RATES } from '../../domain/late-penalty';
import { accountStateQuery } from '../../workflows/messages';
import { fileDisputeUpdate, invoiceStateQuery, paymentRecordedSignal } from '../../workflows/billing-messages';
import { PENALTY_RETRY_MS } from '../../workflows/invoice';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import { insertAccount, insertTermsVersion } from '../support/billing';
import { eventually } from '../support/eventually';
import { keepHistory } from './support/contract-fakes';
import { accountWorkflowId } from '../../workflows/ids';

const db = createDb(process.env.DATABASE_URL!);
const TERMS = 'test-billing-due-1h';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('invoice workflow', () => {
  let env: TestWorkflowEnvironment;
  let taskQueue: string;

  beforeAll(async () => {
    env = await timeSkippingEnv();
    // Payment due one hour after issue, so that "one tick before / after" the due instant shows.
    await insertTermsVersion(db, TERMS, { ...TERMS_2026_01, paymentDue: { unit: 'hours', amount: 1 } });
  });
  afterAll(async () => {
    await env?.teardown();
    await db.destroy();
  });

  /** Runs `fn` with a worker of the real billing, deadline and account activities. */
  async function withWorker(fn: () => Promise<void>): Promise<void> {
    taskQueue = uniqueQueue('invoice');
    const worker: Worker = await testWorker(env, {
      taskQueue,
      activities: {
        ...createBillingActivities({ db, temporal: env.client }),
        ...createDeadlineActivities({ db }),
        ...createAccountActivities({ db, config: { LIFECYCLE_TASK_QUEUE: taskQueue } }),
        ...createAccountCampaignActivities({ db, temporal: env.client }),
      },
    });
    await worker.runUntil(async () => {
      try {
        await fn();
      } finally {
        // Workflows left waiting would hold the time-skipping server's clock once their worker is gone.
        const invoices = await db('invoices').whereIn('account_id', accounts).select('id');
        const ids = [...accounts.map((a) => accountWorkflowId(a)), ...invoices.map((i) => invoiceWorkflowId(i.id))];
        await Promise.all(
          ids.map((id) =>
            env.client.workflow
              .getHandle(id)
              .terminate('test over')
              .catch(() => undefined),
          ),
        );
        accounts.length = 0;
      }
    });
  }
  const accounts: string[] = [];

  async function account(): Promise<string> {
    const now = new Date(await env.currentTimeMs());
    const accountId = await insertAccount(db, { formula: 'pack', termsVersion: TERMS, effectiveDate: now });
    accounts.push(accountId);
    await env.client.workflow.start('accountLifecycleWorkflow', {
      taskQueue,
      workflowId: accountWorkflowId(accountId),
      args: [{ accountId, termsVersion: TERMS }],
    });
    return accountId;
  }

  async function issueAndStart(
    accountId: string,
    totalNetCents: number,
    purpose: 'manual' | 'pack' = 'manual',
  ): Promise<InvoiceView> {
    const issuedAt = new Date(await env.currentTimeMs());
    const { invoice } = await issueInvoice(db, {
      accountId,
      purpose,
      lines: [{ description: 'Service', quantity: 1, unitPriceCents: totalNetCents }],
      idemKey: `${accountId}:${issuedAt.getTime()}:${totalNetCents}`,
      issuedAt,
    });
    await env.client.workflow.start('invoiceWorkflow', {
      taskQueue,
      workflowId: invoiceWorkflowId(invoice.id),
      args: [invoiceWorkflowInput(invoice)],
    });
    return invoice;
  }

  // Polls in real time: skipped time passes at once, the worker's tasks do not.
  const settled = <T>(fn: () => Promise<T>, ok: (v: T) => boolean) => eventually(fn, ok, 15_000);
  const status = async (accountId: string) =>
    (await env.client.workflow.getHandle(accountWorkflowId(accountId)).query(accountStateQuery)).status;
  const until = async (target: number) => {
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);
  };

  test('When an invoice is unpaid past its due instant, then the account is suspended from one tick after it, restored on payment, and the penalty waits for a missing legal rate instead of being zero', () =>
    withWorker(async () => {
      const accountId = await account();
      const inv = await issueAndStart(accountId, 100_000); // 1 000,00 € HT → 1 200,00 € TTC
      const dueAt = Date.parse(inv.dueAt);
      expect(dueAt - Date.parse(inv.issuedAt)).toBe(HOUR);
      const h = env.client.workflow.getHandle(invoiceWorkflowId(inv.id));

      await until(dueAt - 1000);
      expect(await status(accountId)).toBe('active');
      await until(dueAt + 1000);
      expect(
        await settled(
          () => status(accountId),
          (v) => v === 'suspended',
        ),
      ).toBe('suspended');
      expect((await h.query(invoiceStateQuery)).late).toBe(true);

      // Paid two Paris days later, in 2026-S2, which is not in the seeded rate table.
      await until(dueAt + 2 * DAY);
      const paidAt = new Date(await env.currentTimeMs());
      await recordPayment(db, {
        accountId,
        method: 'transfer',
        reference: 'VIR-late',
        amountCents: 60_000,
        receivedAt: paidAt,
        recordedBy: { type: 'system' },
      });
      await h.signal(paymentRecordedSignal);
      await env.sleep(1000);
      expect(await status(accountId)).toBe('suspended'); // partial payment: still overdue
      await recordPayment(db, {
        accountId,
        method: 'transfer',
        reference: 'VIR-late-2',
        amountCents: 60_000,
        receivedAt: paidAt,
        recordedBy: { type: 'system' },
      });
      await h.signal(paymentRecordedSignal);
      expect(
        await settled(
          () => status(accountId),
          (v) => v === 'active',
        ),
      ).toBe('active');

      const missing =
        !LEGAL_INTEREST_RATES.some((r) => r.semester === '2026-S2') &&
        !(await db('legal_interest_rates').where({ semester: '2026-S2' }).first());
      expect(missing).toBe(true);
      const st = await settled(
        () => h.query(invoiceStateQuery),
        (v) => v.configError !== null,
      );
      expect(st.penalty).toBe('pending');
      expect(st.configError?.code).toBe('legal_rate_missing');
      expect(
        await db('invoices')
          .where({ idem_key: `penalty:${inv.id}` })
          .first(),
      ).toBeUndefined();
      const errors = await db('billing_config_errors').where({ invoice_id: inv.id, code: 'legal_rate_missing' });
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0].detail).toContain('2026-S2');

      // Staff add the rate; the next retry issues the penalty invoice, once.
      await db('legal_interest_rates').insert({ semester: '2026-S2', rate_bp: 300, created_by: 'test' });
      try {
        await env.sleep(PENALTY_RETRY_MS + 1000);
        const penalty = await settled(
          () => db('invoices').where({ idem_key: `penalty:${inv.id}` }),
          (v) => v.length > 0,
        );
        expect(penalty).toHaveLength(1);
        const expected = latePenalty({
          amountDueCents: 120_000,
          dueAt: new Date(dueAt),
          paidAt,
          table: [...LEGAL_INTEREST_RATES, { semester: '2026-S2', rateBp: 300 }],
        });
        expect(expected.daysLate).toBe(2);
        // 1 200,00 € × 3 × 3,00 % × 2 / 365 = 0,59 €, + 40,00 €
        expect(expected.interestCents).toBe(59);
        expect(Number(penalty[0].total_cents)).toBe(59 + 4000);
        expect(Number(penalty[0].vat_cents)).toBe(0);
        expect(penalty[0].lines.filter((l: { amountCents: number }) => l.amountCents === 4000)).toHaveLength(1);
        const done = await settled(
          () => h.query(invoiceStateQuery),
          (v) => v.penalty === 'issued',
        );
        expect(done).toMatchObject({ penalty: 'issued', penaltyInvoiceId: penalty[0].id, configError: null });
      } finally {
        await db('legal_interest_rates').where({ semester: '2026-S2', created_by: 'test' }).delete();
      }
    }));

  test('When a dispute is filed one second before the end of the 15th calendar day, then it is accepted; one second after, the invoice is deemed accepted', () =>
    withWorker(async () => {
      const accountId = await account();
      const a = await issueAndStart(accountId, 1000);
      const b = await issueAndStart(accountId, 2000);
      const deadline = Date.parse(a.disputeDeadline!);
      expect(deadline).toBe(Date.parse(b.disputeDeadline!));
      // 00:00 Paris on the 16th day after the Paris date of issue.
      const parisMidnight = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(deadline));
      expect(parisMidnight).toBe('00:00');
      const by = { type: 'member' as const, id: 'm-1' };

      await until(deadline - 1000);
      const ok = await env.client.workflow
        .getHandle(invoiceWorkflowId(a.id))
        .executeUpdate(fileDisputeUpdate, { args: [{ reason: 'wrong quantity', by }] });
      expect(ok.accepted).toBe(true);
      expect(await db('invoice_disputes').where({ invoice_id: a.id })).toHaveLength(1);
      expect(
        (
          await db('deadlines')
            .where({ workflow_id: invoiceWorkflowId(b.id), kind: 'invoice_dispute' })
            .first()
        ).state,
      ).toBe('open');

      await until(deadline + 1000);
      const late = await env.client.workflow
        .getHandle(invoiceWorkflowId(b.id))
        .executeUpdate(fileDisputeUpdate, { args: [{ reason: 'too late', by }] });
      expect(late).toEqual({ accepted: false, refused: 'deemed_accepted', deadline: b.disputeDeadline });
      expect(await db('invoice_disputes').where({ invoice_id: b.id })).toHaveLength(0);
      const rows = await settled(
        () =>
          db('deadlines')
            .whereIn('workflow_id', [invoiceWorkflowId(a.id), invoiceWorkflowId(b.id)])
            .andWhere({ kind: 'invoice_dispute', state: 'closed' }),
        (v) => v.length === 2,
      );
      const byWf = Object.fromEntries(
        rows.map((r) => [r.workflow_id, [r.state, r.outcome, r.clause, new Date(r.due_at).getTime()]]),
      );
      expect(byWf[invoiceWorkflowId(a.id)]).toEqual(['closed', 'disputed', '7.3', deadline]);
      expect(byWf[invoiceWorkflowId(b.id)]).toEqual(['closed', 'deemed_accepted', '7.3', deadline]);
    }));

  test('When a Pack purchase invoice is unpaid past its due instant, then the account is not suspended and no penalty is pending; a service invoice past due still suspends it', () =>
    withWorker(async () => {
      const accountId = await account();
      const pack = await issueAndStart(accountId, 10_000, 'pack');
      const hp = env.client.workflow.getHandle(invoiceWorkflowId(pack.id));
      await until(Date.parse(pack.dueAt) + 1000);
      const st = await settled(
        () => hp.query(invoiceStateQuery),
        (v) => v.late,
      );
      expect(st).toMatchObject({ paid: false, late: true, suspended: false, penalty: 'not_applicable' });
      await env.sleep(1000);
      expect(await status(accountId)).toBe('active');

      const service = await issueAndStart(accountId, 5000);
      await until(Date.parse(service.dueAt) + 1000);
      expect(
        await settled(
          () => status(accountId),
          (v) => v === 'suspended',
        ),
      ).toBe('suspended');
      expect(await env.client.workflow.getHandle(invoiceWorkflowId(service.id)).query(invoiceStateQuery)).toMatchObject(
        { late: true, suspended: true, penalty: 'pending' },
      );
      // Paying the Pack (credited: lib/payments.ts) lifts nothing: the suspension is the service invoice's.
      await recordPayment(db, {
        accountId,
        method: 'card',
        reference: 'cb-pack',
        amountCents: 12_000,
        invoiceId: pack.id,
        receivedAt: new Date(await env.currentTimeMs()),
        recordedBy: { type: 'system' },
      });
      await hp.signal(paymentRecordedSignal);
      expect(
        (
          await settled(
            () => hp.query(invoiceStateQuery),
            (v) => v.paid,
          )
        ).penalty,
      ).toBe('not_applicable');
      expect(await status(accountId)).toBe('suspended');
    }));

  test('When an invoice is paid before its due instant, then the account is never suspended and no penalty is due', () =>
    withWorker(async () => {
      const accountId = await account();
      const inv = await issueAndStart(accountId, 5000);
      await recordPayment(db, {
        accountId,
        method: 'card',
        reference: 'cb',
        amountCents: 6000,
        receivedAt: new Date(await env.currentTimeMs()),
        recordedBy: { type: 'system' },
      });
      const h = env.client.workflow.getHandle(invoiceWorkflowId(inv.id));
      await h.signal(paymentRecordedSignal);
      await until(Date.parse(inv.dueAt) + 1000);
      expect(await status(accountId)).toBe('active');
      const result = await h.result(); // completes after the dispute window
      expect(result).toMatchObject({
        paid: true,
        late: false,
        suspended: false,
        penalty: 'not_applicable',
        disputeWindow: 'closed',
      });
      await keepHistory('invoice', h);
    }));
});
