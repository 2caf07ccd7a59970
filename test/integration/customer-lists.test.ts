// The customer's lists over HTTP (api/customer-lists.ts, api/pagination.ts, the billing lists):
// keyset pages that lose and repeat nothing while rows are written, each filter, and the caller's
// account only. Messages and campaigns are seeded straight into Postgres (test/support/send.ts).
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { recordDeadline } from '../../lib/deadlines';
import { topUp } from '../../lib/ledger-funding';
import { http, onboard, startSystem, type System } from '../support/system';
import { seedCampaign } from '../support/send';

const TWILIO_TOKEN = 'lists-test-twilio-token';
let sys: System;
let a: Awaited<ReturnType<typeof onboard>>;
let b: Awaited<ReturnType<typeof onboard>>;

beforeAll(async () => {
  sys = await startSystem({ env: { TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  [a, b] = await Promise.all([onboard(sys), onboard(sys)]);
});
afterAll(async () => {
  await sys?.stop();
});

const get = (who: { apiKey: string }, path: string) => http(sys.baseUrl, 'GET', path, { token: who.apiKey });

/** Every item of a list, following nextCursor; `between` runs after each page (writes meanwhile). */
async function all(
  who: { apiKey: string },
  path: string,
  field = 'items',
  between: () => Promise<unknown> = async () => undefined,
) {
  const items: { id: string }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(who, cursor ? `${path}${sep}cursor=${cursor}` : path);
    expect(res.status).toBe(200);
    items.push(...res.body[field]);
    cursor = res.body.nextCursor;
    pages++;
    await between();
  } while (cursor);
  return { items, ids: items.map((i) => i.id), pages };
}

const unique = (ids: string[]) => new Set(ids).size === ids.length;

describe('GET /v1/messages', () => {
  test('When messages are written while a client pages, then every message present at the start is listed once, newest first, ids differing by microseconds included', async () => {
    const seeded = await seedCampaign(sys.db, { total: 23, accountId: a.accountId });
    // 23 instants one microsecond apart: a cursor kept to the millisecond would skip some.
    await sys.db.raw(
      `update messages set created_at = timestamptz '2026-03-01T10:00:00.000100Z' + seq * interval '1 microsecond'
        where order_id = ?`,
      [seeded.orderId],
    );
    const before = (await sys.db('messages').where({ account_id: a.accountId }).orderBy('id', 'desc')).map((m) =>
      String(m.id),
    );
    let writes = 0;
    const listed = await all(a, '/v1/messages?limit=5', 'items', async () => {
      if (writes++ < 3) await seedCampaign(sys.db, { total: 4, accountId: a.accountId });
    });
    expect(listed.pages).toBeGreaterThanOrEqual(5);
    expect(unique(listed.ids)).toBe(true);
    expect(listed.ids.filter((id) => before.includes(id))).toEqual(before);
    const first = listed.items[0] as Record<string, unknown>;
    expect(first).toMatchObject({ channel: 'sms', status: 'queued', carrierError: null, kind: 'campaign' });
  });

  test('When each filter is given, then only matching messages of the account are listed; another account never sees them', async () => {
    const sms = await seedCampaign(sys.db, { total: 3, accountId: a.accountId });
    const mail = await seedCampaign(sys.db, { total: 2, accountId: a.accountId, channel: 'email' });
    const theirs = await seedCampaign(sys.db, { total: 2, accountId: b.accountId });
    await sys
      .db('messages')
      .where({ order_id: sms.orderId, seq: 1 })
      .update({ status: 'failed', carrier_error: '30003' });
    await sys
      .db('messages')
      .where({ order_id: mail.orderId })
      .update({ created_at: new Date('2026-02-10T12:00:00Z') });
    const byCampaign = await all(a, `/v1/messages?campaign=${sms.orderId}`);
    expect(byCampaign.items).toHaveLength(3);
    const failed = await all(a, `/v1/messages?status=failed&campaign=${sms.orderId}`);
    expect(failed.items).toEqual([expect.objectContaining({ status: 'failed', carrierError: '30003' })]);
    const emails = await all(a, '/v1/messages?channel=email');
    expect(emails.items.map((m) => (m as Record<string, unknown>).campaignId)).toContain(mail.orderId);
    expect(emails.items.every((m) => (m as Record<string, unknown>).channel === 'email')).toBe(true);
    // The recipient as the customer types it (national format) finds the stored E.164.
    const one = await all(a, `/v1/messages?recipient=${encodeURIComponent('06 00 00 00 02')}`);
    expect(one.items.length).toBeGreaterThan(0);
    expect(one.items.every((m) => (m as Record<string, unknown>).to === '+33600000002')).toBe(true);
    // Created range: from inclusive, to exclusive.
    const range = (from: string, to: string) => all(a, `/v1/messages?createdFrom=${from}&createdTo=${to}`);
    expect((await range('2026-02-10T12:00:00Z', '2026-02-10T12:00:00.001Z')).items).toHaveLength(2);
    expect((await range('2026-02-10T12:00:00.001Z', '2026-02-11T00:00:00Z')).items).toHaveLength(0);
    expect((await range('2026-02-09T00:00:00Z', '2026-02-10T12:00:00Z')).items).toHaveLength(0);
    // Isolation: b's campaign through a's key is a 404 (as an unknown one), so is b's message.
    expect(await get(a, `/v1/messages?campaign=${theirs.orderId}`)).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    expect((await get(b, `/v1/messages?campaign=${theirs.orderId}`)).body.items).toHaveLength(2);
    const theirId = (await sys.db('messages').where({ order_id: theirs.orderId }).first('id')).id;
    expect((await get(a, `/v1/messages/${theirId}`)).status).toBe(404);
    const mine = await all(a, '/v1/messages?limit=500');
    expect(mine.ids).not.toContain(String(theirId));
  });

  test('When the query is not one the list takes, then 400 with a stable code and the parameter', async () => {
    const bad = async (q: string, code: string, path: string) =>
      expect(await get(a, `/v1/messages?${q}`)).toMatchObject({
        status: 400,
        body: { code, errors: [expect.objectContaining({ path })] },
      });
    await bad('colour=red', 'validation_failed', '');
    await bad('limit=501', 'validation_failed', 'limit');
    await bad('limit=0', 'validation_failed', 'limit');
    await bad('status=lost', 'validation_failed', 'status');
    await bad('createdFrom=yesterday', 'validation_failed', 'createdFrom');
    await bad('cursor=not*base64', 'validation_failed', 'cursor');
    await bad('cursor=bm9wZQ', 'invalid_cursor', 'cursor');
    const ledgerCursor = Buffer.from(JSON.stringify(['ledger', '1', '1'])).toString('base64url');
    await bad(`cursor=${ledgerCursor}`, 'invalid_cursor', 'cursor');
    expect((await get(a, '/v1/messages?limit=500')).status).toBe(200);
  });
});

describe('GET /v1/campaigns', () => {
  test('When campaigns are listed, then each has its progress counts (live, or its summary once finished), filtered by status and created range, of the account only', async () => {
    const live = await seedCampaign(sys.db, { total: 3, accountId: b.accountId });
    const done = await seedCampaign(sys.db, { total: 2, accountId: b.accountId });
    await sys.db('messages').where({ order_id: live.orderId, seq: 1 }).update({ status: 'delivered' });
    await sys
      .db('campaigns')
      .where({ order_id: done.orderId })
      .update({
        status: 'completed',
        summary: JSON.stringify({ counts: { delivered: 2 } }),
        created_at: new Date('2026-04-01T08:00:00Z'),
      });
    const listed = await all(b, '/v1/campaigns?limit=1');
    const byId = new Map(listed.items.map((x) => [x.id, x as Record<string, unknown>]));
    expect(byId.get(live.orderId)).toMatchObject({ status: 'ready', total: 3, counts: { queued: 2, delivered: 1 } });
    expect(byId.get(done.orderId)).toMatchObject({ status: 'completed', counts: { delivered: 2 } });
    const created = listed.items.map((x) => String((x as Record<string, unknown>).createdAt));
    expect(created).toEqual([...created].sort().reverse());
    expect(unique(listed.ids)).toBe(true);
    expect((await all(b, '/v1/campaigns?status=completed')).ids).toEqual([done.orderId]);
    const april = await all(b, '/v1/campaigns?createdFrom=2026-04-01T08:00:00Z&createdTo=2026-04-01T08:00:01Z');
    expect(april.ids).toEqual([done.orderId]);
    expect((await all(a, '/v1/campaigns?limit=500')).ids).not.toContain(done.orderId);
    expect((await get(a, `/v1/campaigns/${done.orderId}`)).status).toBe(404);
  });
});

describe('GET /v1/inbound-messages', () => {
  const inbound = (params: Record<string, string>) => {
    const path = '/webhooks/twilio/inbound';
    const signature = getExpectedTwilioSignature(TWILIO_TOKEN, `${sys.baseUrl}${path}`, params);
    return http(sys.baseUrl, 'POST', path, {
      raw: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    });
  };

  test('When replies arrive on the account sender, then every one is kept once with its keyword, and only STOP / START change the suppression', async () => {
    const seeded = await seedCampaign(sys.db, { total: 1, accountId: a.accountId });
    const ours = `+3375${String(process.pid).padStart(7, '0').slice(-7)}`;
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ sender: ours });
    const from = '+33612345678';
    const sid = (n: number) => `SM${process.pid}x${n}`;
    for (const [n, body] of [
      [1, 'Merci, à demain'],
      [2, 'HELP'],
      [3, 'Stop'],
      [3, 'Stop'], // Twilio's retry of the same reply
    ] as const) {
      expect((await inbound({ MessageSid: sid(n), From: from, To: ours, Body: body })).status).toBe(200);
    }
    const stopped = await sys.db('suppressions').where({ account_id: a.accountId, address: from }).first();
    expect(stopped).toMatchObject({ source: 'stop', channel: 'sms' });
    const kept = await all(a, '/v1/inbound-messages?limit=2');
    expect(
      kept.items.map((m) => [(m as Record<string, unknown>).body, (m as Record<string, unknown>).keyword]),
    ).toEqual([
      ['Stop', 'stop'],
      ['HELP', 'help'],
      ['Merci, à demain', 'other'],
    ]);
    expect((await all(a, '/v1/inbound-messages?keyword=help')).items).toHaveLength(1);
    expect((await all(a, `/v1/inbound-messages?from=${encodeURIComponent('+33 6 12 34 56 78')}`)).items).toHaveLength(
      3,
    );
    expect((await all(b, '/v1/inbound-messages')).items).toHaveLength(0);
    expect((await inbound({ MessageSid: sid(4), From: from, To: ours, Body: 'START' })).status).toBe(200);
    expect(await sys.db('suppressions').where({ account_id: a.accountId, address: from }).first()).toBeUndefined();
    // A START lifts only what a STOP wrote: the customer's own entry (reason text "stop") stays.
    const other = '+33612345679';
    const manual = { channel: 'sms', address: other, reason: 'stop' };
    expect((await http(sys.baseUrl, 'POST', '/v1/suppressions', { token: a.apiKey, body: manual })).status).toBe(201);
    expect((await inbound({ MessageSid: sid(5), From: other, To: ours, Body: 'START' })).status).toBe(200);
    const still = await sys.db('suppressions').where({ account_id: a.accountId, address: other }).first();
    expect(still).toMatchObject({ source: 'manual', reason: 'stop' });
    expect((await all(a, '/v1/inbound-messages?keyword=start')).items).toHaveLength(2);
  });
});

