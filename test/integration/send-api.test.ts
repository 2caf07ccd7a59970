// The send API over HTTP against the real carrier simulator, Postgres, the Temporal dev server,
// a real lifecycle worker (campaign workflow) and a real send worker (ENGINE's activities).
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { topUp } from '../../lib/ledger';
import { checkLedger } from '../support/billing';
import { startSystem, http, onboard, eventually, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { Readable } from 'node:stream';
import { csvRows, ingestRecipients } from '../../api/recipient-upload';
import { applyStatusEvents, type StatusEvent } from '../../api/carrier-webhooks';

type Account = Awaited<ReturnType<typeof onboard>>;

describe('send API', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  let acme: Account;
  const sendQueue = uniqueQueue('send-api');
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startCarrierSimulator();
    // The API verifies the simulator's signatures with the simulator's credentials, and the
    // campaigns it starts run on this test's own send queue.
    Object.assign(process.env, {
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid, TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sim.sendgrid.webhookPublicKey, SEND_TASK_QUEUE: sendQueue,
    });
    sys = await startSystem();
    sim.configure({ twilio: { inboundUrl: `${sys.baseUrl}/webhooks/twilio/inbound` }, sendgrid: { eventWebhookUrl: `${sys.baseUrl}/webhooks/sendgrid/events` } });
    sender = await startSendWorker({ sys, sim, taskQueue: sendQueue, concurrency: 16, email: true, retry: { attempts: 5, baseMs: 5, maxMs: 50 } });
    acme = await onboard(sys);
  });

  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
    for (const k of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SENDGRID_WEBHOOK_PUBLIC_KEY', 'SEND_TASK_QUEUE']) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  });

  const api = (a: Account, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    http(sys.baseUrl, method, path, { token: a.apiKey, body, headers });
  const uploadCsv = (a: Account, campaignId: string, csv: string) =>
    http(sys.baseUrl, 'PUT', `/v1/campaigns/${campaignId}/recipients`, { token: a.apiKey, raw: csv, headers: { 'content-type': 'text/csv' } });
  const message = (id: string) => sys.db('messages').where({ id }).first();
  let n = 0;
  const phone = () => `+3361${String(process.pid % 1000).padStart(3, '0')}${String(++n).padStart(4, '0')}`;

  /** A status callback signed as Twilio signs it (the simulator's auth token = ours). */
  const twilioCallback = (path: string, params: Record<string, string>, token = sim.twilio.authToken) => {
    const url = `${sys.baseUrl}${path}`;
    return http(sys.baseUrl, 'POST', path, {
      raw: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(token, url, params) },
    });
  };

  test('When a single SMS is sent, then it is priced, reserved, handed to the carrier exactly once, and ends delivered with its full history', async () => {
    const to = phone();
    const res = await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Bonjour {{name}}', vars: { name: 'Alice' }, sender: 'Acme' });
    expect(res.status).toBe(202);
    // Marketing to France: "Bonjour Alice\nSTOP au 36180" is one GSM-7 segment at 450 e4: the ledger
    // reserves and consumes exactly 0.0450 € (never 5 cents); totalCents is the display rounding.
    expect(res.body).toMatchObject({ status: 'queued', to, country: 'FR', segments: 1, priceE4: 450, order: { totalE4: 450, totalCents: 5, reservedE4: 450 } });
    const id = res.body.id as string;
    const final = await eventually(() => message(id), (m) => m?.status === 'delivered');
    expect(final).toMatchObject({ status: 'delivered', carrier_error: null });
    expect(final.carrier_id).toMatch(/^SM/);
    expect(sim.acceptedCount(id)).toBe(1);
    expect(sim.records({ mid: id })[0]).toMatchObject({ to, from: 'Acme', body: 'Bonjour Alice\nSTOP au 36180' });
    const got = await api(acme, 'GET', `/v1/messages/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.history.map((h: { status: string }) => h.status)).toEqual(expect.arrayContaining(['accepted', 'carrier:sent', 'carrier:delivered']));
    const order = await eventually(() => sys.db('orders').where({ id: res.body.orderId }).first(), (o) => o?.status === 'settled');
    expect(Number(order.consumed_e4)).toBe(450);
    const consumed = await sys.db('ledger_entries').where({ order_id: res.body.orderId, kind: 'consumption' }).sum({ s: 'amount_e4' }).first();
    expect(Number(consumed?.s)).toBe(450);
  });

  test('When the same Idempotency-Key comes back, then the same body gets the same message and a different body gets 409 idempotency_key_reused', async () => {
    const body = { channel: 'sms', purpose: 'transactional', to: phone(), body: 'Code 1234' };
    const key = { 'idempotency-key': `k-${Date.now()}` };
    const first = await api(acme, 'POST', '/v1/messages', body, key);
    const again = await api(acme, 'POST', '/v1/messages', body, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(await sys.db('orders').where({ account_id: acme.accountId, id: first.body.orderId }).count({ n: '*' })).toEqual([{ n: '1' }]);
    const other = await api(acme, 'POST', '/v1/messages', { ...body, body: 'Code 9999' }, key);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  test('When a send is malformed, then it is refused with a stable code and nothing is written', async () => {
    const before = await sys.db('orders').where({ account_id: acme.accountId }).count({ n: '*' });
    const cases: [unknown, number, string][] = [
      [{ channel: 'sms', purpose: 'transactional', to: '+33 1', body: 'x' }, 422, 'invalid_phone'],
      [{ channel: 'email', purpose: 'transactional', to: 'nobody@', body: 'x', subject: 's' }, 422, 'invalid_email'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'x', colour: 'red' }, 400, 'validation_failed'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'Hi {{name}}' }, 422, 'missing_variable'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'Hi {{na me}}' }, 422, 'invalid_template'],
      [{ channel: 'email', purpose: 'transactional', to: 'a@example.com', body: 'x' }, 422, 'subject_required'],
      [{ channel: 'sms', purpose: 'transactional', to: phone(), body: 'x', sender: 'not a valid sender!' }, 422, 'invalid_sender'],
    ];
    for (const [body, status, code] of cases) {
      const res = await api(acme, 'POST', '/v1/messages', body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    }
    expect(await sys.db('orders').where({ account_id: acme.accountId }).count({ n: '*' })).toEqual(before);
  });

  test('When a CSV with bad rows is uploaded, then the accepted rows are numbered in upload order and every rejection is counted with its reason', async () => {
    const created = await api(acme, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hello {{first}}', sender: 'Acme' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const [a, b, c, d, s] = [phone(), phone(), phone(), phone(), phone()];
    await sys.db('suppressions').insert({ account_id: acme.accountId, channel: 'sms', address: s, reason: 'stop' });
    const csv = [
      'to,first,last',
      `${a},Ann,A`,               // 1 ok → seq 1
      'not-a-number,Bob,B',       // 2 invalid_phone
      `${b},Cid,C`,               // 3 ok → seq 2
      `${a},Ann,again`,           // 4 duplicate of row 1
      `${s},Sue,S`,               // 5 suppressed
      `${c},,C`,                  // 6 missing_variable (empty)
      `${d},Dan`,                 // 7 malformed_row (2 fields of 3)
      '"+33 6 12",Eve,E',         // 8 invalid_phone
      `${d.replace('+33', '0')},Dan,D`, // 9 national form of d → ok → seq 3
      '',
    ].join('\n');
    const up = await uploadCsv(acme, id, csv);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ rows: 9, accepted: 3, rejected: { invalid_phone: 2, duplicate: 1, suppressed: 1, missing_variable: 1, malformed_row: 1 } });
    const msgs = await sys.db('messages').where({ order_id: id }).orderBy('seq').select('seq', 'recipient', 'vars', 'status', 'price_e4');
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
  });

  test('When an upload spans several COPY batches, then duplicates across batches are dropped and seq stays contiguous in upload order', async () => {
    const created = await api(acme, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi {{n}}' });
    const id = created.body.id as string;
    const [a, b, c, d, e, s] = [phone(), phone(), phone(), phone(), phone(), phone()];
    await sys.db('suppressions').insert({ account_id: acme.accountId, channel: 'sms', address: s, reason: 'stop' });
    // Batches of 3 rows: [a b a] [c s b] [bad d a] [e]
    const csv = `to,n\n${a},1\n${b},2\n${a},3\n${c},4\n${s},5\n${b},6\nbad,7\n${d},8\n${a},9\n${e},10\n`;
    const result = await ingestRecipients(sys.db, {
      orderId: id, accountId: acme.accountId, channel: 'sms', purpose: 'transactional', template: 'Hi {{n}}', subject: null, defaultCountry: 'FR',
    }, [Readable.from([csv]), ...csvRows(['n'])], { optOutMention: 'STOP au 36180', maxRows: 100, batchRows: 3 });
    expect(result).toMatchObject({ rows: 10, accepted: 5, rejected: { duplicate: 3, suppressed: 1, invalid_phone: 1 } });
    const msgs = await sys.db('messages').where({ order_id: id }).orderBy('seq').select('seq', 'recipient', 'vars');
    expect(msgs).toEqual([[1, a, '1'], [2, b, '2'], [3, c, '4'], [4, d, '8'], [5, e, '10']].map(([seq, recipient, n]) => ({ seq, recipient, vars: { n } })));
    const rej = await sys.db('recipient_rejections').where({ order_id: id }).orderBy('row_no').select('row_no', 'reason');
    expect(rej).toEqual([[3, 'duplicate'], [5, 'suppressed'], [6, 'duplicate'], [7, 'invalid_phone'], [9, 'duplicate']].map(([row_no, reason]) => ({ row_no, reason })));
  });

  test('When a CSV campaign is started, then every accepted recipient is sent once and delivered, and the campaign completes', async () => {
    const created = await api(acme, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Code {{code}}', sender: 'Acme' });
    const id = created.body.id as string;
    const rows = Array.from({ length: 40 }, (_, i) => `${phone()},${1000 + i}`);
    expect((await uploadCsv(acme, id, `to,code\n${rows.join('\n')}\n`)).body).toMatchObject({ accepted: 40 });
    const started = await api(acme, 'POST', `/v1/campaigns/${id}/start`);
    expect(started.status).toBe(202);
    expect(started.body.order).toMatchObject({ totalE4: 18_000, totalCents: 180, reservedE4: 18_000 }); // 40 × 450 e4 = 1.80 €
    const done = await eventually(() => api(acme, 'GET', `/v1/campaigns/${id}`), (r) => r.body.status === 'completed' && r.body.counts.delivered === 40, 60_000);
    expect(done.body.counts).toEqual({ delivered: 40 });
    const ids = await sys.db('messages').where({ order_id: id }).pluck('id');
    expect(ids.map((m: string) => sim.acceptedCount(String(m)))).toEqual(ids.map(() => 1));
    const again = await api(acme, 'POST', `/v1/campaigns/${id}/start`);
    expect(again).toMatchObject({ status: 409, body: { code: 'campaign_finished' } });
  });

  test('When a scheduled campaign is paused, resumed and then cancelled before its start, then nothing is sent and the reservation is released', async () => {
    const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await api(acme, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Later', scheduledAt, recipients: [{ to: phone() }, { to: phone() }] });
    const id = created.body.id as string;
    const started = await api(acme, 'POST', `/v1/campaigns/${id}/start`);
    expect(started).toMatchObject({ status: 202, body: { status: 'scheduled', scheduledAt, order: { totalCents: 9 } } });
    expect((await api(acme, 'POST', `/v1/campaigns/${id}/start`)).status).toBe(202); // idempotent
    expect(await sys.db('ledger_entries').where({ order_id: id, kind: 'reservation' }).count({ n: '*' })).toEqual([{ n: '1' }]);
    const paused = await api(acme, 'POST', `/v1/campaigns/${id}/pause`);
    expect(paused.status).toBe(200);
    expect((await api(acme, 'POST', `/v1/campaigns/${id}/resume`)).status).toBe(200);
    const cancelled = await api(acme, 'POST', `/v1/campaigns/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    const view = await eventually(() => api(acme, 'GET', `/v1/campaigns/${id}`), (r) => r.body.status === 'cancelled', 30_000);
    expect(view.body).toMatchObject({ status: 'cancelled', counts: { cancelled: 2 } });
    const order = await eventually(() => sys.db('orders').where({ id }).first(), (o) => o?.status === 'settled');
    expect(Number(order.consumed_e4)).toBe(0);
    const ids = await sys.db('messages').where({ order_id: id }).pluck('id');
    expect(ids.map((m: string) => sim.acceptedCount(String(m)))).toEqual([0, 0]);
    expect((await api(acme, 'POST', `/v1/campaigns/${id}/pause`))).toMatchObject({ status: 409, body: { code: 'campaign_not_running' } });
  });

  test('When a campaign would overdraw a Pack balance, then it is refused with 402 and nothing is sent', async () => {
    const pack = await onboard(sys, { account: { formula: 'pack' } });
    await topUp(sys.db, { accountId: pack.accountId, amountCents: 100, source: { kind: 'adjustment', ref: `t-${pack.accountId}` } });
    const created = await api(pack, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi', sender: 'Acme' });
    const id = created.body.id as string;
    const rows = Array.from({ length: 300 }, () => phone());
    expect((await uploadCsv(pack, id, `to\n${rows.join('\n')}\n`)).body).toMatchObject({ accepted: 300 });
    const before = sim.stats();
    const res = await api(pack, 'POST', `/v1/campaigns/${id}/start`);
    expect(res.status).toBe(402);
    // 300 × 450 e4 = 13.50 €
    expect(res.body).toMatchObject({ code: 'insufficient_balance', availableE4: 10_000, requestedE4: 135_000, availableCents: 100, requestedCents: 1350 });
    expect(await sys.db('orders').where({ id }).first()).toBeUndefined();
    expect((await api(pack, 'GET', `/v1/campaigns/${id}`)).body).toMatchObject({ status: 'ready', counts: { queued: 300 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.stats()).toEqual(before);
    // A single send beyond the balance too.
    await topUp(sys.db, { accountId: pack.accountId, amountCents: 1, source: { kind: 'adjustment', ref: `t2-${pack.accountId}` } });
    const single = await api(pack, 'POST', '/v1/messages', { channel: 'sms', purpose: 'transactional', to: phone(), body: 'x'.repeat(5000) });
    // 5,000 GSM-7 characters = 33 segments × 450 e4 = 1.4850 € (149 cents needed to cover it).
    expect(single.body).toMatchObject({ code: 'insufficient_balance', availableE4: 10_100, requestedE4: 14_850, availableCents: 101, requestedCents: 149 });
  });

  test('When a Pack account has no balance, then a single e-mail (0.0010 €) is refused with 402 and nothing is written; with 1 cent, ten are accepted, each consuming 10 e4, and the eleventh is refused', async () => {
    const pack = await onboard(sys, { account: { formula: 'pack' } });
    const email = (n: number) => ({ channel: 'email', purpose: 'transactional', to: `edge${n}-${pack.accountId}@example.com`, subject: 'Hi', body: 'Hello' });
    const zero = await api(pack, 'POST', '/v1/messages', email(0));
    expect(zero.status).toBe(402);
    expect(zero.body).toMatchObject({ code: 'insufficient_balance', availableE4: 0, requestedE4: 10, availableCents: 0, requestedCents: 1 });
    expect(await sys.db('orders').where({ account_id: pack.accountId })).toEqual([]);
    expect(await sys.db('messages').where({ account_id: pack.accountId })).toEqual([]);
    expect(await sys.db('ledger_entries').where({ account_id: pack.accountId })).toEqual([]);

    await topUp(sys.db, { accountId: pack.accountId, amountCents: 1, source: { kind: 'adjustment', ref: `edge-${pack.accountId}` } });
    for (let n = 1; n <= 10; n++) {
      const ok = await api(pack, 'POST', '/v1/messages', email(n));
      expect([ok.status, ok.body.order]).toEqual([202, expect.objectContaining({ totalE4: 10, reservedE4: 10, overageE4: 0 })]);
    }
    const eleventh = await api(pack, 'POST', '/v1/messages', email(11));
    expect(eleventh.body).toMatchObject({ code: 'insufficient_balance', availableE4: 0, requestedE4: 10 });
    const orders = await eventually(() => sys.db('orders').where({ account_id: pack.accountId }), (o) => o.length === 10 && o.every((x) => x.status === 'settled'), 30_000);
    expect(orders.map((o) => Number(o.consumed_e4))).toEqual(Array(10).fill(10));
    const ledger = await checkLedger(sys.db, pack.accountId);
    expect([ledger.available, ledger.reserved, ledger.sumAvailable, ledger.sumReserved, ledger.untraced, ledger.overdrawnFunding]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('When a carrier callback is forged, then it is refused with 403 and changes nothing', async () => {
    const res = await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'transactional', to: phone(), body: 'forge test' });
    const id = res.body.id as string;
    await eventually(() => message(id), (m) => m?.status === 'delivered');
    const forged = await twilioCallback(`/webhooks/twilio/status?mid=${id}`, { MessageSid: 'SMforged', MessageStatus: 'failed', ErrorCode: '30003' }, 'not-the-token');
    expect(forged).toMatchObject({ status: 403, body: { code: 'invalid_signature' } });
    // A real signature for another URL (another mid) does not transfer.
    const params = { MessageSid: 'SMforged', MessageStatus: 'failed' };
    const moved = await http(sys.baseUrl, 'POST', `/webhooks/twilio/status?mid=${id}`, {
      raw: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(sim.twilio.authToken, `${sys.baseUrl}/webhooks/twilio/status?mid=${id}0`, params) },
    });
    expect(moved.status).toBe(403);
    const sg = await http(sys.baseUrl, 'POST', '/webhooks/sendgrid/events', {
      raw: JSON.stringify([{ event: 'bounce', mid: id, sg_event_id: 'forged', email: 'x@example.com' }]),
      headers: { 'x-twilio-email-event-webhook-signature': 'MEUCIQDforged', 'x-twilio-email-event-webhook-timestamp': String(Math.floor(Date.now() / 1000)) },
    });
    expect(sg).toMatchObject({ status: 403, body: { code: 'invalid_signature' } });
    expect(await message(id)).toMatchObject({ status: 'delivered', carrier_error: null });
  });

  test('When a status callback is malformed, then it gets a typed 4xx problem and nothing is written', async () => {
    // Only this test's events (other files share the database and write receipts concurrently).
    const receipts = async () => Number((await sys.db('message_events').where('event_key', 'like', 'twilio:SMx:%').count({ n: '*' }))[0].n);
    const before = await receipts();
    // No mid in the URL (a correctly signed request): 400 invalid_mid.
    expect(await twilioCallback('/webhooks/twilio/status', { MessageSid: 'SMx', MessageStatus: 'sent' })).toMatchObject({ status: 400, body: { code: 'invalid_mid' } });
    // No status: 400 validation_failed.
    expect(await twilioCallback('/webhooks/twilio/status?mid=1', { MessageSid: 'SMx' })).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    // Not a form: no parameters, so the signature of a form cannot match.
    const json = await http(sys.baseUrl, 'POST', '/webhooks/twilio/status?mid=1', {
      raw: JSON.stringify({ MessageSid: 'SMx', MessageStatus: 'sent' }),
      headers: { 'content-type': 'application/json', 'x-twilio-signature': getExpectedTwilioSignature(sim.twilio.authToken, `${sys.baseUrl}/webhooks/twilio/status?mid=1`, { MessageSid: 'SMx', MessageStatus: 'sent' }) },
    });
    expect(json).toMatchObject({ status: 403, body: { code: 'invalid_signature' } });
    // Beyond 64 KiB: 413, before any signature work.
    const huge = await http(sys.baseUrl, 'POST', '/webhooks/twilio/status?mid=1', {
      raw: `Body=${'x'.repeat(70 * 1024)}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
    });
    expect(huge).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await receipts()).toBe(before);
  });

  test('When a callback is repeated or a late one arrives after the final status, then nothing changes', async () => {
    const res = await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'transactional', to: phone(), body: 'repeat test' });
    const id = res.body.id as string;
    const m = await eventually(() => message(id), (x) => x?.status === 'delivered');
    await sim.whenIdle();
    const events = async () => (await sys.db('message_events').where({ message_id: id }).count({ n: '*' }))[0].n;
    const before = await events();
    const delivered = { MessageSid: m.carrier_id, MessageStatus: 'delivered' };
    expect((await twilioCallback(`/webhooks/twilio/status?mid=${id}`, delivered)).status).toBe(204);
    expect(await events()).toBe(before);
    // A final status never moves, even on a new (signed) event.
    expect((await twilioCallback(`/webhooks/twilio/status?mid=${id}`, { MessageSid: m.carrier_id, MessageStatus: 'undelivered', ErrorCode: '30005' })).status).toBe(204);
    expect(await message(id)).toMatchObject({ status: 'delivered', carrier_error: null, final_at: m.final_at });
  });

  test('When delivery reports overtake the send worker and arrive together, out of order and repeated, then the final one wins once', async () => {
    const created = await api(acme, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi', recipients: [{ to: phone() }, { to: phone() }] });
    const [m1, m2] = await sys.db('messages').where({ order_id: created.body.id }).orderBy('seq').pluck('id');
    await sys.db('messages').whereIn('id', [m1, m2]).update({ status: 'submitting' }); // the worker has not written 'submitted' yet
    const ev = (mid: string, event: string, effect: StatusEvent['effect'], status: string | null, code: string | null = null): StatusEvent =>
      ({ provider: 'twilio', key: `SM${mid}:${event}`, mid: String(mid), carrierId: `SM${mid}`, effect, status, event, code, suppress: null });
    const batch = [ev(m1, 'delivered', 'final', 'delivered'), ev(m1, 'sent', 'progress', null), ev(m1, 'delivered', 'final', 'delivered'),
      ev(m2, 'sent', 'progress', null)];
    expect(await applyStatusEvents(sys.db, batch)).toEqual({ fresh: 3, moved: 2, complained: [] });
    expect(await applyStatusEvents(sys.db, batch)).toEqual({ fresh: 0, moved: 0, complained: [] });
    // The worker's own write comes later and only touches messages still 'submitting'.
    await sys.db('messages').whereIn('id', [m1, m2]).where({ status: 'submitting' }).update({ status: 'submitted' });
    const rows = await sys.db('messages').whereIn('id', [m1, m2]).orderBy('seq').select('status', 'carrier_id');
    expect(rows).toEqual([{ status: 'delivered', carrier_id: `SM${m1}` }, { status: 'submitted', carrier_id: `SM${m2}` }]);
    expect(await sys.db('message_events').whereIn('message_id', [m1, m2]).orderBy('id').pluck('status')).toEqual(['carrier:delivered', 'carrier:sent', 'carrier:sent']);
    expect((await applyStatusEvents(sys.db, [ev(m1, 'failed', 'final', 'failed', '30003')])).moved).toBe(0);
  });

  test('When a recipient replies STOP, then a new send to that number is refused as suppressed; after START it is accepted again', async () => {
    const sender = '+33757000001';
    const to = phone();
    const first = await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Promo', sender });
    expect(first.status).toBe(202);
    const stop = await sim.sendInbound({ from: to, to: sender, body: 'Stop' });
    expect(stop.status).toBe(200);
    expect(stop.body).toContain('<Response></Response>');
    const refused = await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Promo 2', sender });
    expect(refused).toMatchObject({ status: 422, body: { code: 'recipient_suppressed' } });
    // Another account that never used this sender nor wrote to this number is not affected.
    const other = await onboard(sys);
    expect((await api(other, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Hi', sender })).status).toBe(202);
    await sim.sendInbound({ from: to, to: sender, body: 'START' });
    expect((await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Promo 3', sender })).status).toBe(202);
  });

  test('When an e-mail bounces, then it ends undelivered with the code and its address is suppressed for the account', async () => {
    sim.configure({ sendgrid: { bouncedEmails: ['gone@example.com'] } });
    const res = await api(acme, 'POST', '/v1/messages', { channel: 'email', purpose: 'transactional', to: 'gone@example.com', subject: 'Hi', body: 'Hello' });
    expect(res.status).toBe(202);
    const m = await eventually(() => message(res.body.id), (x) => x?.status === 'undelivered');
    expect(m).toMatchObject({ status: 'undelivered', carrier_error: '5.1.1' });
    expect(await sys.db('suppressions').where({ account_id: acme.accountId, channel: 'email', address: 'gone@example.com' }).first()).toMatchObject({ reason: 'bounce' });
    const again = await api(acme, 'POST', '/v1/messages', { channel: 'email', purpose: 'transactional', to: 'gone@example.com', subject: 'Hi', body: 'Hello' });
    expect(again.body.code).toBe('recipient_suppressed');
  });

  test('When the account is suspended, then sends, uploads and starts are refused with 403 account_suspended', async () => {
    const late = await onboard(sys);
    const created = await api(late, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi', recipients: [{ to: phone() }] });
    await sys.db('accounts').where({ id: late.accountId }).update({ status: 'suspended', suspensions: JSON.stringify([{ kind: 'late_payment', ref: 'F-1', since: new Date().toISOString() }]) });
    const refused = [
      await api(late, 'POST', '/v1/messages', { channel: 'sms', purpose: 'transactional', to: phone(), body: 'x' }),
      await api(late, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi' }),
      await uploadCsv(late, created.body.id, `to\n${phone()}\n`),
      await api(late, 'POST', `/v1/campaigns/${created.body.id}/start`),
    ];
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(refused.map(() => [403, 'account_suspended']));
    expect((await api(late, 'GET', `/v1/campaigns/${created.body.id}`)).status).toBe(200);
  });

  test("When an account asks for another account's campaign or message, then it gets 404", async () => {
    const other = await onboard(sys);
    const created = await api(acme, 'POST', '/v1/campaigns', { channel: 'sms', purpose: 'transactional', template: 'Hi', recipients: [{ to: phone() }] });
    expect(created.body).toMatchObject({ status: 'ready', upload: { accepted: 1 } });
    const id = created.body.id as string;
    const msg = await sys.db('messages').where({ order_id: id }).first('id');
    for (const [method, path] of [['GET', `/v1/campaigns/${id}`], ['GET', `/v1/campaigns/${id}/rejections`], ['POST', `/v1/campaigns/${id}/start`],
      ['POST', `/v1/campaigns/${id}/pause`], ['GET', `/v1/messages/${msg.id}`]] as const) {
      expect({ path, status: (await api(other, method, path)).status }).toEqual({ path, status: 404 });
    }
    const csv = await uploadCsv(other, id, 'to\n+33612345678\n');
    expect(csv.status).toBe(404);
    expect((await api(acme, 'POST', `/v1/campaigns/${id}/cancel`)).body).toEqual({ id, status: 'cancelled' });
  });
});
