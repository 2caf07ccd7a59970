// The late-payment penalty and payments against the real Postgres (Code de commerce L441-10,
// D441-5): penalty invoices by the semester's rate, payments allocated oldest first and recorded
// once, a Pack credited once when its invoice is paid, the payment webhook's signature.
import { randomUUID } from 'node:crypto';
import { createDb } from '../../lib/db';
import { issueInvoice } from '../../lib/invoices';
import { getInvoice } from '../../lib/invoices-documents';
import { invoicePaymentState } from '../../lib/invoices-payment-state';
import { recordPayment, signWebhook, verifyWebhookSignature } from '../../lib/payments';
import { balanceOf } from '../../lib/ledger-views';
import { balance, insertAccount } from '../support/billing';
import { createBillingActivities } from '../../activities/billing';

const db = createDb(process.env.DATABASE_URL!);
afterAll(async () => {
  await db.destroy();
});

const line = (description: string, quantity: number, unitPriceCents: number) => ({
  description,
  quantity,
  unitPriceCents,
});

describe('late-payment penalty', () => {
  test.each([
    // [due (UTC), paid (UTC), days late, interest cents]: 1 200,00 € TTC due, 3 × the legal rate of each
    // day's semester.
    ['2025-06-20T10:00:00Z', '2025-06-20T21:59:59Z', 0, 0], // same Paris day: not late
    ['2025-06-20T10:00:00Z', '2025-06-20T22:00:00Z', 1, 37], // 00:00 Paris next day: 1200 × 3 × 0.0371 / 365 = 0.366
    // 10 days S1 at 3.71 % + 10 days S2 at 2.76 %: 1200 × 3 × (0.0371 + 0.0276) × 10 / 365 = 6.381
    ['2025-06-20T10:00:00Z', '2025-07-10T10:00:00Z', 20, 638],
    // 31/12 in 2025-S2 at 2.76 % + 1-2/01 in 2026-S1 at 2.62 %: 0.789
    ['2025-12-30T10:00:00Z', '2026-01-02T10:00:00Z', 3, 79],
  ])(
    'When an invoice due %s is paid %s, then %d days late cost %d cents of interest plus the 40 € indemnity once',
    async (due, paid, days, interest) => {
      const accountId = await insertAccount(db);
      const { invoice } = await issueInvoice(db, {
        accountId,
        purpose: 'manual',
        lines: [line('A', 1, 100_000)],
        idemKey: randomUUID(),
        issuedAt: new Date(due),
      });
      await recordPayment(db, {
        accountId,
        method: 'transfer',
        reference: 'v',
        amountCents: 120_000,
        receivedAt: new Date(paid),
        recordedBy: { type: 'system' },
      });
      const acts = createBillingActivities({ db, temporal: undefined as never });
      const r = await acts.issueLatePenaltyInvoice({ invoiceId: invoice.id, issuedAt: paid });
      if (days === 0) {
        expect(r).toEqual({ status: 'none_due' });
        return;
      }
      expect(r).toMatchObject({ status: 'issued', daysLate: days, interestCents: interest, indemnityCents: 4000 });
      const again = await acts.issueLatePenaltyInvoice({ invoiceId: invoice.id, issuedAt: paid });
      expect(again).toEqual(r);
      const penalties = await db('invoices').where({ idem_key: `penalty:${invoice.id}` });
      expect(penalties).toHaveLength(1);
      expect(Number(penalties[0].total_cents)).toBe(interest + 4000);
    },
  );

  test(
    'When a late day falls in a semester missing from the table, then no penalty invoice is issued and a ' +
      'configuration error is recorded',
    async () => {
      const accountId = await insertAccount(db);
      const { invoice } = await issueInvoice(db, {
        accountId,
        purpose: 'manual',
        lines: [line('A', 1, 1000)],
        idemKey: randomUUID(),
        issuedAt: new Date('2030-03-01T10:00:00Z'),
      });
      await recordPayment(db, {
        accountId,
        method: 'transfer',
        reference: 'v',
        amountCents: 1200,
        receivedAt: new Date('2030-03-05T10:00:00Z'),
        recordedBy: { type: 'system' },
      });
      const r = await createBillingActivities({ db, temporal: undefined as never }).issueLatePenaltyInvoice({
        invoiceId: invoice.id,
        issuedAt: '2030-03-05T10:00:00Z',
      });
      expect(r).toMatchObject({ status: 'rate_missing', semester: '2030-S1' });
      expect(await db('invoices').where({ idem_key: `penalty:${invoice.id}` })).toHaveLength(0);
      expect(
        await db('billing_config_errors').where({ invoice_id: invoice.id, code: 'legal_rate_missing' }),
      ).toHaveLength(1);
    },
  );
});

