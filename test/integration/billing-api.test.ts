// Billing over HTTP against the real system: Pack purchase → signed provider webhook → credit (an
// unpaid Pack never suspends: 7.3); documents; disputes; staff actions, each audit-logged.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../lib/config';
import { issueInvoice } from '../../lib/invoices';
import { signWebhook } from '../../lib/payments';
import { invoiceStateQuery } from '../../workflows/billing-messages';
import { balance } from '../support/billing';
import { eventually, http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import { invoiceWorkflowId, subscriptionBillingWorkflowId } from '../../workflows/ids';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const secret = loadConfig(process.env).PAYMENT_WEBHOOK_SECRET;

function webhook(event: unknown, opts: { t?: number; secret?: string } = {}) {
  const raw = JSON.stringify(event);
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  return http(sys.baseUrl, 'POST', '/v1/webhooks/payments', {
    raw,
    headers: { 'tentacle-signature': signWebhook(opts.secret ?? secret, raw, t) },
  });
}

const accountStatus = async (accountId: string) =>
  (await sys.db('accounts').where({ id: accountId }).first('status')).status;
/** The invoice workflow's state once it has passed the due instant (due on issue: at once). */
const pastDue = (invoiceId: string) =>
  eventually(
    () =>
      sys.client.workflow
        .getHandle(invoiceWorkflowId(invoiceId))
        .query(invoiceStateQuery)
        .catch(() => null),
    (s) => s?.late === true,
  );
const sms = { channel: 'sms', purpose: 'transactional', to: '+33612345678', body: 'Bonjour', sender: 'Acme' };

describe('billing API', () => {
  test('When a Pack is bought, then its unpaid invoice does not suspend the account, and a signed provider payment credits the Pack once', async () => {
    const { accountId, apiKey } = await onboard(sys, { account: { formula: 'pack' } });
    const bought = await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: apiKey, body: { pack: 'pack-100' } });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({
      purpose: 'pack',
      netCents: 10_000,
      vatCents: 2000,
      totalCents: 12_000,
      payment: { outstandingCents: 12_000 },
    });
    const invoiceId = bought.body.id;
    expect(await pastDue(invoiceId)).toMatchObject({ late: true, suspended: false, penalty: 'not_applicable' });
    expect(await accountStatus(accountId)).toBe('active');
    expect((await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body).toEqual(balance(0, 0));

    const event = {
      id: `evt_${randomUUID()}`,
      type: 'payment.succeeded',
      data: { accountId, invoiceId, amountCents: 12_000, reference: 'pi_123' },
    };
    const bad = await webhook(event, { secret: 'not-the-right-secret-at-all' });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('invalid_signature');
    const stale = await webhook(event, { t: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);
    const ok = await webhook(event);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ received: true, duplicate: false });
    const replay = await webhook(event);
    expect(replay.body).toMatchObject({ received: true, duplicate: true, paymentId: ok.body.paymentId });
    expect(await sys.db('payments').where({ provider_event_id: event.id })).toHaveLength(1);

    expect((await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body).toEqual(balance(10_000, 0));
    expect(await accountStatus(accountId)).toBe('active');

    const detail = await http(sys.baseUrl, 'GET', `/v1/billing/invoices/${invoiceId}`, { token: apiKey });
    expect(detail.body.payment).toMatchObject({ outstandingCents: 0, paidCents: 12_000 });
    const doc = await http(sys.baseUrl, 'GET', `/v1/billing/invoices/${invoiceId}/document`, { token: apiKey });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toMatch(/text\/html/);
    expect(doc.body).toContain(`Facture n° ${detail.body.number}`);
    const xml = await http(sys.baseUrl, 'GET', `/v1/billing/invoices/${invoiceId}/document?format=xml`, {
      token: apiKey,
    });
    expect(xml.headers.get('content-type')).toMatch(/application\/xml/);
    const ledger = await http(sys.baseUrl, 'GET', '/v1/billing/ledger', { token: apiKey });
    expect(ledger.body.entries.map((e: { kind: string; amountE4: number }) => [e.kind, e.amountE4])).toEqual([
      ['top_up', 1_000_000],
    ]);
    const payments = await http(sys.baseUrl, 'GET', '/v1/billing/payments', { token: apiKey });
    expect(payments.body.payments[0]).toMatchObject({
      method: 'payment_provider',
      amountCents: 12_000,
      allocations: [{ invoiceId, amountCents: 12_000 }],
    });

    // Another account sees none of it.
    const other = await onboard(sys, { account: { formula: 'pack' } });
    expect((await http(sys.baseUrl, 'GET', `/v1/billing/invoices/${invoiceId}`, { token: other.apiKey })).status).toBe(
      404,
    );
    expect(
      (
        await http(sys.baseUrl, 'POST', `/v1/billing/invoices/${invoiceId}/disputes`, {
          token: other.apiKey,
          body: { reason: 'not mine at all' },
        })
      ).status,
    ).toBe(404);
  });

  test('When a funded Pack account buys a second Pack, then the unpaid invoice does not suspend it: it keeps sending on its balance, and the new Pack is credited on payment', async () => {
    const { accountId, apiKey } = await onboard(sys, { account: { formula: 'pack' } });
    const pay = (invoiceId: string, amountCents: number) =>
      webhook({
        id: `evt_${randomUUID()}`,
        type: 'payment.succeeded',
        data: { accountId, invoiceId, amountCents, reference: `pi_${invoiceId}` },
      });
    const first = await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: apiKey, body: { pack: 'pack-100' } });
    expect((await pay(first.body.id, 12_000)).status).toBe(200);
    const funded = (await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body.availableCents;
    expect(funded).toBe(10_000);

    const second = await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: apiKey, body: { pack: 'pack-500' } });
    expect(second.status).toBe(201);
    expect(await pastDue(second.body.id)).toMatchObject({ paid: false, late: true, suspended: false });
    expect(await accountStatus(accountId)).toBe('active');
    const sent = await http(sys.baseUrl, 'POST', '/v1/messages', { token: apiKey, body: sms });
    expect(sent.status).toBe(202);
    expect(await accountStatus(accountId)).toBe('active');

    const before = (await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body.availableCents;
    expect((await pay(second.body.id, 60_000)).status).toBe(200);
    const after = (await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body.availableCents;
    expect(after - before).toBe(50_000);
  });

  test('When a dispute is filed in the window, then it is recorded; after the 15th day, it is refused with invoice_deemed_accepted', async () => {
    const { accountId, apiKey } = await onboard(sys, { account: { formula: 'pack' } });
    const bought = await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: apiKey, body: { pack: 'pack-500' } });
    const inTime = await eventually(
      () =>
        http(sys.baseUrl, 'POST', `/v1/billing/invoices/${bought.body.id}/disputes`, {
          token: apiKey,
          body: { reason: 'the quantity is wrong' },
        }),
      (r) => r.status !== 503,
    );
    expect(inTime.status).toBe(201);
    expect(inTime.body).toMatchObject({
      invoiceId: bought.body.id,
      status: 'open',
      deadline: bought.body.disputeDeadline,
    });
    const disputes = await http(sys.baseUrl, 'GET', '/v1/billing/disputes', { token: apiKey });
    expect(disputes.body.disputes).toHaveLength(1);

    const { invoice: old } = await issueInvoice(sys.db, {
      accountId,
      purpose: 'manual',
      lines: [{ description: 'Old', quantity: 1, unitPriceCents: 100 }],
      idemKey: randomUUID(),
      issuedAt: new Date(Date.now() - 17 * 24 * 3600 * 1000),
    });
    const late = await http(sys.baseUrl, 'POST', `/v1/billing/invoices/${old.id}/disputes`, {
      token: apiKey,
      body: { reason: 'the quantity is wrong' },
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'invoice_deemed_accepted', deadline: old.disputeDeadline });
    // Worded from 2026-01's invoiceDispute.
    expect(late.body.detail).toContain('within fifteen (15) calendar days of the invoice being made available');
    const invalid = await http(sys.baseUrl, 'POST', `/v1/billing/invoices/${old.id}/disputes`, {
      token: apiKey,
      body: { reason: 'short' },
    });
    expect(invalid.status).toBe(400);
  });

  test('When billing staff act, then adjustments, credit notes, dispute resolutions, offline payments and legal rates work within their rules and each is audit-logged', async () => {
    const { accountId, apiKey } = await onboard(sys, { account: { formula: 'pack' } });
    const staff = await staffLogin(sys, ['billing']);
    const ops = await staffLogin(sys, ['operations']);
    const base = '/v1/staff/billing';
    const reason = { 'x-access-reason': 'ticket 42: billing question' };

    expect(
      (
        await http(sys.baseUrl, 'POST', `${base}/accounts/${accountId}/adjustments`, {
          token: apiKey,
          body: { amountCents: 500, reason: 'goodwill' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await http(sys.baseUrl, 'POST', `${base}/accounts/${accountId}/adjustments`, {
          token: ops.token,
          body: { amountCents: 500, reason: 'goodwill' },
        })
      ).status,
    ).toBe(403);
    const adj = await http(sys.baseUrl, 'POST', `${base}/accounts/${accountId}/adjustments`, {
      token: staff.token,
      headers: reason,
      body: { amountCents: 500, reason: 'goodwill gesture' },
    });
    expect(adj.status).toBe(201);
    expect(adj.body.balance).toEqual(balance(500, 0));
    const over = await http(sys.baseUrl, 'POST', `${base}/accounts/${accountId}/adjustments`, {
      token: staff.token,
      headers: reason,
      body: { amountCents: -501, reason: 'correction' },
    });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('insufficient_balance');
    expect((await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body).toEqual(balance(500, 0));

    const bought = await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: apiKey, body: { pack: 'pack-100' } });
    const invoiceId = bought.body.id;
    const dispute = await eventually(
      () =>
        http(sys.baseUrl, 'POST', `/v1/billing/invoices/${invoiceId}/disputes`, {
          token: apiKey,
          body: { reason: 'we ordered the small pack' },
        }),
      (r) => r.status !== 503,
    );
    expect(dispute.status).toBe(201);
    expect((await http(sys.baseUrl, 'GET', `${base}/disputes?status=open`, { token: staff.token })).status).toBe(400); // no access reason
    const open = await http(sys.baseUrl, 'GET', `${base}/disputes?status=open`, {
      token: staff.token,
      headers: reason,
    });
    expect(open.body.disputes.map((d: { id: string }) => d.id)).toContain(dispute.body.id);
    const resolved = await http(sys.baseUrl, 'POST', `${base}/disputes/${dispute.body.id}/resolve`, {
      token: staff.token,
      headers: reason,
      body: { outcome: 'credit_note', note: 'partial goodwill credit', amountCents: 2000 },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'credited' });
    const cn = await http(sys.baseUrl, 'GET', `/v1/billing/invoices/${resolved.body.creditNoteId}`, { token: apiKey });
    expect(cn.body).toMatchObject({
      kind: 'credit_note',
      netCents: -2000,
      totalCents: -2400,
      correctsInvoiceId: invoiceId,
    });
    expect(
      (
        await http(sys.baseUrl, 'POST', `${base}/disputes/${dispute.body.id}/resolve`, {
          token: staff.token,
          headers: reason,
          body: { outcome: 'rejected', note: 'second try' },
        })
      ).body.code,
    ).toBe('dispute_already_resolved');

    // Offline transfer for what is left (12 000 − 2 400): the invoice is paid, the pack credited.
    const pay = await http(sys.baseUrl, 'POST', `${base}/accounts/${accountId}/payments`, {
      token: staff.token,
      headers: reason,
      body: { method: 'transfer', reference: 'VIR 2026-11-26', amountCents: 9600, invoiceId },
    });
    expect(pay.status).toBe(201);
    expect(pay.body.allocations).toEqual([{ invoiceId, amountCents: 9600, fullyPaid: true }]);
    expect((await http(sys.baseUrl, 'GET', '/v1/billing/balance', { token: apiKey })).body).toEqual(balance(10_500, 0));
    expect(
      await eventually(
        () => accountStatus(accountId),
        (s) => s === 'active',
      ),
    ).toBe('active');

    const credit = await http(sys.baseUrl, 'POST', `${base}/invoices/${invoiceId}/credit-notes`, {
      token: staff.token,
      headers: reason,
      body: { amountCents: 8001, reason: 'too much' },
    });
    expect(credit.status).toBe(409);
    expect(credit.body.code).toBe('credit_exceeds_invoice');

    const semester = `20${40 + Math.floor(Math.random() * 50)}-S${1 + Math.floor(Math.random() * 2)}`;
    const rate = await http(sys.baseUrl, 'POST', `${base}/legal-rates`, {
      token: staff.token,
      body: { semester, rateBp: 350 },
    });
    if (rate.status === 409)
      expect(rate.body.code).toBe('legal_rate_exists'); // another run took this semester
    else expect(rate.status).toBe(201);
    expect(
      (await http(sys.baseUrl, 'POST', `${base}/legal-rates`, { token: staff.token, body: { semester, rateBp: 351 } }))
        .body.code,
    ).toBe('legal_rate_exists');
    expect(
      (
        await http(sys.baseUrl, 'POST', `${base}/legal-rates`, {
          token: staff.token,
          body: { semester: '2026-S3', rateBp: 351 },
        })
      ).status,
    ).toBe(400);
    const rates = await http(sys.baseUrl, 'GET', `${base}/legal-rates`, { token: staff.token });
    expect(rates.body.rates.map((r: { semester: string }) => r.semester)).toEqual(
      expect.arrayContaining(['2025-S1', '2025-S2', '2026-S1', semester]),
    );

    const actions = (
      await sys.db('audit_log').where({ actor_type: 'staff', actor_id: staff.staffId }).select('action')
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'billing.adjustment',
        'billing.disputes.read',
        'billing.dispute.resolve',
        'billing.payment.record',
      ]),
    );
    expect(actions.filter((a) => a === 'billing.adjustment')).toHaveLength(1); // the refused debit wrote nothing
  });

  test('When a subscription account registers, then its plan and monthly billing cycle start; quotes use the launch price list', async () => {
    const { accountId, apiKey } = await onboard(sys);
    expect(await sys.db('subscriptions').where({ account_id: accountId }).first()).toBeDefined();
    const d = await sys.client.workflow.getHandle(subscriptionBillingWorkflowId(accountId)).describe();
    expect(['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW']).toContain(d.status.name);
    const q = await http(sys.baseUrl, 'POST', '/v1/billing/quotes', {
      token: apiKey,
      body: { channel: 'sms', lines: [{ country: 'FR', segments: 1, quantity: 1000 }] },
    });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ totalCents: 4500, lines: [{ country: 'FR', priceE4: 450 }] });
    expect(
      (await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: apiKey, body: { pack: 'pack-100' } })).body.code,
    ).toBe('not_a_pack_account');
  });
});
