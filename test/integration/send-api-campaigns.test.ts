// The campaign routes over HTTP (draft, CSV upload, start, pause / resume / cancel) against the
// real carrier simulator, Postgres, Temporal and send worker (test/support/send-api.ts): upload
// order and rejections, COPY batches, delivery of every recipient once, 402 on overdraft.
import { type CarrierSimulator } from '../../simulator';
import { sendApiSuite, type Account } from '../support/send-api';
import { Readable } from 'node:stream';
import { topUp } from '../../lib/ledger-funding';
import { ingestRecipients } from '../../api/recipient-upload';
import { csvRows } from '../../api/recipient-upload-sources';
import { type System, eventually, onboard } from '../support/system';

describe('send API: campaigns', () => {
  const suite = sendApiSuite('send-api-campaigns', 2);
  const { api, uploadCsv, phone } = suite;
  let sim: CarrierSimulator;
  let sys: System;
  let acme: Account;
  beforeAll(() => {
    ({ sim, sys, acme } = suite);
  });

  test(
    'When a CSV with bad rows is uploaded, then the accepted rows are numbered in upload order and every ' +
      'rejection is counted with its reason',
    async () => {
      const created = await api(acme, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Hello {{first}}',
        sender: 'Acme',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const [a, b, c, d, s] = [phone(), phone(), phone(), phone(), phone()];
      await sys
        .db('suppressions')
        .insert({ account_id: acme.accountId, channel: 'sms', address: s, reason: 'stop', source: 'stop' });
      const csv = [
        'to,first,last',
        `${a},Ann,A`, // 1 ok → seq 1
        'not-a-number,Bob,B', // 2 invalid_phone
        `${b},Cid,C`, // 3 ok → seq 2
        `${a},Ann,again`, // 4 duplicate of row 1
        `${s},Sue,S`, // 5 suppressed
        `${c},,C`, // 6 missing_variable (empty)
        `${d},Dan`, // 7 malformed_row (2 fields of 3)
        '"+33 6 12",Eve,E', // 8 invalid_phone
        `${d.replace('+33', '0')},Dan,D`, // 9 national form of d → ok → seq 3
        '',
      ].join('\n');
      const up = await uploadCsv(acme, id, csv);
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({
        rows: 9,
        accepted: 3,
        rejected: { invalid_phone: 2, duplicate: 1, suppressed: 1, missing_variable: 1, malformed_row: 1 },
      });
      const msgs = await sys
        .db('messages')
        .where({ order_id: id })
        .orderBy('seq')
        .select('seq', 'recipient', 'vars', 'status', 'price_e4');
      expect(msgs).toEqual([
        { seq: 1, recipient: a, vars: { first: 'Ann' }, status: 'queued', price_e4: 450 },
        { seq: 2, recipient: b, vars: { first: 'Cid' }, status: 'queued', price_e4: 450 },
        { seq: 3, recipient: d, vars: { first: 'Dan' }, status: 'queued', price_e4: 450 },
      ]);
      const dup = await api(acme, 'GET', `/v1/campaigns/${id}/rejections?reason=duplicate`);
      expect(dup.body.items).toEqual([{ row: 4, value: a, reason: 'duplicate' }]);
      const all = await api(acme, 'GET', `/v1/campaigns/${id}/rejections?limit=4`);
      expect(all.body.items).toHaveLength(4);
      const rest = await api(acme, 'GET', `/v1/campaigns/${id}/rejections?limit=4&after=${all.body.next}`);
      expect(rest.body.items).toHaveLength(2);
      const view = await api(acme, 'GET', `/v1/campaigns/${id}`);
      expect(view.body).toMatchObject({ status: 'ready', total: 3, rejected: 6, counts: { queued: 3 } });

      // A second upload replaces the first; a header without the template's variable is refused.
      const again = await uploadCsv(acme, id, `to,first\n${a},Ann\n`);
      expect(again.body).toMatchObject({ accepted: 1, rejected: {} });
      const noColumn = await uploadCsv(acme, id, `to,last\n${a},A\n`);
      expect(noColumn).toMatchObject({ status: 422, body: { code: 'missing_variable', missing: ['first'] } });
      const badHeader = await uploadCsv(acme, id, `phone,first\n${a},Ann\n`);
      expect(badHeader).toMatchObject({ status: 400, body: { code: 'invalid_csv_header' } });
      const broken = await uploadCsv(acme, id, `to,first\n"${a},Ann\n`);
      expect(broken).toMatchObject({ status: 400, body: { code: 'malformed_csv' } });
      expect(await sys.db('messages').where({ order_id: id }).count({ n: '*' })).toEqual([{ n: '1' }]);
    },
  );

  test(
    'When an upload spans several COPY batches, then duplicates across batches are dropped and seq stays ' +
      'contiguous in upload order',
    async () => {
      const created = await api(acme, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Hi {{n}}',
      });
      const id = created.body.id as string;
      const [a, b, c, d, e, s] = [phone(), phone(), phone(), phone(), phone(), phone()];
      await sys
        .db('suppressions')
        .insert({ account_id: acme.accountId, channel: 'sms', address: s, reason: 'stop', source: 'stop' });
      // Batches of 3 rows: [a b a] [c s b] [bad d a] [e]
      const csv = `to,n\n${a},1\n${b},2\n${a},3\n${c},4\n${s},5\n${b},6\nbad,7\n${d},8\n${a},9\n${e},10\n`;
      const result = await ingestRecipients(
        sys.db,
        {
          orderId: id,
          accountId: acme.accountId,
          channel: 'sms',
          purpose: 'transactional',
          template: 'Hi {{n}}',
          subject: null,
          defaultCountry: 'FR',
        },
        [Readable.from([csv]), ...csvRows(['n'])],
        { optOutMention: 'STOP au 36180', maxRows: 100, batchRows: 3 },
      );
      expect(result).toMatchObject({
        rows: 10,
        accepted: 5,
        rejected: { duplicate: 3, suppressed: 1, invalid_phone: 1 },
      });
      const msgs = await sys.db('messages').where({ order_id: id }).orderBy('seq').select('seq', 'recipient', 'vars');
      expect(msgs).toEqual(
        [
          [1, a, '1'],
          [2, b, '2'],
          [3, c, '4'],
          [4, d, '8'],
          [5, e, '10'],
        ].map(([seq, recipient, n]) => ({ seq, recipient, vars: { n } })),
      );
      const rej = await sys
        .db('recipient_rejections')
        .where({ order_id: id })
        .orderBy('row_no')
        .select('row_no', 'reason');
      expect(rej).toEqual(
        [
          [3, 'duplicate'],
          [5, 'suppressed'],
          [6, 'duplicate'],
          [7, 'invalid_phone'],
          [9, 'duplicate'],
        ].map(([row_no, reason]) => ({ row_no, reason })),
      );
    },
  );

  test(
    'When a CSV campaign is started, then every accepted recipient is sent once and delivered, and the ' +
      'campaign completes',
    async () => {
      const created = await api(acme, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Code {{code}}',
        sender: 'Acme',
      });
      const id = created.body.id as string;
      const rows = Array.from({ length: 40 }, (_, i) => `${phone()},${1000 + i}`);
      expect((await uploadCsv(acme, id, `to,code\n${rows.join('\n')}\n`)).body).toMatchObject({ accepted: 40 });
      const started = await api(acme, 'POST', `/v1/campaigns/${id}/start`);
      expect(started.status).toBe(202);
      // 40 × 450 e4 = 1.80 €
      expect(started.body.order).toMatchObject({ totalE4: 18_000, totalCents: 180, reservedE4: 18_000 });
      const done = await eventually(
        () => api(acme, 'GET', `/v1/campaigns/${id}`),
        (r) => r.body.status === 'completed' && r.body.counts.delivered === 40,
        60_000,
      );
      expect(done.body.counts).toEqual({ delivered: 40 });
      const ids = await sys.db('messages').where({ order_id: id }).pluck('id');
      expect(ids.map((m: string) => sim.acceptedCount(String(m)))).toEqual(ids.map(() => 1));
      const again = await api(acme, 'POST', `/v1/campaigns/${id}/start`);
      // The problem's `status` is the HTTP status (RFC 9457); the campaign's is `campaignStatus`.
      expect(again).toMatchObject({
        status: 409,
        body: { status: 409, code: 'campaign_finished', campaignStatus: 'completed' },
      });
    },
  );

  test(
    'When a scheduled campaign is paused, resumed and then cancelled before its start, then nothing is ' +
      'sent and the reservation is released',
    async () => {
      const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await api(acme, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Later',
        scheduledAt,
        recipients: [{ to: phone() }, { to: phone() }],
      });
      const id = created.body.id as string;
      const started = await api(acme, 'POST', `/v1/campaigns/${id}/start`);
      expect(started).toMatchObject({
        status: 202,
        body: { status: 'scheduled', scheduledAt, order: { totalCents: 9 } },
      });
      expect((await api(acme, 'POST', `/v1/campaigns/${id}/start`)).status).toBe(202); // idempotent
      expect(await sys.db('ledger_entries').where({ order_id: id, kind: 'reservation' }).count({ n: '*' })).toEqual([
        { n: '1' },
      ]);
      const paused = await api(acme, 'POST', `/v1/campaigns/${id}/pause`);
      expect(paused.status).toBe(200);
      expect((await api(acme, 'POST', `/v1/campaigns/${id}/resume`)).status).toBe(200);
      const cancelled = await api(acme, 'POST', `/v1/campaigns/${id}/cancel`);
      expect(cancelled.status).toBe(200);
      const view = await eventually(
        () => api(acme, 'GET', `/v1/campaigns/${id}`),
        (r) => r.body.status === 'cancelled',
        30_000,
      );
      expect(view.body).toMatchObject({ status: 'cancelled', counts: { cancelled: 2 } });
      const order = await eventually(
        () => sys.db('orders').where({ id }).first(),
        (o) => o?.status === 'settled',
      );
      expect(Number(order.consumed_e4)).toBe(0);
      const ids = await sys.db('messages').where({ order_id: id }).pluck('id');
      expect(ids.map((m: string) => sim.acceptedCount(String(m)))).toEqual([0, 0]);
      expect(await api(acme, 'POST', `/v1/campaigns/${id}/pause`)).toMatchObject({
        status: 409,
        body: { status: 409, code: 'campaign_not_running', campaignStatus: 'cancelled' },
      });
    },
  );

  test('When a campaign would overdraw a Pack balance, then it is refused with 402 and nothing is sent', async () => {
    const pack = await onboard(sys, { account: { formula: 'pack' } });
    await topUp(sys.db, {
      accountId: pack.accountId,
      amountCents: 100,
      source: { kind: 'adjustment', ref: `t-${pack.accountId}` },
    });
    const created = await api(pack, 'POST', '/v1/campaigns', {
      channel: 'sms',
      purpose: 'transactional',
      template: 'Hi',
      sender: 'Acme',
    });
    const id = created.body.id as string;
    const rows = Array.from({ length: 300 }, () => phone());
    expect((await uploadCsv(pack, id, `to\n${rows.join('\n')}\n`)).body).toMatchObject({ accepted: 300 });
    const before = sim.stats();
    const res = await api(pack, 'POST', `/v1/campaigns/${id}/start`);
    expect(res.status).toBe(402);
    // 300 × 450 e4 = 13.50 €
    expect(res.body).toMatchObject({
      code: 'insufficient_balance',
      availableE4: 10_000,
      requestedE4: 135_000,
      availableCents: 100,
      requestedCents: 1350,
    });
    expect(await sys.db('orders').where({ id }).first()).toBeUndefined();
    expect((await api(pack, 'GET', `/v1/campaigns/${id}`)).body).toMatchObject({
      status: 'ready',
      counts: { queued: 300 },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.stats()).toEqual(before);
    // A single send beyond the balance too.
    await topUp(sys.db, {
      accountId: pack.accountId,
      amountCents: 1,
      source: { kind: 'adjustment', ref: `t2-${pack.accountId}` },
    });
    const single = await api(pack, 'POST', '/v1/messages', {
      channel: 'sms',
      purpose: 'transactional',
      to: phone(),
      body: 'x'.repeat(5000),
    });
    // 5,000 GSM-7 characters = 33 segments × 450 e4 = 1.4850 € (149 cents needed to cover it).
    expect(single.body).toMatchObject({
      code: 'insufficient_balance',
      availableE4: 10_100,
      requestedE4: 14_850,
      availableCents: 101,
      requestedCents: 149,
    });
  });
});
