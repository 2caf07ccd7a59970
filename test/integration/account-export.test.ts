// 10.2 / Annex 2.4: GET /v1/account/export holds all of the account's data, streamed as NDJSON with
// a manifest of counts and hashes, never another account's rows, never a secret. Over HTTP on the
// real system, messages sent through the carrier simulator.
import { randomUUID } from 'node:crypto';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { topUp } from '../../lib/ledger-funding';
import { issueInvoice } from '../../lib/invoices';
import { loadConfig } from '../../lib/config';
import { signWebhook } from '../../lib/payments';
import { eventually, http, onboard, startSystem, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { manifestDigest, readExport } from '../support/export';
import { SECTIONS, UNEXPORTED_ACCOUNT_TABLES } from '../../activities/export-sections';

type Account = Awaited<ReturnType<typeof onboard>>;

describe('account export (10.2)', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  const sendQueue = uniqueQueue('export');
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startCarrierSimulator();
    Object.assign(process.env, {
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      SEND_TASK_QUEUE: sendQueue,
    });
    sys = await startSystem();
    const retry = { attempts: 5, baseMs: 5, maxMs: 50 };
    sender = await startSendWorker({ sys, sim, taskQueue: sendQueue, concurrency: 8, retry });
  });
  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
    for (const k of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SEND_TASK_QUEUE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  const api = (a: Account, method: string, path: string, body?: unknown) =>
    http(sys.baseUrl, method, path, { token: a.apiKey, body });
  const fund = (accountId: string, amountCents: number) =>
    topUp(sys.db, { accountId, amountCents, source: { kind: 'adjustment', ref: `exp-${accountId}` } });
  const exportOf = async (a: Account) => {
    const res = await fetch(`${sys.baseUrl}/v1/account/export`, { headers: { authorization: `Bearer ${a.apiKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = await res.text();
    return { text, exp: readExport(text) };
  };
  let n = 0;
  const phone = () => `+3361${String(process.pid % 1000).padStart(3, '0')}${String(++n).padStart(4, '0')}`;

  test('When an account has sent messages and a campaign, been invoiced and paid, and has suppressions, then its export holds each, with counts and hashes that verify, and nothing of another account nor any secret', async () => {
    const a = await onboard(sys);
    const b = await onboard(sys);
    await fund(a.accountId, 10_000);
    // A single SMS and a 3-recipient campaign, delivered through the simulator.
    const single = await api(a, 'POST', '/v1/messages', {
      channel: 'sms',
      purpose: 'transactional',
      to: phone(),
      body: 'Code 1',
      sender: 'Acme',
    });
    expect(single.status).toBe(202);
    const created = await api(a, 'POST', '/v1/campaigns', {
      channel: 'sms',
      purpose: 'transactional',
      template: 'Hi {{name}}',
      sender: 'Acme',
      recipients: ['Zoé', 'Yann', 'Xavier'].map((name) => ({ to: phone(), vars: { name } })),
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.id as string;
    expect((await api(a, 'POST', `/v1/campaigns/${campaignId}/start`)).status).toBe(202);
    await eventually(
      () => api(a, 'GET', `/v1/campaigns/${campaignId}`),
      (r) => r.body.status === 'completed',
      30_000,
    );
    const undelivered = () =>
      sys.db('messages').where({ account_id: a.accountId }).whereNot({ status: 'delivered' }).count({ n: '*' });
    await eventually(undelivered, (r) => Number(r[0].n) === 0);
    // Single sends settle in bulk a moment after delivery: the export is read once nothing moves.
    const unsettled = () =>
      sys.db('orders').where({ account_id: a.accountId }).whereNot({ status: 'settled' }).count({ n: '*' });
    await eventually(unsettled, (r) => Number(r[0].n) === 0);
    // An invoice, paid through the signed provider webhook.
    const { invoice } = await issueInvoice(sys.db, {
      accountId: a.accountId,
      purpose: 'manual',
      lines: [{ description: 'Setup', quantity: 1, unitPriceCents: 1000 }],
      idemKey: randomUUID(),
      issuedAt: new Date(),
    });
    const raw = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'payment.succeeded',
      data: { accountId: a.accountId, invoiceId: invoice.id, amountCents: 1200, reference: 'pi_exp' },
    });
    const signature = signWebhook(loadConfig(process.env).PAYMENT_WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000));
    const headers = { 'tentacle-signature': signature };
    const paid = await http(sys.baseUrl, 'POST', '/v1/webhooks/payments', { raw, headers });
    expect(paid.status).toBe(200);
    await sys.db('suppressions').insert([
      { account_id: a.accountId, channel: 'sms', address: '+33699999901', reason: 'stop', source: 'stop' },
      { account_id: a.accountId, channel: 'email', address: 'gone@example.com', reason: 'bounce', source: 'bounce' },
      { account_id: b.accountId, channel: 'sms', address: '+33699999902', reason: 'stop', source: 'stop' },
    ]);
    // The other account has data of its own in every big table.
    await fund(b.accountId, 500);
    await sys.db('messages').insert({
      order_id: randomUUID(),
      seq: 1,
      account_id: b.accountId,
      channel: 'sms',
      recipient: '+33699999903',
      country: 'FR',
      status: 'delivered',
      segments: 1,
      price_e4: 450,
    });

    const { text, exp } = await exportOf(a);
    expect(exp.header).toMatchObject({ format: 'tentacle-account-export/2', accountId: a.accountId });
    expect(exp.manifest).toMatchObject({ format: 'tentacle-account-export/2', accountId: a.accountId });
    expect(exp.received).toEqual(manifestDigest(exp.manifest));
    const count = (name: string) => exp.manifest.sections[name].count;
    const db = sys.db;
    const inDb = async (sql: string) => Number((await db.raw(sql, [a.accountId])).rows[0].n);
    expect(count('messages')).toBe(4);
    expect(count('message_events')).toBe(
      await inDb(
        'select count(*) n from message_events e join messages m on m.id = e.message_id ' + 'where m.account_id = ?',
      ),
    );
    const events = exp.rows.message_events;
    expect(new Set(events.map((e) => e.message_id))).toEqual(new Set(exp.rows.messages.map((m) => m.id)));
    expect(events.filter((e) => e.message_id === single.body.id).map((e) => e.status)).toContain('carrier:delivered');
    expect(exp.rows.messages.map((m) => m.recipient)).toEqual(expect.arrayContaining([single.body.to]));
    expect(exp.rows.campaigns.find((c) => c.order_id === campaignId)).toMatchObject({
      status: 'completed',
      template: 'Hi {{name}}',
      total: 3,
    });
    const names = exp.rows.messages.filter((m) => m.order_id === campaignId).map((m) => m.vars.name);
    expect(names.sort()).toEqual(['Xavier', 'Yann', 'Zoé']);
    expect(count('orders')).toBe(2);
    expect(count('invoices')).toBe(await inDb('select count(*) n from invoices where account_id = ?'));
    expect(exp.rows.invoices.find((i) => i.id === invoice.id)).toMatchObject({
      number: invoice.number,
      lines: [expect.objectContaining({ description: 'Setup' })],
    });
    expect(exp.rows.payments).toEqual([expect.objectContaining({ amount_cents: '1200', reference: 'pi_exp' })]);
    expect(count('payment_allocations')).toBe(1);
    expect(count('ledger_entries')).toBe(await inDb('select count(*) n from ledger_entries where account_id = ?'));
    expect(exp.rows.ledger_entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['adjustment', 'reservation', 'consumption']),
    );
    expect(exp.rows.ledger_balance).toHaveLength(1);
    expect(exp.rows.suppressions.map((s) => s.address).sort()).toEqual(['+33699999901', 'gone@example.com']);
    expect(exp.rows.members).toEqual([expect.objectContaining({ id: a.memberId, email: a.reg.member.email })]);
    expect(count('api_keys')).toBe(1);
    expect(count('sessions')).toBe(1);
    expect(count('evidence')).toBe(await inDb('select count(*) n from evidence_log where account_id = ?'));
    expect(count('evidence')).toBeGreaterThan(0);

    // Only this account: every row that names an account names this one; nothing of b's.
    for (const [name, rows] of Object.entries(exp.rows)) {
      for (const r of rows) if ('account_id' in r) expect([name, r.account_id]).toEqual([name, a.accountId]);
    }
    expect(exp.rows.account).toEqual([expect.objectContaining({ id: a.accountId })]);
    const foreign = [b.accountId, b.memberId, b.reg.member.email, '+33699999902', '+33699999903'];
    for (const value of foreign) expect(text).not.toContain(value);
    // No secret: passwords, API keys, session tokens, TOTP secrets, nor their hashes.
    const hashes = [
      ...(await db('members').where({ account_id: a.accountId }).pluck('password_hash')),
      ...(await db('api_keys').where({ account_id: a.accountId }).pluck('secret_hash')),
      ...(await db('sessions').where({ account_id: a.accountId }).pluck('token_hash')),
    ];
    expect(hashes).toHaveLength(3);
    for (const secret of [...hashes, a.apiKey, a.session, a.reg.member.password]) expect(text).not.toContain(secret);
    for (const column of ['password_hash', 'secret_hash', 'token_hash', 'ack_token_hash', 'totp_secret']) {
      expect(text).not.toContain(`"${column}"`);
    }
  });

  test('When an account has 20,000 messages, then its export is streamed with backpressure (a reader that stops reading stops the reading of the database), and arrives complete', async () => {
    const a = await onboard(sys);
    const orderId = randomUUID();
    const filler = 'x'.repeat(2000); // ~2 KB a message: ~45 MB in all, far beyond the sockets' buffers
    await sys.db.raw(
      `insert into messages (order_id, seq, account_id, channel, recipient, country, vars, status, segments, price_e4)
       select ?, s, ?, 'sms', '+336' || lpad(s::text, 8, '0'), 'FR', jsonb_build_object('n', s, 'filler', ?::text),
              'delivered', 1, 450
         from generate_series(1, 20000) s`,
      [orderId, a.accountId, filler],
    );
    const messageReads: number[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/^select \* from "messages"/.test(q.sql)) messageReads.push(Date.now());
    };
    sys.db.on('query', onQuery);
    try {
      const res = await fetch(`${sys.baseUrl}/v1/account/export`, { headers: { authorization: `Bearer ${a.apiKey}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBeNull(); // not built then sent: chunked
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      // The reader pauses: a streaming export stops once the buffers are full; a buffered one
      // would have read all 20 batches of messages before its first byte.
      await new Promise((r) => setTimeout(r, 1500));
      const readWhilePaused = messageReads.length;
      expect(readWhilePaused).toBeLessThan(10); // 2 here; all 21 when buffered
      const parts: Uint8Array[] = [first.value!];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
      }
      const exp = readExport(Buffer.concat(parts).toString('utf8'));
      expect(exp.manifest.sections.messages.count).toBe(20_000);
      expect(exp.received).toEqual(manifestDigest(exp.manifest));
      expect(messageReads.length).toBeGreaterThan(readWhilePaused);
    } finally {
      sys.db.removeListener('query', onQuery);
    }
  });

  test('When a table has an account_id column, then the export has a section for it or lists it as deliberately not exported (a table added later cannot be forgotten)', async () => {
    const { rows } = await sys.db.raw(
      "select table_name from information_schema.columns where table_schema = 'public' and column_name = 'account_id'",
    );
    const covered = new Set([...SECTIONS.map((s) => s.table), ...UNEXPORTED_ACCOUNT_TABLES]);
    const tables = (rows as { table_name: string }[]).map((r) => r.table_name);
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((t) => !covered.has(t))).toEqual([]);
  });

  test('When the account is unknown to the route, then it answers 401; the export of a destroyed account answers 410', async () => {
    expect((await http(sys.baseUrl, 'GET', '/v1/account/export')).status).toBe(401);
    const a = await onboard(sys);
    await sys.db('accounts').where({ id: a.accountId }).update({ data_destroyed_at: new Date() });
    const gone = await api(a, 'GET', '/v1/account/export');
    expect(gone).toMatchObject({ status: 410, body: { code: 'data_destroyed' } });
  });
});