describe('payments', () => {
  test(
    'When partial payments arrive, then they are allocated oldest first until each invoice is paid, and ' +
      'an event id is recorded once',
    async () => {
      const accountId = await insertAccount(db);
      const a = (
        await issueInvoice(db, {
          accountId,
          purpose: 'manual',
          lines: [line('A', 1, 1000)],
          idemKey: randomUUID(),
          issuedAt: new Date(Date.now() - 2000),
        })
      ).invoice;
      const b = (
        await issueInvoice(db, { accountId, purpose: 'manual', lines: [line('B', 1, 500)], idemKey: randomUUID() })
      ).invoice;
      const by = { type: 'system' };
      const p1 = await recordPayment(db, {
        accountId,
        method: 'transfer',
        reference: 'VIR-1',
        amountCents: 700,
        receivedAt: new Date(),
        recordedBy: by,
      });
      expect(p1.allocations).toEqual([{ invoiceId: a.id, amountCents: 700, fullyPaid: false }]);
      const eventId = randomUUID();
      const p2 = await recordPayment(db, {
        accountId,
        method: 'payment_provider',
        reference: 'pi_1',
        amountCents: 1000,
        receivedAt: new Date(),
        recordedBy: by,
        providerEventId: eventId,
      });
      expect(p2.allocations).toEqual([
        { invoiceId: a.id, amountCents: 500, fullyPaid: true },
        { invoiceId: b.id, amountCents: 500, fullyPaid: false },
      ]);
      const again = await recordPayment(db, {
        accountId,
        method: 'payment_provider',
        reference: 'pi_1',
        amountCents: 1000,
        receivedAt: new Date(),
        recordedBy: by,
        providerEventId: eventId,
      });
      expect(again.created).toBe(false);
      expect(again.paymentId).toBe(p2.paymentId);
      expect((await invoicePaymentState(db, a.id)).outstandingCents).toBe(0);
      expect((await invoicePaymentState(db, b.id)).outstandingCents).toBe(100);
    },
  );

  test('When a pack purchase invoice is fully paid, then the pack amount is credited once', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    const { invoice } = await issueInvoice(db, {
      accountId,
      purpose: 'pack',
      lines: [line('Pack 100', 1, 10000)],
      idemKey: randomUUID(),
      meta: { packCents: 10000 },
    });
    await recordPayment(db, {
      accountId,
      method: 'card',
      reference: 'c1',
      amountCents: 6000,
      receivedAt: new Date(),
      recordedBy: { type: 'system' },
    });
    expect(await balanceOf(db, accountId)).toEqual(balance(0, 0));
    await recordPayment(db, {
      accountId,
      method: 'card',
      reference: 'c2',
      amountCents: 6000,
      receivedAt: new Date(),
      recordedBy: { type: 'system' },
      invoiceId: invoice.id,
    });
    expect(await balanceOf(db, accountId)).toEqual(balance(10000, 0));
    expect(await getInvoice(db, invoice.id)).not.toBeNull();
  });

  test('When a webhook signature is checked, then a good one passes, a tampered body or an old timestamp fails', () => {
    const secret = 'a-very-secret-webhook-key';
    const body = '{"id":"evt_1"}';
    const now = Date.now();
    const t = Math.floor(now / 1000);
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t), now, 300)).toEqual({
      ok: true,
      timestampSec: t,
    });
    expect(verifyWebhookSignature(secret, body + ' ', signWebhook(secret, body, t), now, 300)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t - 301), now, 300)).toEqual({
      ok: false,
      reason: 'outside_replay_window',
    });
    expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t - 299), now, 300).ok).toBe(true);
    expect(verifyWebhookSignature(secret, body, 'garbage', now, 300)).toEqual({ ok: false, reason: 'malformed' });
  });
});