describe('GET /v1/account/deadlines', () => {
  test('When the register holds clocks of several accounts, then the account sees its own, nearest first, by state and kind', async () => {
    const clock = (accountId: string, kind: string, dueAt: string, state: 'open' | 'closed' = 'open') =>
      recordDeadline(sys.db, { workflowId: `t:${accountId}`, kind, accountId, clause: '10.1', dueAt, state });
    await clock(a.accountId, 'test_clock_b', '2036-01-01T00:00:00Z');
    await clock(a.accountId, 'test_clock_c', '2036-02-01T00:00:00Z');
    await clock(a.accountId, 'test_clock_a', '2035-12-01T00:00:00Z', 'closed');
    await clock(b.accountId, 'test_clock_b', '2035-06-01T00:00:00Z');
    const mine = await all(a, '/v1/account/deadlines?limit=1');
    expect(unique(mine.ids)).toBe(true);
    const dues = mine.items.map((d) => String((d as Record<string, unknown>).dueAt));
    expect(dues).toEqual([...dues].sort());
    const kinds = mine.items.map((d) => String((d as Record<string, unknown>).kind));
    expect(kinds.filter((k) => k.startsWith('test_clock'))).toEqual(['test_clock_a', 'test_clock_b', 'test_clock_c']);
    // The register's own clocks of the account (its lifecycle workflow writes them) are there too.
    const registered = await sys.db('deadlines').where({ account_id: a.accountId }).count().first();
    expect(mine.items).toHaveLength(Number(registered!.count));
    const open = await all(a, '/v1/account/deadlines?state=open&kind=test_clock_b');
    expect(open.items).toEqual([
      expect.objectContaining({
        kind: 'test_clock_b',
        dueAt: '2036-01-01T00:00:00.000Z',
        clause: '10.1',
        state: 'open',
      }),
    ]);
    expect((await all(a, '/v1/account/deadlines?state=closed&kind=test_clock_a')).items).toHaveLength(1);
    const theirs = await all(b, '/v1/account/deadlines?kind=test_clock_b');
    expect(theirs.items).toEqual([expect.objectContaining({ dueAt: '2035-06-01T00:00:00.000Z' })]);
    expect(theirs.ids.some((id) => mine.ids.includes(id))).toBe(false);
  });
});

