// The single-send routes over HTTP (POST /v1/messages, GET /v1/messages/:id) against the real
// carrier simulator, Postgres, Temporal and send worker (test/support/send-api.ts): pricing,
// reservation, Idempotency-Key, refusals with nothing written, suspension, other accounts.
import { type CarrierSimulator } from '../../simulator';
import { sendApiSuite, type Account } from '../support/send-api';
import { topUp } from '../../lib/ledger-funding';
import { checkLedger } from '../support/billing';
import { type System, eventually, onboard } from '../support/system';

describe('send API: single sends', () => {
  const suite = sendApiSuite('send-api-single', 1);
  const { api, uploadCsv, message, phone } = suite;
  let sim: CarrierSimulator;
  let sys: System;
  let acme: Account;
  beforeAll(() => {
    ({ sim, sys, acme } = suite);
  });

  test(
    'When a single SMS is sent, then it is priced, reserved, handed to the carrier exactly once, and ends ' +
      'delivered with its full history',
    async () => {
      const to = phone();
      const res = await api(acme, 'POST', '/v1/messages', {
        channel: 'sms',
        purpose: 'marketing',
        to,
        body: 'Bonjour {{name}}',
        vars: { name: 'Alice' },
        sender: 'Acme',
      });
      expect(res.status).toBe(202);
      // Marketing to France: "Bonjour Alice\nSTOP au 36180" is one GSM-7 segment at 450 e4: the ledger
      // reserves and consumes exactly 0.0450 € (never 5 cents); totalCents is the display rounding.
      expect(res.body).toMatchObject({
        status: 'queued',
        to,
        country: 'FR',
        segments: 1,
        priceE4: 450,
        order: { totalE4: 450, totalCents: 5, reservedE4: 450 },
      });
      const id = res.body.id as string;
      const final = await eventually(
        () => message(id),
        (m) => m?.status === 'delivered',
      );
      expect(final).toMatchObject({ status: 'delivered', carrier_error: null });
      expect(final.carrier_id).toMatch(/^SM/);
      expect(sim.acceptedCount(id)).toBe(1);
      expect(sim.records({ mid: id })[0]).toMatchObject({ to, from: 'Acme', body: 'Bonjour Alice\nSTOP au 36180' });
      const got = await api(acme, 'GET', `/v1/messages/${id}`);
      expect(got.status).toBe(200);
      expect(got.body.history.map((h: { status: string }) => h.status)).toEqual(
        expect.arrayContaining(['accepted', 'carrier:sent', 'carrier:delivered']),
      );
      const order = await eventually(
        () => sys.db('orders').where({ id: res.body.orderId }).first(),
        (o) => o?.status === 'settled',
      );
      expect(Number(order.consumed_e4)).toBe(450);
      const consumed = await sys
        .db('ledger_entries')
        .where({ order_id: res.body.orderId, kind: 'consumption' })
        .sum({ s: 'amount_e4' })
        .first();
      expect(Number(consumed?.s)).toBe(450);
    },
  );

  test(
    'When the same Idempotency-Key comes back, then the same body gets the same message and a different ' +
      'body gets 409 idempotency_key_reused',
    async () => {
      const body = { channel: 'sms', purpose: 'transactional', to: phone(), body: 'Code 1234' };
      const key = { 'idempotency-key': `k-${Date.now()}` };
      const first = await api(acme, 'POST', '/v1/messages', body, key);
      const again = await api(acme, 'POST', '/v1/messages', body, key);
      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      expect(
        await sys.db('orders').where({ account_id: acme.accountId, id: first.body.orderId }).count({ n: '*' }),
      ).toEqual([{ n: '1' }]);
      const other = await api(acme, 'POST', '/v1/messages', { ...body, body: 'Code 9999' }, key);
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('idempotency_key_reused');
    },
  );

  test('When a send is malformed, then it is refused with a stable code and nothing is written', async () => {
    const before = await sys.db('orders').where({ account_id: acme.accountId }).count({ n: '*' });
    const cases: [unknown, number, string][] = [
      [{ channel: 'sms', purpose: 'transactional', to: '+33 1', body: 'x' }, 422, 'invalid_phone'],
      [{ channel: 'email', purpose: 'transactional', to: 'nobody@', body: 'x', subject: 's' }, 422, 'invalid_email'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'x', colour: 'red' }, 400, 'validation_failed'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'Hi {{name}}' }, 422, 'missing_variable'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'Hi {{na me}}' }, 422, 'invalid_template'],
      [{ channel: 'email', purpose: 'transactional', to: 'a@example.com', body: 'x' }, 422, 'subject_required'],
      [
        { channel: 'sms', purpose: 'transactional', to: phone(), body: 'x', sender: 'not a valid sender!' },
        422,
        'invalid_sender',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await api(acme, 'POST', '/v1/messages', body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    }
    expect(await sys.db('orders').where({ account_id: acme.accountId }).count({ n: '*' })).toEqual(before);
  });

  test(
    'When a Pack account has no balance, then a single e-mail (0.0010 €) is refused with 402 and nothing ' +
      'is written; with 1 cent, ten are accepted, each consuming 10 e4, and the eleventh is refused',
    async () => {
      const pack = await onboard(sys, { account: { formula: 'pack' } });
      const email = (n: number) => ({
        channel: 'email',
        purpose: 'transactional',
        to: `edge${n}-${pack.accountId}@example.com`,
        subject: 'Hi',
        body: 'Hello',
      });
      const zero = await api(pack, 'POST', '/v1/messages', email(0));
      expect(zero.status).toBe(402);
      expect(zero.body).toMatchObject({
        code: 'insufficient_balance',
        availableE4: 0,
        requestedE4: 10,
        availableCents: 0,
        requestedCents: 1,
      });
      expect(await sys.db('orders').where({ account_id: pack.accountId })).toEqual([]);
      expect(await sys.db('messages').where({ account_id: pack.accountId })).toEqual([]);
      expect(await sys.db('ledger_entries').where({ account_id: pack.accountId })).toEqual([]);

      await topUp(sys.db, {
        accountId: pack.accountId,
        amountCents: 1,
        source: { kind: 'adjustment', ref: `edge-${pack.accountId}` },
      });
      for (let n = 1; n <= 10; n++) {
        const ok = await api(pack, 'POST', '/v1/messages', email(n));
        expect([ok.status, ok.body.order]).toEqual([
          202,
          expect.objectContaining({ totalE4: 10, reservedE4: 10, overageE4: 0 }),
        ]);
      }
      const eleventh = await api(pack, 'POST', '/v1/messages', email(11));
      expect(eleventh.body).toMatchObject({ code: 'insufficient_balance', availableE4: 0, requestedE4: 10 });
      const orders = await eventually(
        () => sys.db('orders').where({ account_id: pack.accountId }),
        (o) => o.length === 10 && o.every((x) => x.status === 'settled'),
        30_000,
      );
      expect(orders.map((o) => Number(o.consumed_e4))).toEqual(Array(10).fill(10));
      const ledger = await checkLedger(sys.db, pack.accountId);
      expect([
        ledger.available,
        ledger.reserved,
        ledger.sumAvailable,
        ledger.sumReserved,
        ledger.untraced,
        ledger.overdrawnFunding,
      ]).toEqual([0, 0, 0, 0, 0, 0]);
    },
  );

  test(
    'When the account is suspended, then sends, uploads and starts are ' + 'refused with 403 account_suspended',
    async () => {
      const late = await onboard(sys);
      const created = await api(late, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Hi',
        recipients: [{ to: phone() }],
      });
      await sys
        .db('accounts')
        .where({ id: late.accountId })
        .update({
          status: 'suspended',
          suspensions: JSON.stringify([{ kind: 'late_payment', ref: 'F-1', since: new Date().toISOString() }]),
        });
      const refused = [
        await api(late, 'POST', '/v1/messages', { channel: 'sms', purpose: 'transactional', to: phone(), body: 'x' }),
        await api(late, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi' }),
        await uploadCsv(late, created.body.id, `to\n${phone()}\n`),
        await api(late, 'POST', `/v1/campaigns/${created.body.id}/start`),
      ];
      expect(refused.map((r) => [r.status, r.body.code])).toEqual(refused.map(() => [403, 'account_suspended']));
      expect((await api(late, 'GET', `/v1/campaigns/${created.body.id}`)).status).toBe(200);
    },
  );

  test("When an account asks for another account's campaign or message, then it gets 404", async () => {
    const other = await onboard(sys);
    const created = await api(acme, 'POST', '/v1/campaigns', {
      channel: 'sms',
      purpose: 'transactional',
      template: 'Hi',
      recipients: [{ to: phone() }],
    });
    expect(created.body).toMatchObject({ status: 'ready', upload: { accepted: 1 } });
    const id = created.body.id as string;
    const msg = await sys.db('messages').where({ order_id: id }).first('id');
    for (const [method, path] of [
      ['GET', `/v1/campaigns/${id}`],
      ['GET', `/v1/campaigns/${id}/rejections`],
      ['POST', `/v1/campaigns/${id}/start`],
      ['POST', `/v1/campaigns/${id}/pause`],
      ['GET', `/v1/messages/${msg.id}`],
    ] as const) {
      expect({ path, status: (await api(other, method, path)).status }).toEqual({ path, status: 404 });
    }
    const csv = await uploadCsv(other, id, 'to\n+33612345678\n');
    expect(csv.status).toBe(404);
    expect((await api(acme, 'POST', `/v1/campaigns/${id}/cancel`)).body).toEqual({ id, status: 'cancelled' });
  });
});