describe('billing lists', () => {
  test('When ledger entries are appended while a client pages the ledger, then every entry is listed once, oldest first, and orders, invoices, payments page too', async () => {
    const credit = (n: number) =>
      topUp(sys.db, { accountId: b.accountId, amountCents: 100 + n, source: { kind: 'adjustment', ref: `l${n}` } });
    for (let i = 0; i < 7; i++) await credit(i);
    const before = (await sys.db('ledger_entries').where({ account_id: b.accountId }).orderBy('id')).map((e) =>
      String(e.id),
    );
    let n = 100;
    const listed = await all(b, '/v1/billing/ledger?limit=3', 'entries', () => credit(n++));
    expect(unique(listed.ids)).toBe(true);
    expect(listed.ids.slice(0, before.length)).toEqual(before);
    expect(listed.ids.map(Number)).toEqual([...listed.ids.map(Number)].sort((x, y) => x - y));
    for (const [path, field] of [
      ['/v1/billing/orders', 'orders'],
      ['/v1/billing/invoices', 'invoices'],
      ['/v1/billing/payments', 'payments'],
    ]) {
      const first = await get(b, `${path}?limit=1`);
      expect(first.status).toBe(200);
      expect(first.body).toHaveProperty('nextCursor');
      const every = await all(b, `${path}?limit=1`, field);
      expect(unique(every.ids)).toBe(true);
      expect((await get(b, `${path}?before=2026-01-01T00:00:00Z`)).body.code).toBe('validation_failed');
    }
    const orders = await all(b, '/v1/billing/orders?limit=1', 'orders');
    expect(orders.ids.length).toBe(
      await sys
        .db('orders')
        .where({ account_id: b.accountId })
        .count()
        .first()
        .then((r) => Number(r!.count)),
    );
  });
});

describe('indexes', () => {
  test('When a page after a cursor is read, then Postgres reads it as a range of the list index: no sort, the cursor in the index condition', async () => {
    // Two rows at least in each list, whatever ran before.
    for (const n of [1, 2]) {
      await seedCampaign(sys.db, { total: 2, accountId: b.accountId });
      await recordDeadline(sys.db, {
        workflowId: `idx:${b.accountId}`,
        kind: `test_index_${n}`,
        accountId: b.accountId,
        clause: '10.1',
        dueAt: '2036-01-01T00:00:00Z',
        state: 'open',
      });
    }
    await sys.db('suppressions').insert([
      { account_id: b.accountId, channel: 'sms', address: '+33688000001', reason: 'x', source: 'manual' },
      { account_id: b.accountId, channel: 'sms', address: '+33688000002', reason: 'x', source: 'manual' },
    ]);
    const reply = { provider: 'twilio', from: '+33612000000', to: '+33700000000', body: 'ok', keyword: 'other' };
    await sys.db('inbound_messages').insert([
      { account_id: b.accountId, carrier_id: `SMi${process.pid}a`, ...reply },
      { account_id: b.accountId, carrier_id: `SMi${process.pid}b`, ...reply },
    ]);
    const lists: [string, string][] = [
      ['/v1/messages', 'messages_account_created'],
      ['/v1/campaigns', 'campaigns_account_created_id'],
      ['/v1/inbound-messages', 'inbound_messages_account'],
      ['/v1/account/deadlines', 'deadlines_account_due'],
      ['/v1/suppressions', 'suppressions_account_at'],
      ['/v1/billing/ledger', 'ledger_entries_account'],
      ['/v1/billing/orders', 'orders_account_created_id'],
    ];
    for (const [path, index] of lists) {
      const first = await get(b, `${path}?limit=1`);
      const cursor = first.body.nextCursor;
      expect([path, typeof cursor]).toEqual([path, 'string']);
      const seen: { sql: string; bindings: unknown[] }[] = [];
      const onQuery = (q: { sql: string; bindings: unknown[] }) => {
        if (q.sql.includes('_page_key')) seen.push(q);
      };
      sys.db.on('query', onQuery);
      try {
        expect((await get(b, `${path}?limit=1&cursor=${cursor}`)).status).toBe(200);
      } finally {
        sys.db.removeListener('query', onQuery);
      }
      expect(seen).toHaveLength(1);
      const plan = await sys.db.transaction(async (trx) => {
        // Whether the list index CAN serve the page without a sort, not what the planner's costs pick
        // on a table the other files fill concurrently (a tiny table may be sorted more cheaply).
        await trx.raw('set local enable_seqscan = off');
        await trx.raw('set local enable_sort = off');
        const sql = seen[0].sql.replace(/\$\d+/g, '?'); // pg's $n, in order, as knex's ?
        const { rows } = await trx.raw(`explain (format json) ${sql}`, seen[0].bindings as never);
        return JSON.stringify(rows[0]['QUERY PLAN']);
      });
      expect([path, plan]).toEqual([path, expect.stringMatching(/"Index Cond":"\(\(account_id = [^"]* AND \(ROW\(/)]);
      expect([path, plan]).toEqual([path, expect.stringContaining(`"Index Name":"${index}"`)]);
      expect([path, plan]).not.toEqual([path, expect.stringContaining('"Node Type":"Sort"')]);
    }
  });
});
